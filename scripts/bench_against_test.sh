#!/bin/sh
# bench_against_test.sh — `engram-kern bench --against` judged on builds whose answer is known
# (ctest, label e2e). Never asserts on times, only on verdicts:
#   same   TOOL LIB          this build against itself: no row `regressed`, an A/A floor on every
#                            timed row, and every variant (reference and each ISA) timed;
#   slowed TOOL LIB SLOWED   the test-only slowed build (decay does ENGRAM_KERN_TEST_DECAY_SLOWDOWN
#                            times its work, 1.5 here) as "this build" against LIB: every decay
#                            row `regressed` (or `inconclusive` where its own A/A floor exceeds
#                            the threshold), at least one `regressed`, no other row.
set -u
mode=$1
tool=$2
lib=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
workloads="--workload cosine/d768/n1000 --workload decay/exponential/n10000"
case $mode in
  same)
    # shellcheck disable=SC2086
    "$tool" bench --against "$lib" $workloads --repetitions 8 --min-time 0.01 --format json >"$out"
    ;;
  slowed)
    # shellcheck disable=SC2086
    ENGRAM_KERN_TEST_DECAY_SLOWDOWN=${ENGRAM_KERN_TEST_DECAY_SLOWDOWN:-1.5} \
      "$tool" bench --against "$lib" --current "$4" $workloads --repetitions 8 --min-time 0.01 \
      --format json >"$out"
    ;;
  *) echo "usage: bench_against_test.sh same|slowed TOOL LIB [SLOWED]" >&2; exit 2 ;;
esac
code=$?
python3 - "$mode" "$code" "$out" <<'PY'
import json, sys
mode, code, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
doc = json.load(open(path))
rows = doc["against"]["rows"]
timed = [r for r in rows if r["status"] == "timed"]
for r in rows:
    print(f'{r["workload"]:34} {r["variant"]:10} {r.get("verdict", r["status"]):12}',
          "ratio %.3f [%.3f, %.3f], A/A floor %.1f%%" % (r["ratio"]["median"], r["ratio"]["low"], r["ratio"]["high"], 100 * r["noise_floor"])
          if r["status"] == "timed" else "")
assert timed, "no row was timed"
assert all("noise_floor" in r and "aa_ratio" in r for r in timed), "a timed row has no A/A floor"
variants = {r["variant"] for r in timed}
assert "reference" in variants and len(variants) >= 2, f"variants timed: {sorted(variants)}"
regressed = sorted((r["workload"], r["variant"]) for r in timed if r["verdict"] == "regressed")
if mode == "same":
    assert code in (0, 3), f"exit {code}"
    assert not regressed, f"a build against itself regressed: {regressed}"
else:
    threshold = doc["against"]["threshold"]
    decay = [r for r in timed if r["kernel"] == "decay"]
    assert decay, "no decay row was timed"
    # A decay row may be `inconclusive` only for the reason the gate gives under load: its own
    # A/A pair moved more than the threshold, so 1.5x could not be told from noise on that row.
    # Every other decay row must be `regressed`, at least one must be, and nothing else may be.
    for r in decay:
        noisy = r["verdict"] == "inconclusive" and r["noise_floor"] > threshold
        assert r["verdict"] == "regressed" or noisy, f'{r["variant"]}: {r["verdict"]}'
    assert any(r["verdict"] == "regressed" for r in decay), "no decay row regressed"
    others = [row for row in regressed if row[0] != "decay/exponential/n10000"]
    assert not others, f"regressed outside decay: {others}"
    assert code == 1, f"exit {code}, want 1"
print("ok")
PY
