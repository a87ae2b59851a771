# ISA → compiler flags, read from the ISA registry kernels/isa/registry.def (the same lines the
# C++ code expands as EK_ISA(...) macros; docs/dispatch.md). For each entry whose target is the
# processor built for, EK_ISAS lists its name and EK_ISA_FLAGS_<name> its flags. These flags go
# on one object library per ISA (kernels/isa/<name>.cpp) and nowhere else; everything else is
# built for the baseline of the target architecture.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(EK_ISA_TARGET x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(EK_ISA_TARGET aarch64)
else()
  set(EK_ISA_TARGET none) # no registry entry: the reference kernels only
endif()

set(EK_ISA_REGISTRY ${PROJECT_SOURCE_DIR}/kernels/isa/registry.def)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${EK_ISA_REGISTRY})
file(STRINGS ${EK_ISA_REGISTRY} ek_isa_entries REGEX "^EK_ISA\\(")
set(EK_ISAS)
foreach(entry IN LISTS ek_isa_entries)
  # EK_ISA(name, target, xsimd architecture, features, "flags")
  if(NOT entry MATCHES "^EK_ISA\\(([a-z0-9_]+), *([a-z0-9_]+), *[^,]+, *[^,]+, *\"([^\"]*)\"\\) *$")
    message(FATAL_ERROR "${EK_ISA_REGISTRY}: not an EK_ISA(name, target, arch, features, \"flags\") line: ${entry}")
  endif()
  set(name ${CMAKE_MATCH_1})
  set(target ${CMAKE_MATCH_2})
  set(flags "${CMAKE_MATCH_3}")
  if(target STREQUAL EK_ISA_TARGET)
    list(APPEND EK_ISAS ${name})
    separate_arguments(EK_ISA_FLAGS_${name} UNIX_COMMAND "${flags}")
  endif()
endforeach()
message(STATUS "engram-kern ISAs: reference ${EK_ISAS}")
