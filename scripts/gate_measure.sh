#!/bin/sh
# gate_measure.sh — measures the A/B gate itself (docs/benchmarking.md, "What the gate resolves"):
# N runs of the gate's A/B step (bench --against, and the confirming second run when a row
# regressed) with the test-only slowed library as this build, its decay doing FACTOR times the
# work (1 = an unchanged build against itself). One line per run: the load average, the verdict
# counts of the first run, the decay rows' verdicts, and the rows a second run confirmed (what
# fails the gate). Usage: scripts/gate_measure.sh BUILD_DIR N FACTOR   (needs the ci preset)
set -u
build=$1
runs=$2
factor=$3
tool=$build/engram-kern
lib=$build/src/capi/libengram_kern.so
slowed=$build/src/capi/libengram_kern_slowed.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ab() {
  ENGRAM_KERN_TEST_DECAY_SLOWDOWN=$factor "$tool" bench --against "$lib" --current "$slowed" \
    --format json --out "$1" >/dev/null 2>&1
}
summary() {
  python3 - "$@" <<'PY'
import collections, json, sys
rows = [r for r in json.load(open(sys.argv[1]))["against"]["rows"] if r["status"] == "timed"]
count = collections.Counter(r["verdict"] for r in rows)
decay = ",".join(r["verdict"] for r in rows if r["kernel"] == "decay")
regressed = {(r["workload"], r["variant"]) for r in rows if r["verdict"] == "regressed"}
if len(sys.argv) > 2:
    again = [r for r in json.load(open(sys.argv[2]))["against"]["rows"] if r["status"] == "timed"]
    confirmed = sorted(regressed & {(r["workload"], r["variant"]) for r in again
                                    if r["verdict"] == "regressed"})
else:
    confirmed = []
print(dict(sorted(count.items())), "decay:", decay,
      "gate:", "FAIL " + " ".join(f"{w}:{v}" for w, v in confirmed) if confirmed else "pass")
PY
}
i=1
while [ "$i" -le "$runs" ]; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  ab "$tmp/first.json"
  if [ $? -eq 1 ]; then
    ab "$tmp/second.json"
    line=$(summary "$tmp/first.json" "$tmp/second.json")
  else
    line=$(summary "$tmp/first.json")
  fi
  echo "run $i factor $factor load $load: $line"
  i=$((i + 1))
done
