#!/bin/sh
# ci_gate.sh — the CI gate: `engram-kern verify`, then `engram-kern bench` on the short default set
# against this machine's baseline (docs/benchmarking.md). scripts/test.sh runs ctest before it.
# Usage: scripts/ci_gate.sh [BUILD_DIR]   (default: build/release). Exit 0 = gate passed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
tool=$build/engram-kern
[ -x "$tool" ] || { echo "ci_gate: $tool not found; build first" >&2; exit 2; }

echo "== engram-kern verify"
"$tool" verify || { echo "ci_gate: engram-kern verify failed" >&2; exit 1; }

# The machine key is what bench itself computes (CPU vendor-family-model-ISA): ask the tool.
key=$("$tool" bench --list --format json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_key"])')
baseline=$root/baselines/$key.json
echo "== engram-kern bench (machine key: ${key:-unknown}; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -z "$key" ] || [ ! -f "$baseline" ]; then
  echo "ci_gate: ***** no baseline for this machine key (${key:-unknown}) under baselines/:" \
       "timings are reported, not gated *****" >&2
  "$tool" bench
  code=$?
  # Only a usage error or a kernel that failed verification fails the gate without a baseline.
  [ $code -eq 1 ] || [ $code -eq 2 ] && exit $code
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
