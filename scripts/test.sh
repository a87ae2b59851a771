#!/usr/bin/env bash
# test.sh — the whole test suite on a fresh machine (what .ci/run calls): set up, build the `ci`
# preset (tests on, warnings as errors), then every stage below. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
passed=0

stage() {
  local name=$1
  shift
  echo "=== $name" >&2
  local t0=$SECONDS
  "$@"
  passed=$((passed + 1))
  echo "=== $name: ok ($((SECONDS - t0)) s)" >&2
}

stage "setup and build (preset ci)" scripts/setup.sh ci
stage "unit, per-ISA and end-to-end tests (ctest)" ctest --preset ci
stage "ODR check of the ISA objects" scripts/odr_check.sh build/ci
stage "format and static analysis" scripts/quality.sh build/ci
stage "line coverage of reference/ and kernels/ (>= 95 %)" scripts/coverage.sh build/coverage
stage "CI gate: verify, A/B against baselines/gate-base, bench, instruction counts" scripts/ci_gate.sh build/ci
stage "short fuzz campaign (every harness)" scripts/fuzz.sh --time 20 --no-merge

echo "test.sh: all stages passed in $((SECONDS - start)) s" >&2
echo "stages: $passed passed, 0 failed"
