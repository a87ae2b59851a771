#!/bin/sh
# ci_gate_test.sh — ci_gate.sh's decisions, driven by a stand-in engram-kern that plays a scripted
# sequence of bench outcomes: a regression fails the gate only when a second run shows the same
# row; a failed verification fails at once; noise (inconclusive, or a regression that does not
# reproduce) does not. Usage: scripts/ci_gate_test.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Any committed baseline will do: the stand-in reports its key as this machine's.
key=$(basename "$(ls "$root"/baselines/*.json | head -n 1)" .json)

cat >"$work/engram-kern" <<FAKE
#!/bin/sh
[ "\$1" = verify ] && exit 0
if [ "\$2" = --list ]; then echo "{\"machine_key\": \"\$(cat "$work/key")\"}"; exit 0; fi
n=\$((\$(cat "$work/count") + 1)); echo \$n >"$work/count"
case \$(sed -n "\${n}p" "$work/plan") in
  pass) exit 0 ;;
  regA) echo "REGRESSED: decay/exponential/n10000 avx2: speed-up change -13.8% [-21.8%, -6.1%]" >&2; exit 1 ;;
  regB) echo "REGRESSED: cosine/d768/n1000 avx512: speed-up change -9.0% [-12.0%, -6.0%]" >&2; exit 1 ;;
  verify) echo "FAILED VERIFICATION: cosine/d768/n1000 avx2: differs" >&2; exit 1 ;;
  inconclusive) echo "INCONCLUSIVE: cosine/d768/n1000 avx2: speed-up change -3%" >&2; exit 3 ;;
  slowA) echo "SLOWER: spread/dense/n1000/deg16/it100 avx512: slower-than-reference: time ratio 1.2" >&2; exit 1 ;;
  slowB) echo "SLOWER: spread/dense/n1000/deg16/it100 avx512: slower-than-sse4_2: time ratio 1.2" >&2; exit 1 ;;
esac
FAKE
chmod +x "$work/engram-kern"
echo "$key" >"$work/key"

failures=0
# expect EXIT_CODE OUTCOME...: the gate's exit code when bench runs give these outcomes in turn.
expect() {
  want=$1
  shift
  echo 0 >"$work/count"
  printf '%s\n' "$@" >"$work/plan"
  sh "$root/scripts/ci_gate.sh" "$work" >"$work/out" 2>&1
  got=$?
  runs=$(cat "$work/count")
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: outcomes [$*]: gate exit $got, want $want (bench ran $runs times)"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  else
    echo "ok:   outcomes [$*]: gate exit $got after $runs bench run(s)"
  fi
}

expect 0 pass
expect 1 regA regA          # the same row regresses twice: a regression
expect 0 regA pass          # it did not reproduce: noise
expect 0 regA regB          # another row the second time: noise
expect 0 regA inconclusive  # too noisy to confirm
expect 1 regA verify        # a kernel failed verification in the second run
expect 1 verify             # a failed verification needs no second run
expect 0 inconclusive
expect 1 slowA slowA        # the picked ISA loses to the reference twice: a failure
expect 0 slowA pass         # once only: noise
expect 0 slowA slowB        # another rule the second time: noise
# A machine with no baseline file still gates the never-slower rule, with the same confirmation.
echo "NoSuchVendor-0-0-avx2" >"$work/key"
expect 1 slowA slowA
expect 0 slowA pass
expect 0 pass
[ $failures -eq 0 ]
