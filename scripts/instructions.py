#!/usr/bin/env python3
"""instructions.py — the gate's deterministic layer: instruction counts of one kernel call per
default workload and ISA, under Callgrind (docs/benchmarking.md, "Instruction counts").

  instructions.py count TOOL OUT [ISA...] count now (every ISA below, or those named), write OUT
                                          (how baselines/instructions.json is made; a deliberate
                                          change rewrites it in its commit)
  instructions.py check TOOL BASELINE     count now and compare with BASELINE
  instructions.py compare NEW BASELINE    compare two count files

TOOL is engram-kern: its hidden `icount-driver` makes one C ABI call per workload under Callgrind
(--collect-atstart=no), collecting that call alone through client requests and dumping its count
under the workload's name: not start-up, not input generation. One Valgrind run per ISA. Compare: exit 1
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


def count_isa(tool, isa, tmp):
    """{workload: instructions of its one call} for one ISA, from Callgrind's per-call dumps."""
    out_file = os.path.join(tmp, "cg." + isa)
    args = [tool, "icount-driver", "--isa", isa]
    for w in WORKLOADS:
        args += ["--workload", w]
    subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                    "--callgrind-out-file=" + out_file] + args,
                   check=True, capture_output=True, text=True)
    counts = {}
    for name in os.listdir(tmp):
        if not name.startswith("cg." + isa + "."):
            continue
        desc, total = None, None
        with open(os.path.join(tmp, name)) as f:
            for line in f:
                if line.startswith("desc: Trigger: Client Request: "):
                    desc = line.split(": ", 3)[3].strip()
                elif line.startswith("totals:"):
                    total = int(line.split()[1])
        if desc in WORKLOADS and total is not None:
            counts[desc] = total
    missing = set(WORKLOADS) - set(counts)
    if missing:
        raise RuntimeError(f"{isa}: no Callgrind dump for {sorted(missing)}")
    return counts


def count(tool, isas=ISAS):
    counts = {w: {} for w in WORKLOADS}
    entries = run([tool, "icount-driver", "--entry"] + sum((["--workload", w] for w in WORKLOADS), []))
    for line in entries.splitlines():
        workload, entry = line.split()
        counts[workload]["entry_point"] = entry
    with tempfile.TemporaryDirectory() as tmp:
        for isa in isas:
            for workload, n in count_isa(tool, isa, tmp).items():
                counts[workload][isa] = n
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
    if len(argv) < 4 or argv[1] not in ("count", "check", "compare") or (
            argv[1] != "count" and len(argv) != 4):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "count":
        with open(argv[3], "w") as f:
            json.dump(count(argv[2], argv[4:] or ISAS), f, indent=2, sort_keys=True)
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
