#!/usr/bin/env bash
# quality.sh — formatting (clang-format, .clang-format) and static analysis (clang-tidy,
# .clang-tidy) over the project's own sources; fails on any difference or warning.
# Usage: scripts/quality.sh [BUILD_DIR]   (needs compile_commands.json; default build/ci)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}

mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.c')
echo "quality: clang-format on ${#sources[@]} files" >&2
clang-format --dry-run -Werror "${sources[@]}"

# clang-tidy on translation units only (headers are checked through them).
mapfile -t units < <(printf '%s\n' "${sources[@]}" | grep -E '\.(cpp|c)$' | grep -v '^fuzz/')
echo "quality: clang-tidy on ${#units[@]} translation units" >&2
# A file built into two targets (the C ABI: shared and static library) has two compile commands,
# and clang-tidy would check it once per command: keep the first, so each unit is checked once.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 - "$build/compile_commands.json" "$scratch/compile_commands.json" <<'PY'
import json, sys
seen, unique = set(), []
for entry in json.load(open(sys.argv[1])):
    if entry["file"] not in seen:
        seen.add(entry["file"])
        unique.append(entry)
json.dump(unique, open(sys.argv[2], "w"))
PY
log=$scratch/clang-tidy.log
if ! run-clang-tidy -quiet -p "$scratch" -j "$(nproc)" "${units[@]/#/$PWD/}" >"$log" 2>&1; then
  grep -E 'warning:|error:' "$log" | sort -u | head -50 >&2
  echo "quality: clang-tidy reported problems (full log above is trimmed)" >&2
  exit 1
fi
echo "quality: clean" >&2
