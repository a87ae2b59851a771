// lowp_long_test.cpp — the exhaustive check of the bfloat16 conversion: every one of the 2^32
// float bit patterns (NaN payloads, subnormals and the rounding ties included) through each
// runnable ISA's lowp.convert_bf16 against ek::ref::to_bf16, in chunks. lowp_test.cpp checks a
// 2^24-pattern sample; this one leaves no pattern out. Labelled `long` in ctest; not run by
// default.
#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "kernels/per_isa_test.hpp"
#include "reference/lowp.hpp"

namespace {

using ek::kern::test::per_isa_suite;

class LowpLong : public per_isa_suite {};

TEST_P(LowpLong, ConvertBf16EveryFloatPattern) {
  // 2^24 patterns per call: 64 MB of input, and a call long enough to time the kernel's loop
  // rather than the call.
  constexpr uint64_t chunk = uint64_t{1} << 24;
  constexpr uint64_t patterns = uint64_t{1} << 32;
  std::vector<float> in(chunk);
  std::vector<uint16_t> want(chunk), got(chunk);
  uint64_t mismatches = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t first = 0; first < patterns; first += chunk) {
    for (uint64_t i = 0; i < chunk; ++i) {
      in[i] = std::bit_cast<float>(static_cast<uint32_t>(first + i));
      want[i] = ek::ref::to_bf16(in[i]);
    }
    table().lowp.convert_bf16(in.data(), got.data(), chunk);
    for (uint64_t i = 0; i < chunk; ++i) {
      if (got[i] == want[i]) continue;
      if (mismatches++ < 8)
        ADD_FAILURE() << "float bits 0x" << std::hex << (first + i) << ": got 0x" << got[i]
                      << ", the reference 0x" << want[i];
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ bf16 ] %s: 2^32 patterns, %llu mismatches, %.1f s\n", GetParam().c_str(),
              static_cast<unsigned long long>(mismatches), seconds);
  EXPECT_EQ(mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(EveryIsa, LowpLong, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

}  // namespace
