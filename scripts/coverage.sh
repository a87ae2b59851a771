#!/usr/bin/env bash
# coverage.sh — line and branch coverage of reference/ and kernels/ reached by the per-ISA tests
# plus a default `engram-kern verify` run, from a separate gcov-instrumented build. Prints the
# figures per folder and in total; exits non-zero when line coverage is below 95 %.
# Usage: scripts/coverage.sh [BUILD_DIR]   (default: build/coverage)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build/coverage"}
min_lines=95
jobs=${JOBS:-2}

# -O1 keeps the xsimd kernels fast enough for verify's time budget to run thousands of cases;
# gcov's line attribution stays exact for the non-inlined code and close for the rest.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEK_WERROR=OFF \
  -DCMAKE_CXX_FLAGS="--coverage -O1" -DCMAKE_C_FLAGS="--coverage -O1" \
  -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage >/dev/null
# Only what is measured: the per-ISA test programs (kernels/*_test.cpp) and the tool.
targets=$(ninja -C "$build" -t targets all | sed -n 's/^\(ek_kernels_[a-z0-9_]*_test\): phony$/\1/p')
ninja -C "$build" -j"$jobs" engram-kern $targets >"$build/coverage-build.log" ||
  { tail -20 "$build/coverage-build.log" >&2; exit 2; }

find "$build" -name '*.gcda' -delete
(cd "$build" && ctest -L per_isa -j"$jobs" >/dev/null) || echo "coverage: some per_isa tests failed (see ctest in $build)" >&2
"$build/engram-kern" verify --seed 1 --save-failures "$build/coverage-failures" >/dev/null

# gcovr prints "lines: 97.1% (1234 out of 1271)" and "branches: ..." with --print-summary. Its
# report goes to a file of ours: gcovr replaces its output file, and given /dev/null it turns the
# machine's /dev/null into a regular file (which then breaks every later process that uses it).
summary() {
  gcovr --root "$root" --object-directory "$build" "$@" --exclude '.*_test\.cpp' \
    --exclude-unreachable-branches --exclude-throw-branches \
    --exclude-directories '.*/CMakeFiles/[0-9.]+' --print-summary --output "$build/gcovr-report.txt"
}
status=0
for scope in reference kernels total; do
  if [[ $scope == total ]]; then
    out=$(summary --filter "$root/reference/" --filter "$root/kernels/")
  else
    out=$(summary --filter "$root/$scope/")
  fi
  lines=$(sed -n 's/^lines: \([0-9.]*\)%.*/\1/p' <<<"$out")
  printf '%-10s %s\n' "$scope:" "$(tr '\n' ' ' <<<"$out")"
  if awk -v l="$lines" -v m="$min_lines" 'BEGIN { exit !(l < m) }'; then
    echo "coverage: $scope lines $lines% < $min_lines%" >&2
    status=1
  fi
done
exit $status
