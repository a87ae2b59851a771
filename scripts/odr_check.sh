#!/usr/bin/env bash
# odr_check.sh — proves that no code compiled with ISA flags can be handed to another ISA or to
# baseline code by the linker. An inline function or template instantiation emitted as a weak
# symbol in kernels/isa/avx512.cpp *and* in another object is one definition to the linker, which
# keeps either copy: baseline code could then run AVX-512 instructions. Every global symbol an ISA
# object defines must therefore be defined by no other object in the library.
# Usage: scripts/odr_check.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: odr_check.sh BUILD_DIR}

mapfile -t isa_objects < <(find "$build/kernels/CMakeFiles" -path '*ek_isa_*' -name '*.o' | sort)
mapfile -t other_objects < <(find "$build/kernels/CMakeFiles/ek_kernels.dir" \
  "$build/reference/CMakeFiles" "$build/src/capi/CMakeFiles/engram_kern.dir" -name '*.o' | sort)
if ((${#isa_objects[@]} == 0)); then
  echo "odr_check: no ISA objects under $build (nothing to check on this architecture?)" >&2
  exit 1
fi

# One line per (global defined symbol, object): weak (W V), unique (u) and strong (T D B R) kinds.
defined() {
  for obj in "$@"; do
    # DW.ref.__gxx_personality_v0 is data (a pointer to libstdc++'s personality routine) that
    # every object with exception cleanups emits identically: no ISA code can hide behind it.
    nm --defined-only "$obj" | awk -v o="$(basename "$obj")" '$2 ~ /^[TWVuDBRi]$/ && $3 !~ /^DW\.ref\./ {print $3, o}'
  done
}
report=$( { defined "${isa_objects[@]}"; defined "${other_objects[@]}"; } | sort -u |
  awk '{n[$1]++; where[$1] = where[$1] " " $2}
       END {for (s in n) if (n[s] > 1) print s ":" where[s]}' |
  grep -F -f <(defined "${isa_objects[@]}" | awk '{print $1 ":"}' | sort -u) || true)

count=$(defined "${isa_objects[@]}" | wc -l)
if [[ -n $report ]]; then
  echo "odr_check: symbols defined in an ISA object and elsewhere (demangled):" >&2
  echo "$report" | c++filt | head -40 >&2
  echo "odr_check: FAILED ($(echo "$report" | wc -l) shared symbols)" >&2
  exit 1
fi
echo "odr_check: ${#isa_objects[@]} ISA objects, $count global symbols, none shared" >&2
