#!/bin/sh
# instructions_test.sh — the instruction-count layer can fail (ctest, label e2e): a fresh count
# compared with the committed baselines/instructions.json passes, and compared with a planted copy
# of itself whose counts are 3 % lower (so today's are 3 % higher) fails, naming the rows. The
# reference ISA alone (one Valgrind run, runnable everywhere): the gate stage counts every ISA.
# Usage: scripts/instructions_test.sh TOOL
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tool=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/scripts/instructions.py" count "$tool" "$work/now.json" reference || exit 1
python3 "$root/scripts/instructions.py" compare "$work/now.json" "$root/baselines/instructions.json" ||
  { echo "FAIL: the fresh count does not pass against the committed file"; exit 1; }
python3 - "$work/now.json" "$work/planted.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for by_isa in d["counts"].values():
    for isa, n in by_isa.items():
        if isa != "entry_point":
            by_isa[isa] = int(n / 1.03)
json.dump(d, open(sys.argv[2], "w"))
PY
if python3 "$root/scripts/instructions.py" compare "$work/now.json" "$work/planted.json" >"$work/out"; then
  cat "$work/out"
  echo "FAIL: a planted +3 % rise passed"
  exit 1
fi
grep -c ROSE "$work/out" | sed 's/^/planted +3 %: rows that rose: /'
echo ok
