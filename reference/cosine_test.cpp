// cosine_test.cpp — golden values and special cases of the reference cosine (ek::ref::cosine),
// each computed by hand: directions, zero/empty/non-finite vectors, clamping, extreme magnitudes.
#include "reference/cosine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kDenormMin = std::numeric_limits<float>::denorm_min();
constexpr float kMax = std::numeric_limits<float>::max();
// 1 / sqrt(2) to 17 digits, rounded once to float.
const float kInvSqrt2 = static_cast<float>(0.70710678118654752);

std::vector<float> scores_of(const std::vector<float>& q, const std::vector<float>& cands) {
  const size_t count = q.empty() ? cands.size() : cands.size() / q.size();
  std::vector<float> s(count, -7.0f);
  ek::ref::cosine(q.data(), cands.data(), s.data(), q.size(), count);
  return s;
}

float score(const std::vector<float>& q, const std::vector<float>& c) { return scores_of(q, c)[0]; }

bool is_positive_zero(float x) { return x == 0.0f && !std::signbit(x); }

TEST(ReferenceCosine, GoldenValues) {
  EXPECT_EQ(score({1, 0}, {1, 1}), kInvSqrt2);
  EXPECT_EQ(score({3, 4}, {4, 3}), static_cast<float>(24.0 / 25.0));
  EXPECT_EQ(score({1, 0}, {-1, 1}), -kInvSqrt2);
  EXPECT_TRUE(is_positive_zero(score({1, 0}, {0, 1})));
}

TEST(ReferenceCosine, ScoresEveryCandidateOfTheBatch) {
  const std::vector<float> s = scores_of({1, 0}, {1, 1, 0, 2, -3, 0, 2, 0});
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], kInvSqrt2);
  EXPECT_TRUE(is_positive_zero(s[1]));
  EXPECT_EQ(s[2], -1.0f);
  EXPECT_EQ(s[3], 1.0f);
}

TEST(ReferenceCosine, VectorsWithoutDirectionScoreZero) {
  EXPECT_TRUE(is_positive_zero(score({0, 0, 0}, {1, 2, 3})));  // zero query
  EXPECT_TRUE(is_positive_zero(score({-0.0f, 0, -0.0f}, {1, 2, 3})));
  EXPECT_TRUE(is_positive_zero(score({1, 2, 3}, {0, -0.0f, 0})));  // zero candidate
  for (float s : scores_of({}, {1, 2, 3}))  // empty vectors: three candidates of length 0
    EXPECT_TRUE(is_positive_zero(s));
}

TEST(ReferenceCosine, NonFiniteVectorsScoreZeroWithoutPoisoningOthers) {
  for (float bad : {kNaN, kInf, -kInf}) {
    for (float s : scores_of({1, bad}, {1, 1, 2, 2})) EXPECT_TRUE(is_positive_zero(s)) << bad;
    const std::vector<float> s = scores_of({1, 0}, {1, 1, bad, 1, 1, bad});
    EXPECT_EQ(s[0], kInvSqrt2) << bad;
    EXPECT_TRUE(is_positive_zero(s[1])) << bad;
    EXPECT_TRUE(is_positive_zero(s[2])) << bad;
  }
}

TEST(ReferenceCosine, ParallelAndAntiparallelStayInsideMinusOneOne) {
  std::vector<float> q(1000), parallel(1000), anti(1000);
  for (size_t i = 0; i < q.size(); ++i) {
    q[i] = 0.1f * static_cast<float>(i % 17) - 0.7f;
    parallel[i] = 3.0f * q[i];
    anti[i] = -7.0f * q[i];
  }
  EXPECT_EQ(score(q, parallel), 1.0f);
  EXPECT_EQ(score(q, anti), -1.0f);
  EXPECT_EQ(score(q, q), 1.0f);
}

TEST(ReferenceCosine, ExtremeMagnitudesNeitherOverflowNorUnderflow) {
  EXPECT_EQ(score({1e-40f, 1e-40f}, {1e-40f, 0}), kInvSqrt2);  // subnormal: squares underflow f32
  EXPECT_EQ(score({1e38f, 1e38f}, {3e38f, 0}), kInvSqrt2);     // squares overflow f32
  EXPECT_EQ(score({1e-40f, 0}, {1e38f, 1e38f}), kInvSqrt2);    // both ends at once
  EXPECT_EQ(score({kDenormMin}, {kMax}), 1.0f);
  EXPECT_EQ(score({kMax, -kMax}, {-kMax, kMax}), -1.0f);
  EXPECT_EQ(score(std::vector<float>(1000, kMax), std::vector<float>(1000, kMax)), 1.0f);
}

TEST(ReferenceCosine, DotIsExactOnIntegers) {
  const std::vector<float> a{1, 2, 3, -32}, b{4, -5, 6, 32};
  EXPECT_EQ(ek::ref::dot(a.data(), b.data(), a.size()), 4.0 - 10.0 + 18.0 - 1024.0);
  EXPECT_EQ(ek::ref::dot(a.data(), b.data(), 0), 0.0);
}

}  // namespace
