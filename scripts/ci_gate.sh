#!/bin/sh
# ci_gate.sh — the CI performance gate: the tests, `engram-kern verify`, then `engram-kern bench`
# on the short default set against this machine's baseline (docs/benchmarking.md).
# Usage: scripts/ci_gate.sh [BUILD_DIR]   (default: build/release). Exit 0 = gate passed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
tool=$build/engram-kern
[ -x "$tool" ] || { echo "ci_gate: $tool not found; build first" >&2; exit 2; }

echo "== tests"
ctest --test-dir "$build" --output-on-failure -j2 -LE fuzz_replay || exit 1

echo "== engram-kern verify"
"$tool" verify || exit 1

# The machine key is what bench itself computes (CPU vendor-family-model-ISA): ask the tool.
key=$("$tool" bench --list --format json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_key"])')
baseline=$root/baselines/$key.json
echo "== engram-kern bench (machine key: ${key:-unknown})"
if [ -z "$key" ] || [ ! -f "$baseline" ]; then
  echo "ci_gate: no baseline for this machine key (${key:-unknown}) under baselines/:" \
       "timings are reported, not gated"
  "$tool" bench
  code=$?
  [ $code -eq 2 ] && exit 2
  exit 0
fi
"$tool" bench --baseline "$baseline"
code=$?
case $code in
  0) echo "ci_gate: bench passed against $baseline" ;;
  1) echo "ci_gate: REGRESSION (or a kernel failed verification) against $baseline" >&2; exit 1 ;;
  3) echo "ci_gate: ***** INCONCLUSIVE: this run was too noisy to judge a 5% change *****" >&2
     echo "ci_gate: ***** (not a failure; rerun on a quieter machine to be sure)       *****" >&2 ;;
  *) echo "ci_gate: bench failed with exit code $code" >&2; exit "$code" ;;
esac
exit 0
