#!/usr/bin/env bash
# performance_report.sh — measures, then reports: runs a real `engram-kern bench --peers` over a
# moderate workload set, renders build/report.html (charts) and generates
# docs/performance-report.md (machine, date, command, results) from the same JSON — never typed
# by hand. Usage: scripts/performance_report.sh [EXTRA_BENCH_FLAGS...]
# The tool is $ENGRAM_KERN, else build/release/engram-kern (scripts/setup.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${ENGRAM_KERN:-build/release/engram-kern}
[[ -x $tool ]] || { echo "performance_report: no $tool (build first, or set ENGRAM_KERN)" >&2; exit 2; }

# The seed's three workloads, the rows of the kernels' performance table, and recall.
workloads=(cosine/d768/n1000 cosine/d768/n100000
           decay/exponential/n10000 decay/power_law/n10000 decay/hybrid/n10000
           spread/dense/n1000/deg16/it100 spread/frontier/uniform/n1000000/deg16/cues16/hops3
           spread/frontier/uniform/n1000000/deg16/cues1000/hops3
           spread/dense/uniform/n1000000/deg16/it10 spread/dense/uniform/n1000000/deg16/it1
           recall/m10000/d768/k10)
args=(bench --peers --repetitions 8 --format json)
for w in "${workloads[@]}"; do args+=(--workload "$w"); done
args+=("$@")

mkdir -p build
json=build/performance-report.json
# bench exits 1 when a kernel failed verification: the report still shows it (status column).
status=0
"$tool" "${args[@]}" >"$json" || status=$?
[[ $status -le 1 ]] || { echo "performance_report: bench exited $status" >&2; exit "$status"; }
"$tool" report "$json" -o build/report.html --markdown docs/performance-report.md \
  --command "engram-kern ${args[*]}"
echo "performance_report: build/report.html, docs/performance-report.md (bench exit $status)"
