#!/bin/sh
# ci_gate.sh — the CI gate (docs/benchmarking.md, "The CI gate"): `engram-kern verify`, then three
# layers, each run to the end and reported:
#   1. A/B: `bench --against` the library of the commit in baselines/gate-base, built here by
#      scripts/build_base.sh — on every machine, the first time it sees it;
#   2. `bench` against this machine's baseline file when one matches its key, and the "never
#      slower" rule either way;
#   3. instruction counts of each kernel call under Callgrind against baselines/instructions.json.
# A timing regression fails only when a second run of fresh processes shows the same row.
# Usage: scripts/ci_gate.sh [BUILD_DIR]   (default: build/release). Exit 0 = gate passed.
# Environment (tests): EK_GATE_BASE_LIB (a base library, not built), EK_GATE_BASE_CACHE (where
# base builds are kept; default BUILD_DIR/gate-base), EK_GATE_INSTRUCTIONS (the count checker).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
tool=$build/engram-kern
instructions=${EK_GATE_INSTRUCTIONS:-$root/scripts/instructions.py}
[ -x "$tool" ] || { echo "ci_gate: $tool not found; build first" >&2; exit 2; }

echo "== engram-kern verify"
"$tool" verify || { echo "ci_gate: engram-kern verify failed" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=""
# "workload variant [rule]" of every REGRESSED and SLOWER line of a log, sorted.
regressed_rows() {
  sed -n -e 's/^REGRESSED: \([^:]*\):.*/\1/p' -e 's/^SLOWER: \([^:]*\): \([^:]*\):.*/\1 \2/p' "$1" |
    sort
}
# confirmed_run NAME COMMAND...: runs a bench command (its table on stdout, its log into the
# temporary directory and then onto stderr); a regression must show again in a second run of
# fresh processes: noise on a shared machine can shift one variant's repetitions without showing
# in the A/A pair (docs/benchmarking.md); a real slowdown does not go away. A failed verification
# (exit 1 without REGRESSED lines) fails at once. Adds NAME to $failed when the layer fails.
confirmed_run() {
  name=$1
  shift
  "$@" 2>"$tmp/first.log"
  code=$?
  cat "$tmp/first.log" >&2
  regressed_rows "$tmp/first.log" >"$tmp/first.rows"
  if [ $code -eq 1 ] && [ -s "$tmp/first.rows" ]; then
    echo "ci_gate: $name: regression reported; timing again in a fresh process to confirm it" >&2
    "$@" 2>"$tmp/second.log"
    second=$?
    cat "$tmp/second.log" >&2
    regressed_rows "$tmp/second.log" >"$tmp/second.rows"
    comm -12 "$tmp/first.rows" "$tmp/second.rows" >"$tmp/confirmed"
    if [ -s "$tmp/confirmed" ]; then
      echo "ci_gate: $name: REGRESSION confirmed by a second run:" >&2
      sed 's/^/ci_gate:   /' "$tmp/confirmed" >&2
      failed="$failed; $name"
      return
    fi
    # Exit 1 without REGRESSED lines: the second run failed verification (the case below).
    if [ $second -ne 1 ] || [ -s "$tmp/second.rows" ]; then
      echo "ci_gate: ***** $name: the regression did not reproduce in the second run (exit $second): *****" >&2
      sed 's/^/ci_gate:   /' "$tmp/first.rows" >&2
      echo "ci_gate: ***** noise, not a failure; see docs/benchmarking.md *****" >&2
      return
    fi
    code=1
  fi
  case $code in
    0) echo "ci_gate: $name: passed" ;;
    1) echo "ci_gate: $name: a kernel failed verification" >&2; failed="$failed; $name" ;;
    3) echo "ci_gate: ***** $name: INCONCLUSIVE: too noisy to judge a 5% change (not a failure;" \
            "rerun on a quieter machine to be sure) *****" >&2 ;;
    *) echo "ci_gate: $name: bench failed with exit code $code" >&2; failed="$failed; $name" ;;
  esac
}

# ---- 1. A/B against the commit in baselines/gate-base ------------------------------------------
base=$(grep -v '^#' "$root/baselines/gate-base" | head -n 1 | tr -d ' ')
echo "== A/B against baselines/gate-base ($base; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
lib=${EK_GATE_BASE_LIB:-}
if [ -z "$lib" ]; then
  lib=$(sh "$root/scripts/build_base.sh" "$base" "${EK_GATE_BASE_CACHE:-$build/gate-base}" "$build")
  [ -n "$lib" ] || lib=""
fi
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
  echo "ci_gate: cannot build the base $base (scripts/build_base.sh)" >&2
  failed="$failed; base build"
else
  confirmed_run "A/B against $base" "$tool" bench --against "$lib"
fi

# ---- 2. this machine's baseline file, and the never-slower rule ---------------------------------
# The machine key is what bench itself computes (CPU vendor-family-model-ISA): ask the tool.
key=$("$tool" bench --list --format json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_key"])')
baseline=$root/baselines/$key.json
echo "== engram-kern bench (machine key: ${key:-unknown}; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -z "$key" ] || [ ! -f "$baseline" ]; then
  echo "ci_gate: no baseline file for this machine key (${key:-unknown}) under baselines/: the" \
       "A/B above gates; this run applies the never-slower rule" >&2
  confirmed_run "bench (never slower)" "$tool" bench
else
  confirmed_run "bench against $baseline" "$tool" bench --baseline "$baseline"
fi

# ---- 3. instruction counts ---------------------------------------------------------------------
echo "== instruction counts (Callgrind) against baselines/instructions.json"
if python3 "$instructions" check "$tool" "$root/baselines/instructions.json"; then
  echo "ci_gate: instruction counts: passed"
else
  echo "ci_gate: instruction counts: a count rose by more than 2 % (or could not be taken)" >&2
  failed="$failed; instruction counts"
fi

if [ -n "$failed" ]; then
  echo "ci_gate: FAILED:${failed#;}" >&2
  exit 1
fi
echo "ci_gate: all layers passed"
exit 0
