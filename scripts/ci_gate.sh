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
# Without a baseline for this machine the timings are not compared with the past, but bench
# still applies the "never slower" rule (SLOWER lines: the ISA detection picks loses to the
# reference or to a lower ISA), and that is confirmed and fails like a regression.
baseline_args=""
if [ -z "$key" ] || [ ! -f "$baseline" ]; then
  echo "ci_gate: ***** no baseline for this machine key (${key:-unknown}) under baselines/:" \
       "timings are not compared with a baseline; the never-slower rule still gates *****" >&2
  baseline=""
else
  baseline_args="--baseline $baseline"
fi
# One gated run: the table on stdout as it comes, the log (progress, verdict lines) into $1 and
# then onto stderr. Returns bench's exit code.
gated_run() {
  # shellcheck disable=SC2086 # baseline_args is empty or two words
  "$tool" bench $baseline_args 2>"$1"
  run_code=$?
  cat "$1" >&2
  return $run_code
}
# "workload variant [rule]" of every REGRESSED and SLOWER line of a log, sorted.
regressed_rows() {
  sed -n -e 's/^REGRESSED: \([^:]*\):.*/\1/p' -e 's/^SLOWER: \([^:]*\): \([^:]*\):.*/\1 \2/p' "$1" |
    sort
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gated_run "$tmp/first.log"
code=$?
regressed_rows "$tmp/first.log" >"$tmp/first.rows"
# A regression must show again in a second run of fresh processes: noise on a shared machine can
# shift one variant's repetitions without showing in the A/A pair (docs/benchmarking.md, "The CI
# gate"); a real slowdown does not go away. A failed verification (exit 1 without REGRESSED
# lines) fails at once.
if [ $code -eq 1 ] && [ -s "$tmp/first.rows" ]; then
  echo "ci_gate: regression reported; timing again in fresh processes to confirm it" >&2
  gated_run "$tmp/second.log"
  second=$?
  regressed_rows "$tmp/second.log" >"$tmp/second.rows"
  comm -12 "$tmp/first.rows" "$tmp/second.rows" >"$tmp/confirmed"
  if [ -s "$tmp/confirmed" ]; then
    echo "ci_gate: REGRESSION confirmed by a second run${baseline:+ against $baseline}:" >&2
    sed 's/^/ci_gate:   /' "$tmp/confirmed" >&2
    exit 1
  fi
  # Exit 1 without REGRESSED lines: the second run failed verification (the case below).
  if [ $second -ne 1 ] || [ -s "$tmp/second.rows" ]; then
    echo "ci_gate: ***** the regression did not reproduce in the second run (exit $second):  *****" >&2
    sed 's/^/ci_gate:   /' "$tmp/first.rows" >&2
    echo "ci_gate: ***** noise, not a failure; see docs/benchmarking.md                      *****" >&2
    exit 0
  fi
fi
case $code in
  0) echo "ci_gate: bench passed${baseline:+ against $baseline}" ;;
  1) echo "ci_gate: a kernel failed verification in bench" >&2; exit 1 ;;
  3) echo "ci_gate: ***** INCONCLUSIVE: this run was too noisy to judge a 5% change *****" >&2
     echo "ci_gate: ***** (not a failure; rerun on a quieter machine to be sure)       *****" >&2 ;;
  *) echo "ci_gate: bench failed with exit code $code" >&2; exit "$code" ;;
esac
exit 0
