# ISA → compiler flags. These flags go on one object library per ISA (kernels/isa/<isa>.cpp) and
# nowhere else; everything else is built for the baseline of the target architecture.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(EK_ISAS sse4_2 avx2 avx512)
  set(EK_ISA_FLAGS_sse4_2 -msse4.2 -mpopcnt)
  set(EK_ISA_FLAGS_avx2 -mavx2 -mfma)
  set(EK_ISA_FLAGS_avx512 -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(EK_ISAS neon)
  set(EK_ISA_FLAGS_neon) # NEON is part of the AArch64 baseline
else()
  set(EK_ISAS)
endif()
message(STATUS "engram-kern ISAs: reference ${EK_ISAS}")
