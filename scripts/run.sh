#!/usr/bin/env bash
# run.sh — the main job on a fresh machine: set up, build (release), then `engram-kern verify`:
# every kernel on every ISA this CPU can run, against the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
exec build/release/engram-kern verify "$@"
