#!/bin/sh
# ci_gate_test.sh — ci_gate.sh's decisions, driven by a stand-in engram-kern that plays scripted
# sequences of bench outcomes (one for the A/B against the base, one for the plain bench) and a
# stand-in instruction-count checker: a regression fails the gate only when a second run shows the
# same row; a failed verification fails at once; noise (inconclusive, or a regression that does
# not reproduce) does not; a rise in the instruction counts fails. Usage: scripts/ci_gate_test.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Any committed machine baseline will do: the stand-in reports its key as this machine's.
key=$(basename "$(ls "$root"/baselines/*-*.json | head -n 1)" .json)

# play PLAN COUNTER: the next scripted outcome of one sequence (pass once it runs out).
cat >"$work/engram-kern" <<FAKE
#!/bin/sh
[ "\$1" = verify ] && exit 0
if [ "\$2" = --list ]; then echo "{\"machine_key\": \"\$(cat "$work/key")\"}"; exit 0; fi
seq=bench
[ "\$2" = --against ] && seq=ab
n=\$((\$(cat "$work/\$seq.count") + 1)); echo \$n >"$work/\$seq.count"
case \$(sed -n "\${n}p" "$work/\$seq.plan") in
  regA) echo "REGRESSED: decay/exponential/n10000 avx2: speed-up change -13.8% [-21.8%, -6.1%]" >&2; exit 1 ;;
  regB) echo "REGRESSED: cosine/d768/n1000 avx512: speed-up change -9.0% [-12.0%, -6.0%]" >&2; exit 1 ;;
  verify) echo "FAILED VERIFICATION: cosine/d768/n1000 avx2: differs" >&2; exit 1 ;;
  inconclusive) echo "INCONCLUSIVE: cosine/d768/n1000 avx2: speed-up change -3%" >&2; exit 3 ;;
  slowA) echo "SLOWER: spread/dense/n1000/deg16/it100 avx512: slower-than-reference: time ratio 1.2" >&2; exit 1 ;;
  slowB) echo "SLOWER: spread/dense/n1000/deg16/it100 avx512: slower-than-sse4_2: time ratio 1.2" >&2; exit 1 ;;
  *) exit 0 ;;
esac
FAKE
chmod +x "$work/engram-kern"
cat >"$work/instructions" <<FAKE
import sys
sys.exit(int(open("$work/instructions.code").read()))
FAKE
echo "$key" >"$work/key"
: >"$work/base.so"

failures=0
# expect EXIT_CODE AB_OUTCOMES BENCH_OUTCOMES [INSTRUCTIONS_EXIT]: the gate's exit code when the
# A/B runs and the bench runs give these outcomes in turn (space-separated; "-" for all passing).
expect() {
  want=$1
  echo 0 >"$work/ab.count"
  echo 0 >"$work/bench.count"
  printf '%s\n' $2 >"$work/ab.plan"
  printf '%s\n' $3 >"$work/bench.plan"
  echo "${4:-0}" >"$work/instructions.code"
  EK_GATE_BASE_LIB=$work/base.so EK_GATE_INSTRUCTIONS=$work/instructions \
    sh "$root/scripts/ci_gate.sh" "$work" >"$work/out" 2>&1
  got=$?
  runs="$(cat "$work/ab.count") A/B, $(cat "$work/bench.count") bench"
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: A/B [$2] bench [$3] instructions ${4:-0}: gate exit $got, want $want ($runs runs)"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  else
    echo "ok:   A/B [$2] bench [$3] instructions ${4:-0}: gate exit $got after $runs runs"
  fi
}

expect 0 - -
expect 1 - "regA regA"           # the same row regresses twice: a regression
expect 0 - "regA pass"           # it did not reproduce: noise
expect 0 - "regA regB"           # another row the second time: noise
expect 0 - "regA inconclusive"   # too noisy to confirm
expect 1 - "regA verify"         # a kernel failed verification in the second run
expect 1 - verify                # a failed verification needs no second run
expect 0 - inconclusive
expect 1 - "slowA slowA"         # the picked ISA loses to the reference twice: a failure
expect 0 - "slowA pass"          # once only: noise
expect 0 - "slowA slowB"         # another rule the second time: noise
# The A/B against baselines/gate-base, by the same rules.
expect 1 "regA regA" -
expect 0 "regA pass" -
expect 0 "regA regB" -
expect 1 verify -
expect 0 inconclusive -
expect 1 "regA regA" "regA pass"  # one layer failing fails the gate
# The instruction counts.
expect 1 - - 1
# A machine with no baseline file still gates: the A/B, and the never-slower rule.
echo "NoSuchVendor-0-0-avx2" >"$work/key"
expect 1 "regA regA" -
expect 1 - "slowA slowA"
expect 0 - "slowA pass"
expect 0 - -
[ $failures -eq 0 ]
