#!/usr/bin/env bash
# fuzz_selftest.sh — proof that the harnesses can fail (issue 6, item 8): builds the planted-bug
# variants of the `fuzz` preset and runs each from an empty corpus (no seeds to help) for at most
# SECONDS (default 60). Passes when fuzz_cosine_planted finds the kernel whose tail reads one
# element past the end, fuzz_topk_planted the top-k that breaks ties to the higher index, and
# fuzz_workload_file_planted crashes the parser that trusts the header's byte ranges (from its
# committed seeds: an empty start cannot invent a safetensors header).
# Usage: scripts/fuzz_selftest.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60}
build=build/fuzz
cmake --preset fuzz >/dev/null
cmake --build "$build" --target fuzz_cosine_planted fuzz_topk_planted fuzz_workload_file_planted \
  >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
# expect NAME CORPUS_DIR PATTERN: the harness must crash within the budget with PATTERN in its log.
expect() {
  local name=$1 corpus=$2 pattern=$3 log=$work/$1.log start=$SECONDS rc=0
  mkdir -p "$work/$name"
  "$build/fuzz/$name" -max_total_time="$budget" -artifact_prefix="$work/$name/" "$corpus" \
    >"$log" 2>&1 || rc=$?
  local took=$((SECONDS - start))
  if ((rc != 0)) && grep -q "$pattern" "$log"; then
    echo "fuzz_selftest: $name found the planted bug in ${took}s: $(grep -m1 -E 'SUMMARY' "$log")"
  else
    echo "fuzz_selftest: $name did NOT find the planted bug in ${budget}s (exit $rc)" >&2
    tail -5 "$log" >&2
    failed=1
  fi
}

mkdir -p "$work/empty"
expect fuzz_cosine_planted "$work/empty" 'SEGV.*overread_cosine\|overread_cosine'
expect fuzz_topk_planted "$work/empty" 'kernel topk, isa planted_tiebreak'
cp -r fuzz/corpus/fuzz_workload_file "$work/seeds"
# The seeds that already crash it are left out: the fuzzer must mutate its way to a bad range.
rm -f "$work/seeds/seed-range-past-end" "$work/seeds/seed-truncated-data"
expect fuzz_workload_file_planted "$work/seeds" 'SEGV'
exit $failed
