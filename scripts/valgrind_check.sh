#!/usr/bin/env bash
# valgrind_check.sh — dispatch and the per-ISA kernels under valgrind. Valgrind emulates a CPU
# without AVX-512, so detection must choose avx2 or lower there (an AVX-512 instruction would stop
# valgrind with SIGILL), and one small per-ISA case of each kernel must pass on what it chose,
# with no memory error.
# Usage: scripts/valgrind_check.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: valgrind_check.sh BUILD_DIR}
vg=(valgrind --quiet --error-exitcode=99)

info=$("${vg[@]}" "$build/engram-kern" info --format json)
active=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["isa_active"])' <<<"$info")
runnable=$(python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["isas_runnable"]))' <<<"$info")
echo "valgrind_check: under valgrind isa_active=$active, runnable: $runnable" >&2
case $active in
  avx2|sse4_2|reference) ;;
  *) echo "valgrind_check: dispatch chose '$active' under valgrind (expected avx2 or lower)" >&2; exit 1 ;;
esac
[[ " $runnable " != *" avx512 "* ]] || { echo "valgrind_check: avx512 listed as runnable" >&2; exit 1; }

run() {  # binary, gtest filter: must run at least one test on the active ISA and pass
  local out
  out=$("${vg[@]}" "$build/$1" --gtest_filter="$2" 2>&1) || { echo "$out" >&2; exit 1; }
  grep -q "/$active" <<<"$out" || { echo "valgrind_check: $1 ran no $active case" >&2; exit 1; }
  echo "valgrind_check: $1 $(grep -E '^\[  PASSED  \]' <<<"$out")" >&2
}
run kernels/ek_kernels_cosine_test '*SpecialValuesScorePositiveZero*'
run kernels/ek_kernels_decay_test '*SpecialStrengthsAndAges*'
run kernels/ek_kernels_spread_test '*signed_zeros_match*'
