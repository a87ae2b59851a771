#!/usr/bin/env bash
# profile.sh — where a kernel spends its instructions: generates a workload, then runs
# `engram-kern run` on it under valgrind's callgrind (deterministic instruction counts; valgrind
# has no AVX-512, so the dispatcher picks avx2 or lower there) and prints the top functions with
# their share of all instructions. With --perf, also records with `perf record -g` where the
# machine has hardware counters, for a flame graph (docs/profiling.md).
# Usage: scripts/profile.sh [--perf] [--top N] [--repeat N] KERNEL [GEN_FLAGS...]
#   KERNEL: cosine | decay | spread; GEN_FLAGS are `engram-kern gen` flags (sizes, family, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
use_perf=0
top=12
repeat=50
while [[ $# -gt 0 ]]; do
  case $1 in
    --perf) use_perf=1; shift ;;
    --top) top=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
kernel=${1:?usage: scripts/profile.sh [--perf] [--top N] [--repeat N] KERNEL [GEN_FLAGS...]}
shift
tool=${ENGRAM_KERN:-build/release/engram-kern}
[[ -x $tool ]] || tool=build/ci/engram-kern
[[ -x $tool ]] || { echo "profile: build first (scripts/setup.sh)" >&2; exit 2; }

case $kernel in
  cosine) gen_flags=(--dim 768 --count 1000) ;;
  decay) gen_flags=(--count 100000) ;;
  spread) gen_flags=(--nodes 100000 --degree 16 --mode dense --steps 20) ;;
  *) echo "profile: unknown kernel '$kernel' (cosine, decay, spread)" >&2; exit 2 ;;
esac
[[ $# -gt 0 ]] && gen_flags=("$@")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Generating outside valgrind keeps the generator out of the profile.
"$tool" gen --kernel "$kernel" "${gen_flags[@]}" --seed 1 -o "$out/workload.safetensors" 2>/dev/null
run=("$tool" run --workload "$out/workload.safetensors" --repeat "$repeat")
echo "profile: valgrind --tool=callgrind ${run[*]}" >&2
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "${run[@]}" \
  >/dev/null 2>"$out/run.log" || { cat "$out/run.log" >&2; exit 1; }
grep -iE '^(isa|kernel)|isa:' "$out/run.log" | head -2 >&2 || true

# callgrind_annotate prints "Ir (share%)  file:function [object]", most instructions first.
printf '%7s  %14s  %s\n' share Ir function
callgrind_annotate --threshold=100 "$out/callgrind.out" 2>/dev/null |
  sed -nE 's/^ *([0-9,]+) \( *([0-9.]+)%\) +([^ ].*)$/\2 \1 \3/p' | grep -v 'PROGRAM TOTALS' |
  head -n "$top" |
  while read -r share ir where; do
    where=${where% \[*}   # drop " [object]"
    printf '%6s%%  %14s  %s\n' "$share" "$ir" "${where#*:}"
  done

if ((use_perf)); then
  if perf stat -e instructions true >/dev/null 2>&1; then
    perf record -g -o "$out/perf.data" "${run[@]}" >/dev/null 2>&1
    perf report -i "$out/perf.data" --stdio --no-children 2>/dev/null | head -40
  else
    echo "profile: perf has no hardware counters on this machine; callgrind figures above" >&2
  fi
fi
