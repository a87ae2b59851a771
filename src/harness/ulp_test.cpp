// ulp_test.cpp — ULP distances across zero, subnormals, infinities and NaN, and the accumulator.
#include "src/harness/ulp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ek::harness {
namespace {

constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float nan = std::numeric_limits<float>::quiet_NaN();
constexpr float tiny = std::numeric_limits<float>::denorm_min();

TEST(Ulp, Distances) {
  EXPECT_EQ(ulp_distance(1.0f, 1.0f), 0u);
  EXPECT_EQ(ulp_distance(1.0f, std::nextafter(1.0f, 2.0f)), 1u);
  EXPECT_EQ(ulp_distance(std::nextafter(1.0f, 0.0f), std::nextafter(1.0f, 2.0f)), 2u);
  EXPECT_EQ(ulp_distance(0.0f, -0.0f), 0u);
  EXPECT_EQ(ulp_distance(tiny, -tiny), 2u);  // across zero
  EXPECT_EQ(ulp_distance(0.0f, 2 * tiny), 2u);
  EXPECT_EQ(ulp_distance(std::numeric_limits<float>::max(), inf), 1u);
  EXPECT_EQ(ulp_distance(-inf, inf), 2u * 0x7f800000u);
  EXPECT_EQ(ulp_distance(nan, -nan), 0u);
  EXPECT_EQ(ulp_distance(nan, 1.0f), ulp_nan_mismatch);
  EXPECT_EQ(ulp_distance(inf, nan), ulp_nan_mismatch);
  EXPECT_EQ(ulp_distance(2.0f, 1.0f), 0x800000u);  // one binade
}

TEST(Ulp, KeyIsMonotone) {
  float prev = -inf;
  for (float x : {-1e30f, -1.0f, -tiny, 0.0f, tiny, 1e-38f, 1.0f, 3e38f, inf}) {
    EXPECT_LT(ulp_key(prev), ulp_key(x)) << x;
    prev = x;
  }
}

TEST(Ulp, SameBits) {
  EXPECT_TRUE(same_bits(1.0f, 1.0f));
  EXPECT_FALSE(same_bits(0.0f, -0.0f));
  EXPECT_TRUE(same_bits(nan, nan));
}

TEST(Ulp, Stats) {
  ulp_stats s;
  EXPECT_EQ(s.mean(), 0.0);
  s.add(1.0f, 1.0f, 0);
  s.add(std::nextafter(1.0f, 2.0f), 1.0f, 1);
  s.add(4.0f, std::nextafter(std::nextafter(std::nextafter(4.0f, 0.0f), 0.0f), 0.0f), 2);
  EXPECT_EQ(s.max, 3u);
  EXPECT_EQ(s.worst_index, 2u);
  EXPECT_DOUBLE_EQ(s.mean(), 4.0 / 3.0);
  s.add(nan, 1.0f, 3);
  EXPECT_EQ(s.max, ulp_nan_mismatch);
  EXPECT_EQ(s.worst_index, 3u);
  EXPECT_EQ(s.nan_mismatches, 1u);
  EXPECT_DOUBLE_EQ(s.mean(), 4.0 / 3.0);
}

}  // namespace
}  // namespace ek::harness
