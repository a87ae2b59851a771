// cpu.cpp — CPU feature detection. x86-64: CPUID for what the core implements, XGETBV for what
// the OS saves on a context switch; an ISA is usable only when both agree (an AVX-512 CPU under
// an OS or hypervisor that does not enable ZMM state must not get AVX-512 code).
#include "kernels/cpu.hpp"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#define EK_X86 1
#endif

namespace ek::kern {

std::vector<std::string> feature_set::names() const {
  std::vector<std::string> out;
  for (size_t f = 0; f < std::size(cpu_feature_names); ++f)
    if (has(static_cast<cpu_feature>(f))) out.emplace_back(cpu_feature_names[f]);
  return out;
}

namespace {

#ifdef EK_X86
struct regs {
  unsigned a = 0, b = 0, c = 0, d = 0;
};

regs cpuid(unsigned leaf, unsigned subleaf) {
  regs r;
  __cpuid_count(leaf, subleaf, r.a, r.b, r.c, r.d);
  return r;
}

uint64_t xgetbv0() {
  uint32_t lo = 0, hi = 0;
  // Encoded by hand so this file needs no -mxsave; only reached when OSXSAVE is set.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}

cpu_info detect() {
  cpu_info info;
  const regs r0 = cpuid(0, 0);
  char vendor[13] = {};
  std::memcpy(vendor + 0, &r0.b, 4);
  std::memcpy(vendor + 4, &r0.d, 4);
  std::memcpy(vendor + 8, &r0.c, 4);
  info.vendor = vendor;
  const unsigned max_leaf = r0.a;

  const regs r1 = cpuid(1, 0);
  const unsigned base_family = (r1.a >> 8) & 0xf;
  const unsigned base_model = (r1.a >> 4) & 0xf;
  info.family = base_family == 0xf ? base_family + ((r1.a >> 20) & 0xff) : base_family;
  info.model = (base_family == 0x6 || base_family == 0xf) ? (((r1.a >> 16) & 0xf) << 4) | base_model
                                                          : base_model;
  info.stepping = r1.a & 0xf;

  if (cpuid(0x80000000u, 0).a >= 0x80000004u) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      const regs r = cpuid(0x80000002u + i, 0);
      std::memcpy(brand + 16 * i + 0, &r.a, 4);
      std::memcpy(brand + 16 * i + 4, &r.b, 4);
      std::memcpy(brand + 16 * i + 8, &r.c, 4);
      std::memcpy(brand + 16 * i + 12, &r.d, 4);
    }
    info.brand = brand;
    const auto first = info.brand.find_first_not_of(' ');
    info.brand = first == std::string::npos ? "" : info.brand.substr(first);
  }

  const bool osxsave = (r1.c >> 27) & 1;
  const uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  info.os_saves_avx = (xcr0 & 0x6) == 0x6;                            // SSE + AVX (YMM) state
  info.os_saves_avx512 = info.os_saves_avx && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM hi256, hi16

  auto add = [&](bool present, cpu_feature f) {
    if (present) info.features = info.features | f;
  };
  add((r1.c >> 20) & 1, cpu_feature::sse4_2);
  add((r1.c >> 23) & 1, cpu_feature::popcnt);
  add(((r1.c >> 28) & 1) && info.os_saves_avx, cpu_feature::avx);
  add(((r1.c >> 12) & 1) && info.os_saves_avx, cpu_feature::fma);
  if (max_leaf >= 7) {
    const regs r7 = cpuid(7, 0);
    add(((r7.b >> 5) & 1) && info.os_saves_avx, cpu_feature::avx2);
    add(((r7.b >> 16) & 1) && info.os_saves_avx512, cpu_feature::avx512f);
    add(((r7.b >> 17) & 1) && info.os_saves_avx512, cpu_feature::avx512dq);
    add(((r7.b >> 28) & 1) && info.os_saves_avx512, cpu_feature::avx512cd);
    add(((r7.b >> 30) & 1) && info.os_saves_avx512, cpu_feature::avx512bw);
    add(((r7.b >> 31) & 1) && info.os_saves_avx512, cpu_feature::avx512vl);
  }
  return info;
}
#else
cpu_info detect() {
  cpu_info info;
  info.vendor = "unknown";
#if defined(__aarch64__)
  info.features = cpu_feature::neon;  // part of the AArch64 baseline
#endif
  return info;
}
#endif

}  // namespace

const cpu_info& cpu() {
  static const cpu_info info = detect();
  return info;
}

}  // namespace ek::kern
