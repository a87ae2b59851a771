// cpu.hpp — what this CPU and its OS can run, read once with CPUID + XGETBV (x86-64) or assumed
// from the architecture baseline (AArch64: NEON), as a set of feature bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace ek::kern {

/// The CPU features ISAs require (kernels/isa/registry.def); each is one bit of a feature_set.
enum class cpu_feature : uint8_t {
  sse4_2,
  popcnt,
  avx,
  fma,
  avx2,
  avx512f,
  avx512dq,
  avx512cd,
  avx512bw,
  avx512vl,
  neon,
};
/// Indexed by cpu_feature: the /proc/cpuinfo-style names `info` prints.
inline constexpr const char* cpu_feature_names[] = {"sse4_2",   "popcnt",   "avx",      "fma",
                                                    "avx2",     "avx512f",  "avx512dq", "avx512cd",
                                                    "avx512bw", "avx512vl", "neon"};
static_assert(std::size(cpu_feature_names) == size_t(cpu_feature::neon) + 1,
              "one name per cpu_feature");

class feature_set {
 public:
  constexpr feature_set() = default;
  constexpr feature_set(cpu_feature f) : bits_(bit(f)) {}  // implicit: one feature is a set

  constexpr bool has(cpu_feature f) const { return (bits_ & bit(f)) != 0; }
  /// Set inclusion: every feature of `required` is in this set.
  constexpr bool contains(feature_set required) const {
    return (bits_ & required.bits_) == required.bits_;
  }
  constexpr feature_set operator|(feature_set other) const {
    return from_bits(bits_ | other.bits_);
  }

  /// The names of the features in the set, in cpu_feature order.
  std::vector<std::string> names() const;

 private:
  static constexpr uint32_t bit(cpu_feature f) { return uint32_t{1} << static_cast<unsigned>(f); }
  static constexpr feature_set from_bits(uint32_t bits) {
    feature_set s;
    s.bits_ = bits;
    return s;
  }
  uint32_t bits_ = 0;
};

/// So the registry can write `sse4_2 | popcnt`.
constexpr feature_set operator|(cpu_feature a, cpu_feature b) {
  return feature_set(a) | feature_set(b);
}

struct cpu_info {
  std::string vendor;  // "GenuineIntel", "AuthenticAMD", ... ("unknown" off x86)
  std::string brand;   // the processor brand string
  unsigned family = 0, model = 0, stepping = 0;
  // Features the CPU reports *and* the OS has enabled state for (XCR0).
  feature_set features;
  bool os_saves_avx = false;     // XCR0 has SSE and AVX state
  bool os_saves_avx512 = false;  // XCR0 also has opmask and ZMM state
};

/// Detected once per process; safe to call from any thread.
const cpu_info& cpu();

}  // namespace ek::kern
