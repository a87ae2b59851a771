// decay_test.cpp — golden values and special cases of the reference decay (ek::ref::decay and
// ek::ref::retention): each family at known points, age 0, huge ages, floor, per-memory tau.
#include "reference/decay.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

// e^-1 to 17 digits: one tau of exponential decay.
constexpr double kInvE = 0.36787944117144233;

engram_decay_params params(engram_decay_family family, double tau = 86400.0, double beta = 1.0,
                           double switch_seconds = 86400.0, double floor = 0.0) {
  engram_decay_params p = engram_decay_params_default();
  p.family = family;
  p.tau_seconds = tau;
  p.beta = beta;
  p.switch_seconds = switch_seconds;
  p.floor = floor;
  return p;
}

float decayed(float strength, uint64_t age, const engram_decay_params& p) {
  ek::ref::decay(&strength, &age, 1, p);
  return strength;
}

TEST(ReferenceDecay, OneTauOfExponentialIsOneOverE) {
  const engram_decay_params p = params(ENGRAM_DECAY_EXPONENTIAL);
  EXPECT_EQ(decayed(1.0f, 86400, p), static_cast<float>(kInvE));
  EXPECT_EQ(decayed(1.0f, 86400, p), 0.36787945f);
  EXPECT_EQ(decayed(-2.0f, 86400, p), static_cast<float>(-2.0 * kInvE));
  EXPECT_EQ(decayed(1.0f, 2 * 86400, p), static_cast<float>(kInvE * kInvE));
}

TEST(ReferenceDecay, PowerLawAtKnownPoints) {
  // (1 + t/tau)^-beta: t = tau, beta = 1 gives 2^-1; t = 3 tau, beta = 2 gives 4^-2.
  EXPECT_EQ(decayed(1.0f, 1000, params(ENGRAM_DECAY_POWER_LAW, 1000.0, 1.0)), 0.5f);
  EXPECT_EQ(decayed(1.0f, 3000, params(ENGRAM_DECAY_POWER_LAW, 1000.0, 2.0)), 0.0625f);
  EXPECT_EQ(decayed(0.75f, 123456, params(ENGRAM_DECAY_POWER_LAW, 1000.0, 0.0)), 0.75f);
}

TEST(ReferenceDecay, HybridIsExponentialThenAContinuousPowerLaw) {
  // tau = switch = 1000, beta = 1: exp(-t/tau) up to t = 1000, then e^-1 * (2 / (1 + t/tau)).
  const engram_decay_params p = params(ENGRAM_DECAY_HYBRID, 1000.0, 1.0, 1000.0);
  const double below = ek::ref::retention(999, 1000.0, p);
  const double at = ek::ref::retention(1000, 1000.0, p);
  const double above = ek::ref::retention(1001, 1000.0, p);
  EXPECT_DOUBLE_EQ(below, 0.36824750461366290);  // exp(-0.999)
  EXPECT_DOUBLE_EQ(at, kInvE);
  EXPECT_DOUBLE_EQ(above, 0.36769559337475500);  // e^-1 / 1.0005
  // No jump at the switch: each one-second step differs from R only by the slope of its side,
  // -R/tau before the switch and -beta R/(tau + s) after it (to first order).
  EXPECT_NEAR(below - at, at / 1000.0, at * 1e-6);
  EXPECT_NEAR(at - above, at / 2000.0, at * 1e-6);
  EXPECT_EQ(decayed(1.0f, 3000, p), static_cast<float>(kInvE * 2.0 / 4.0));
}

TEST(ReferenceDecay, AgeZeroLeavesEveryStrengthBitIdentical) {
  const std::vector<uint32_t> bits{0x3f800000u, 0x80000000u, 0x00000000u,
                                   0x7fc12345u, 0xffc00001u, 0x7fa00001u /* signaling */,
                                   0x00000001u, 0x7f800000u, 0xff800000u};
  for (engram_decay_family family :
       {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID}) {
    const engram_decay_params p = params(family, 1e-3, 5.0, 0.0, 0.5);
    for (uint32_t b : bits) {
      const float out = decayed(std::bit_cast<float>(b), 0, p);
      EXPECT_EQ(std::bit_cast<uint32_t>(out), b) << std::hex << b << " family " << family;
    }
  }
}

TEST(ReferenceDecay, SignedZeroAndNaNSurviveAnyAge) {
  const engram_decay_params p = params(ENGRAM_DECAY_EXPONENTIAL);
  for (uint64_t age : {uint64_t{1}, uint64_t{86400}, UINT64_MAX}) {
    const float neg = decayed(-0.0f, age, p), pos = decayed(0.0f, age, p);
    EXPECT_TRUE(neg == 0.0f && std::signbit(neg)) << age;
    EXPECT_TRUE(pos == 0.0f && !std::signbit(pos)) << age;
    EXPECT_TRUE(std::isnan(decayed(std::numeric_limits<float>::quiet_NaN(), age, p))) << age;
  }
}

TEST(ReferenceDecay, HugeAgesGiveZeroOrTheFloorNeverNaN) {
  for (engram_decay_family family :
       {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID}) {
    for (uint64_t age : {uint64_t{1000000000000}, UINT64_MAX}) {
      const float r = decayed(1.0f, age, params(family, 1.0, 50.0, 10.0));
      EXPECT_EQ(r, 0.0f) << family << " " << age;
      EXPECT_EQ(decayed(1.0f, age, params(family, 1.0, 50.0, 10.0, 0.25)), 0.25f);
    }
  }
  // The default exponential: 1e12 s is ~1.2e7 tau.
  EXPECT_EQ(decayed(1.0f, 1000000000000, engram_decay_params_default()), 0.0f);
  // Power law decays slowly: at UINT64_MAX with tau = 1 day and beta = 1, R = 1/(1 + t/tau).
  const float slow = decayed(1.0f, UINT64_MAX, params(ENGRAM_DECAY_POWER_LAW, 86400.0, 1.0));
  EXPECT_EQ(slow, static_cast<float>(86400.0 / (86400.0 + 18446744073709551616.0)));
}

TEST(ReferenceDecay, DegenerateTauNeverGivesNaN) {
  // t / tau overflows to +Inf for a tau this small: beta = 0 still means R = 1, and a hybrid
  // whose exponential part has underflowed gives 0.
  const double tiny = 1e-300;
  EXPECT_EQ(decayed(0.5f, UINT64_MAX, params(ENGRAM_DECAY_POWER_LAW, tiny, 0.0)), 0.5f);
  EXPECT_EQ(decayed(0.5f, UINT64_MAX, params(ENGRAM_DECAY_POWER_LAW, tiny, 1.0)), 0.0f);
  EXPECT_EQ(decayed(0.5f, UINT64_MAX, params(ENGRAM_DECAY_HYBRID, tiny, 1.0, 1e10)), 0.0f);
  EXPECT_EQ(decayed(0.5f, UINT64_MAX, params(ENGRAM_DECAY_HYBRID, tiny, 0.0, 1e10)), 0.0f);
  EXPECT_EQ(decayed(0.5f, UINT64_MAX, params(ENGRAM_DECAY_EXPONENTIAL, tiny)), 0.0f);
}

TEST(ReferenceDecay, FloorBoundsRetentionFromBelowOnly) {
  const engram_decay_params p = params(ENGRAM_DECAY_EXPONENTIAL, 86400.0, 1.0, 0.0, 0.5);
  EXPECT_EQ(decayed(0.8f, 10 * 86400, p), static_cast<float>(0.8f * 0.5));
  EXPECT_EQ(decayed(1.0f, 86400, params(ENGRAM_DECAY_EXPONENTIAL, 86400.0, 1.0, 0.0, 0.25)),
            static_cast<float>(kInvE));  // R above the floor is kept
  EXPECT_EQ(decayed(0.8f, 10 * 86400, params(ENGRAM_DECAY_EXPONENTIAL, 86400.0, 1, 0, 1.0)), 0.8f);
}

TEST(ReferenceDecay, PerMemoryTauReplacesTheSharedOne) {
  const std::vector<float> taus{1.0f, 2.0f, 1000.0f};
  engram_decay_params p = params(ENGRAM_DECAY_EXPONENTIAL, 5.0);
  p.tau_per_memory = taus.data();
  std::vector<float> s{1.0f, 1.0f, 1.0f};
  const std::vector<uint64_t> ages{1, 2, 1000};
  ek::ref::decay(s.data(), ages.data(), s.size(), p);
  for (float x : s) EXPECT_EQ(x, static_cast<float>(kInvE));
}

TEST(ReferenceDecay, ProductIsRoundedOnceFromDouble) {
  // (1 + 2^-20) e^-1: rounding R to float first and multiplying in f32 gives the next float up.
  const float s = 1.0f + 0x1p-20f;
  const float once = static_cast<float>(static_cast<double>(s) * kInvE);
  EXPECT_NE(once, s * static_cast<float>(kInvE));
  EXPECT_EQ(decayed(s, 86400, params(ENGRAM_DECAY_EXPONENTIAL)), once);
}

}  // namespace
