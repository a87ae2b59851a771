#!/usr/bin/env bash
# profile.sh — where a kernel spends its instructions: runs `engram-kern run` on a generated
# workload under valgrind's callgrind (deterministic instruction counts; valgrind has no AVX-512,
# so the dispatcher picks avx2 or lower there) and prints the top functions with their share of
# all instructions. With --perf, also records with `perf record -g` where the machine supports
# hardware counters, for a flame graph (docs/profiling.md).
# Usage: scripts/profile.sh [--perf] [--top N] KERNEL [RUN_FLAGS...]
#   KERNEL: cosine | decay | spread;  RUN_FLAGS are passed to `engram-kern run` (sizes, --isa ...)
set -euo pipefail
cd "$(dirname "$0")/.."
use_perf=0
top=12
while [[ $# -gt 0 ]]; do
  case $1 in
    --perf) use_perf=1; shift ;;
    --top) top=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
kernel=${1:?usage: scripts/profile.sh [--perf] [--top N] KERNEL [RUN_FLAGS...]}
shift
tool=${ENGRAM_KERN:-build/release/engram-kern}
[[ -x $tool ]] || tool=build/ci/engram-kern
[[ -x $tool ]] || { echo "profile: build first (scripts/setup.sh)" >&2; exit 2; }

case $kernel in
  cosine) defaults=(--dim 768 --count 1000 --repeat 20) ;;
  decay) defaults=(--count 100000 --repeat 20) ;;
  spread) defaults=(--nodes 100000 --degree 16 --mode dense --steps 1 --repeat 5) ;;
  *) echo "profile: unknown kernel '$kernel' (cosine, decay, spread)" >&2; exit 2 ;;
esac
[[ $# -gt 0 ]] && defaults=("$@")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "profile: valgrind --tool=callgrind $tool run --kernel $kernel ${defaults[*]} --seed 1" >&2
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$tool" run --kernel "$kernel" "${defaults[@]}" --seed 1 >/dev/null 2>"$out/run.log" ||
  { cat "$out/run.log" >&2; exit 1; }
grep -E 'isa|ISA' "$out/run.log" | head -3 >&2 || true

# callgrind_annotate lists "Ir  file:function" sorted by inclusive-exclusive instructions; turn
# it into share-of-total rows.
callgrind_annotate --threshold=100 "$out/callgrind.out" 2>/dev/null |
  awk -v top="$top" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1; next }
    total && $1 ~ /^[0-9,]+$/ && NF >= 2 {
      n = $1; gsub(",", "", n); $1 = ""; sub(/^ +/, "");
      sub(/\(.*$/, "") ; rows++;
      if (rows <= top) printf "%6.2f%%  %14d  %s\n", 100 * n / total, n, $0
    }
    END { if (!total) { print "profile: no totals from callgrind_annotate" > "/dev/stderr"; exit 1 } }'

if ((use_perf)); then
  if perf stat -e instructions true >/dev/null 2>&1; then
    perf record -g -o "$out/perf.data" "$tool" run --kernel "$kernel" "${defaults[@]}" --seed 1 \
      >/dev/null 2>&1
    perf report -i "$out/perf.data" --stdio --no-children 2>/dev/null | head -40
  else
    echo "profile: perf has no hardware counters on this machine; callgrind figures above" >&2
  fi
fi
