#!/usr/bin/env bash
# fuzz.sh — libFuzzer campaigns: builds the `fuzz` preset, runs each harness for a time budget
# (fork mode with --jobs > 1), as many targets side by side as the cores hold (nproc / jobs),
# merges inputs that add coverage into fuzz/corpus/<target>/, keeps crash artifacts in
# build/fuzz-artifacts/<target>/, prints a summary per target and exits 1 on any crash.
# Usage: scripts/fuzz.sh [--time SECONDS] [--jobs N] [--no-merge] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_cosine fuzz_decay fuzz_spread fuzz_topk fuzz_lowp fuzz_workload_file fuzz_baseline_file)
time_budget=60
jobs=1
merge=1
# The committed corpus stays small: at most this many files per target.
corpus_cap=40
targets=()
while (($#)); do
  case $1 in
    --time) time_budget=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-merge) merge=0; shift ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t (${all_targets[*]})" >&2; exit 2; }
done

build=build/fuzz
cmake --preset fuzz >/dev/null
cmake --build "$build" --target "${targets[@]}" >/dev/null

# The harness's .options file ([libfuzzer] key = value) as libFuzzer flags; dict is relative to fuzz/.
options_flags() {
  local file=fuzz/$1.options key value
  [[ -f $file ]] || return 0
  while IFS='=' read -r key value; do
    key=$(echo "$key" | tr -d ' '); value=$(echo "$value" | tr -d ' ')
    [[ -z $key || $key == \[* || $key == \#* ]] && continue
    [[ $key == dict ]] && value=fuzz/$value
    echo "-$key=$value"
  done <"$file"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One target's campaign; its summary line goes to $work/$t.summary, and it returns 1 on a crash.
campaign() {
  local t=$1 artifacts=build/fuzz-artifacts/$t
  local log before rc crashes status runs cov execs added count sum f
  local -a flags fork
  mkdir -p "$artifacts" "$work/$t/new" "$work/$t/merged"
  log=build/fuzz-artifacts/$t.log
  before=$(find "$artifacts" -type f | wc -l)
  mapfile -t flags < <(options_flags "$t")
  fork=()
  ((jobs > 1)) && fork=(-fork="$jobs" -ignore_crashes=0)
  echo "fuzz.sh: $t for ${time_budget}s (jobs $jobs), log $log" >&2
  # New inputs land in the first directory (a scratch one); the committed corpus is read only.
  rc=0
  "$build/fuzz/$t" "${flags[@]}" "${fork[@]}" -max_total_time="$time_budget" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work/$t/new" "fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  crashes=$(($(find "$artifacts" -type f | wc -l) - before))
  if ((rc != 0 && crashes == 0)); then crashes=1; fi

  # Last status line: "#RUNS ... cov: C ft: F corp: ... exec/s: E" (fork mode: "#RUNS: cov: ...").
  status=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -1 || true)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$status")
  execs=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  [[ -z $execs && -n $runs ]] && execs=$((runs / (time_budget > 0 ? time_budget : 1)))

  added=0
  if ((merge && crashes == 0)); then
    # Minimize committed + new into a scratch directory, then copy only the files whose content
    # the committed corpus does not already hold, up to the cap.
    "$build/fuzz/$t" "${flags[@]}" -merge=1 "$work/$t/merged" "fuzz/corpus/$t" "$work/$t/new" \
      >>"$log" 2>&1 || true
    declare -A known=()
    for f in fuzz/corpus/"$t"/*; do known[$(sha1sum <"$f" | cut -c1-40)]=1; done
    count=$(find "fuzz/corpus/$t" -type f | wc -l)
    for f in "$work/$t/merged"/*; do
      [[ -f $f ]] || continue
      sum=$(sha1sum <"$f" | cut -c1-40)
      [[ -n ${known[$sum]:-} ]] && continue
      ((count < corpus_cap)) || break
      cp "$f" "fuzz/corpus/$t/$sum"
      count=$((count + 1)) added=$((added + 1))
    done
    unset known
  fi
  printf '%-20s %10s %8s %6s %4s %7s\n' "$t" "${runs:-?}" "${execs:-?}" "${cov:-?}" "$added" \
    "$crashes" >"$work/$t.summary"
  ((crashes == 0))
}

# Campaigns side by side, one core per job: CI's 2-core machine runs two 20 s campaigns at once.
parallel=$(($(nproc) / jobs))
((parallel >= 1)) || parallel=1
failed=0
running=0
for t in "${targets[@]}"; do
  if ((running == parallel)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  campaign "$t" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

printf '%-20s %10s %8s %6s %4s %7s\n' target runs exec/s cov new crashes
for t in "${targets[@]}"; do cat "$work/$t.summary"; done
if ((failed)); then
  echo "fuzz.sh: crashes found; artifacts and logs in build/fuzz-artifacts/ (docs/fuzzing.md: triage)" >&2
  exit 1
fi
