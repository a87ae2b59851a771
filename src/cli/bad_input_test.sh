#!/bin/bash
# bad_input_test.sh — e2e test of issue 19: one bad input (file bytes, argument bytes,
# environment) must end the tool with exit 2 and a one-line message, never an abort, and with
# --format json with one valid JSON document (exit_code 2, error) on stdout.
# Usage: bad_input_test.sh ENGRAM_KERN TMP_DIR CASE
set -u
tool=$1 tmp=$2 case=$3
mkdir -p "$tmp"
# A safetensors file whose header key holds the byte 0xFF (nlohmann's parser quotes it back).
ff_file=$tmp/key-0xff.safetensors
python3 -c 'import struct,sys
h = b"{\"q\xff\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + bytes(4))' "$ff_file"
ff=$(printf '\377')
env=()
want='^engram-kern: '  # the message line on stderr; a usage case also names the flag refused
case $case in
  header_key_0xff_run) args=(run --workload "$ff_file") ;;
  header_key_0xff_verify_replay) args=(verify --replay "$ff_file") ;;
  argument_0xff) args=(run --kernel cosine --dim 8 --count 2 --seed "$ff") ;;
  path_0xff) args=(run --workload "$tmp/no-such-$ff") ;;
  env_isa_bogus_verify)
    env=(ENGRAM_KERN_ISA=bogus) args=(verify --kernel cosine --cases 1)
    want='^engram-kern: ENGRAM_KERN_ISA=bogus: unknown ISA' ;;
  env_isa_neon_verify)
    env=(ENGRAM_KERN_ISA=neon) args=(verify --kernel cosine --cases 1)
    want='^engram-kern: ENGRAM_KERN_ISA=neon: ' ;;
  empty_isa)
    args=(run --isa '' --kernel cosine --dim 8 --count 2 --seed 1) want='^engram-kern: --isa: ' ;;
  negative_seed)
    args=(verify --seed -1 --kernel cosine --cases 1 --isas reference)
    want='^engram-kern: --seed: ' ;;
  negative_dim)
    args=(gen --kernel cosine --dim -1 --count 0 --seed 1 -o "$tmp/x.st")
    want='^engram-kern: --dim: ' ;;
  empty_dim)
    args=(gen --kernel cosine --dim '' --count 2 --seed 1 -o "$tmp/x.st")
    want='^engram-kern: --dim: ' ;;
  *) echo "unknown case $case"; exit 1 ;;
esac

for format in table json; do
  env "${env[@]}" "$tool" "${args[@]}" --format "$format" >"$tmp/$case.out" 2>"$tmp/$case.err"
  code=$?
  if [ "$code" -ne 2 ]; then echo "$case ($format): exit $code, want 2"; exit 1; fi
  if ! grep -q -- "$want" "$tmp/$case.err"; then
    echo "$case ($format): stderr has no line matching '$want':"; cat "$tmp/$case.err"; exit 1
  fi
  if [ "$format" = json ] && ! python3 -c 'import json,sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["exit_code"] == 2 and d["error"] and "schema_version" in d, d' "$tmp/$case.out"; then
    echo "$case (json): stdout is not one JSON document with exit_code 2 and an error"; exit 1
  fi
done
echo "$case: exit 2 with a message, one JSON document with --format json"
