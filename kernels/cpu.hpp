// cpu.hpp — what this CPU and its OS can run, read once with CPUID + XGETBV (x86-64) or assumed
// from the architecture baseline (AArch64: NEON).
#pragma once

#include <string>
#include <vector>

namespace ek::kern {

struct cpu_info {
  std::string vendor;  // "GenuineIntel", "AuthenticAMD", ... ("unknown" off x86)
  std::string brand;   // the processor brand string
  unsigned family = 0, model = 0, stepping = 0;
  // Features the CPU reports *and* the OS has enabled state for (XCR0), by the names used in
  // /proc/cpuinfo style: sse4_2, popcnt, avx, avx2, fma, avx512f, avx512cd, avx512dq, avx512bw,
  // avx512vl, neon.
  std::vector<std::string> features;
  bool os_saves_avx = false;     // XCR0 has SSE and AVX state
  bool os_saves_avx512 = false;  // XCR0 also has opmask and ZMM state

  bool has(const std::string& feature) const;
};

/// Detected once per process; safe to call from any thread.
const cpu_info& cpu();

/// The features an ISA of this build requires (empty for "reference"; empty vector and false
/// for a name this build does not know).
bool isa_requirements(const std::string& isa, std::vector<std::string>& required);

}  // namespace ek::kern
