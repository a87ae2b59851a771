#!/usr/bin/env python3
"""instructions.py — the gate's deterministic layer: instruction counts of one kernel call per
default workload and ISA, under Callgrind (docs/benchmarking.md, "Instruction counts").

  instructions.py count TOOL OUT          count now, write OUT (how baselines/instructions.json
                                          is made; a deliberate change rewrites it in its commit)
  instructions.py check TOOL BASELINE     count now and compare with BASELINE
  instructions.py compare NEW BASELINE    compare two count files

TOOL is engram-kern (its hidden `icount-driver` makes the one call). Only the call is collected
(--toggle-collect on its C ABI entry point), not start-up or input generation. Compare: exit 1
when a count rose by more than 2 % (no noise: any change is a change of code or toolchain);
a file from another compiler, glibc or Valgrind is "not comparable" (exit 0, said loudly).
"""
import json
import os
import subprocess
import sys
import tempfile

WORKLOADS = ["cosine/d768/n1000", "decay/exponential/n10000", "spread/dense/n1000/deg16/it100"]
# Valgrind runs no AVX-512 and shows every host the same CPU, so these paths are the same
# everywhere.
ISAS = ["reference", "sse4_2", "avx2"]
RISE_LIMIT = 0.02


def run(args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def toolchain(tool):
    out = {}
    for line in run([tool, "icount-driver", "--toolchain"]).splitlines():
        key, _, value = line.partition(" ")
        out[key] = value
    out["valgrind"] = run(["valgrind", "--version"]).strip()
    return out


def count_one(tool, workload, isa, entry, tmp):
    out_file = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file,
                    "--toggle-collect=" + entry, tool, "icount-driver", "--workload", workload,
                    "--isa", isa], check=True, capture_output=True, text=True)
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + out_file)


def count(tool):
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workload in WORKLOADS:
            entry = run([tool, "icount-driver", "--workload", workload, "--entry"]).strip()
            counts[workload] = {"entry_point": entry}
            for isa in ISAS:
                counts[workload][isa] = count_one(tool, workload, isa, entry, tmp)
    return {"toolchain": toolchain(tool), "counts": counts}


def compare(new, old):
    """Prints the comparison; returns the exit code."""
    if new["toolchain"] != old["toolchain"]:
        print("instructions: ***** not comparable: the counts were recorded with", old["toolchain"],
              "and this toolchain is", new["toolchain"], "(not gated) *****")
        return 0
    failed = 0
    for workload, by_isa in new["counts"].items():
        for isa, n in by_isa.items():
            if isa == "entry_point":
                continue
            before = old["counts"].get(workload, {}).get(isa)
            if before is None:
                print(f"instructions: {workload} {isa}: {n} (new, no count before)")
                continue
            rise = n / before - 1
            verdict = "ROSE" if rise > RISE_LIMIT else "ok"
            print(f"instructions: {verdict:4} {workload} {isa}: {before} -> {n} ({100 * rise:+.2f} %)")
            failed += rise > RISE_LIMIT
    if failed:
        print(f"instructions: {failed} count(s) rose by more than {100 * RISE_LIMIT:.0f} %: a"
              " deliberate change updates baselines/instructions.json in its commit")
        return 1
    print("instructions: no count rose by more than 2 %")
    return 0


def main(argv):
    if len(argv) != 4 or argv[1] not in ("count", "check", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "count":
        with open(argv[3], "w") as f:
            json.dump(count(argv[2]), f, indent=2, sort_keys=True)
            f.write("\n")
        return 0
    with open(argv[3]) as f:
        old = json.load(f)
    if argv[1] == "check":
        return compare(count(argv[2]), old)
    with open(argv[2]) as f:
        return compare(json.load(f), old)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
