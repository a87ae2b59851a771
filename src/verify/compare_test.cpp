// compare_test.cpp — the contract functions verify, bench and the fuzz harnesses share, on
// hand-made outputs: the rules stricter than an error bound (exact sums on integer inputs, NaN
// bits, the sign of zero, age 0 against the input) each catch what the looser checks let through;
// spreading's bit identity, batch's per-row cosine check and top-k's exact selection too.
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engram_kern.h"
#include "kernels/cosine.hpp"
#include "reference/cosine.hpp"
#include "reference/decay.hpp"
#include "src/verify/compare.hpp"

namespace ek::verify {
namespace {

// `x` moved by `steps` f32 ULPs toward +Inf.
float ulps_up(float x, int steps) {
  for (int i = 0; i < steps; ++i) x = std::nextafter(x, INFINITY);
  return x;
}

// The reference's scores, and the same scores 4 ULPs (4 · 2^-24 in [0.5, 1)) up: beyond the
// exact-sum bound, within cosine_error_bound(3).
struct cosine_outputs {
  std::vector<float> expected, off;
};
cosine_outputs cosine_off_by_4_ulp(const std::vector<float>& q, const std::vector<float>& c) {
  cosine_outputs o{std::vector<float>(1), {}};
  ref::cosine(q.data(), c.data(), o.expected.data(), q.size(), 1);
  o.off = {ulps_up(o.expected[0], 4)};
  const double err = double(o.off[0]) - double(o.expected[0]);
  EXPECT_GT(err, cosine_exact_sum_bound);
  EXPECT_LT(err, kern::cosine_error_bound(q.size()));
  return o;
}

TEST(CosineViolation, IntegerInputsAreHeldToTheExactSumBound) {
  const std::vector<float> q = {1, 2, 3}, c = {3, 2, 1};
  const cosine_outputs o = cosine_off_by_4_ulp(q, c);
  check_result stats;
  EXPECT_EQ(cosine_violation(q, c, o.expected, o.expected, stats), "");
  const std::string reason = cosine_violation(q, c, o.expected, o.off, stats);
  EXPECT_NE(reason.find("integer inputs make the sums exact"), std::string::npos) << reason;
}

TEST(CosineViolation, OtherInputsGetTheWholeBound) {
  const std::vector<float> q = {1.5f, 2, 3}, c = {3, 2, 1};
  const cosine_outputs o = cosine_off_by_4_ulp(q, c);
  check_result stats;
  EXPECT_EQ(cosine_violation(q, c, o.expected, o.off, stats), "");
}

TEST(CosineViolation, ADirectionlessVectorScoresPlusZero) {
  const std::vector<float> q = {1, 2}, c = {0, -0.0f};
  const std::vector<float> expected = {0.0f};
  check_result stats;
  EXPECT_EQ(cosine_violation(q, c, expected, expected, stats), "");
  const std::string reason = cosine_violation(q, c, expected, std::vector<float>{-0.0f}, stats);
  EXPECT_NE(reason.find("no direction"), std::string::npos) << reason;
}

// The reference's decay of `strengths` at `ages` under the default parameters.
std::vector<float> reference_decay(std::vector<float> strengths,
                                   const std::vector<uint64_t>& ages) {
  ref::decay(strengths.data(), ages.data(), ages.size(), engram_decay_params_default());
  return strengths;
}

TEST(DecayViolation, ANaNResultKeepsTheReferencesPayload) {
  const std::vector<float> strengths = {std::bit_cast<float>(0x7fc01234u)};
  const std::vector<uint64_t> ages = {3600};
  const std::vector<float> expected = reference_decay(strengths, ages);
  ASSERT_TRUE(std::isnan(expected[0]));
  const std::vector<float> other_nan = {
      std::bit_cast<float>(std::bit_cast<uint32_t>(expected[0]) ^ 1u)};
  ASSERT_TRUE(std::isnan(other_nan[0]));
  check_result stats;
  EXPECT_EQ(decay_violation(strengths, ages, expected, expected, stats), "");
  const std::string reason = decay_violation(strengths, ages, expected, other_nan, stats);
  EXPECT_NE(reason.find("must be bit-identical"), std::string::npos) << reason;
}

TEST(DecayViolation, ZeroKeepsItsSign) {
  const std::vector<float> strengths = {-0.0f};
  const std::vector<uint64_t> ages = {3600};
  const std::vector<float> expected = reference_decay(strengths, ages);
  ASSERT_TRUE(expected[0] == 0.0f && std::signbit(expected[0]));
  check_result stats;
  const std::string reason =
      decay_violation(strengths, ages, expected, std::vector<float>{0.0f}, stats);
  EXPECT_NE(reason.find("the sign of zero is kept"), std::string::npos) << reason;
}

TEST(DecayViolation, AgeZeroIsHeldToTheInputNotTheReference) {
  const std::vector<float> strengths = {0.5f};
  const std::vector<uint64_t> ages = {0};
  // A reference that moved the strength by one ULP, and a kernel that agrees with it.
  const std::vector<float> moved = {ulps_up(0.5f, 1)};
  check_result stats;
  EXPECT_EQ(decay_violation(strengths, ages, strengths, strengths, stats), "");
  const std::string reason = decay_violation(strengths, ages, moved, moved, stats);
  EXPECT_NE(reason.find("must be bit-identical"), std::string::npos) << reason;
}

// Spreading is bit identity: one ULP, the sign of a zero or a NaN's payload is a violation.
TEST(SpreadViolation, AnyDifferentBitIsOne) {
  const std::vector<float> expected = {0.25f, 0.0f, std::bit_cast<float>(0x7fc00001u)};
  check_result stats;
  EXPECT_EQ(spread_violation(expected, expected, stats), "");
  for (size_t v = 0; v < expected.size(); ++v) {
    std::vector<float> actual = expected;
    actual[v] =
        std::bit_cast<float>(std::bit_cast<uint32_t>(expected[v]) ^ (v == 1 ? 0x80000000u : 1u));
    const std::string reason = spread_violation(expected, actual, stats);
    EXPECT_NE(reason.find("activation " + std::to_string(v)), std::string::npos) << reason;
  }
}

// Batch: each row is the cosine check of its query; a violation names the query and the score.
TEST(BatchViolation, EachRowIsHeldToTheCosineContract) {
  const std::vector<float> queries = {1, 0, 0, 1}, candidates = {1, 0, 1, 1, 0, 1};
  std::vector<float> expected(6);
  for (size_t i = 0; i < 2; ++i)
    ref::cosine(queries.data() + 2 * i, candidates.data(), expected.data() + 3 * i, 2, 3);
  check_result stats;
  EXPECT_EQ(batch_violation(queries, candidates, 2, 2, expected, expected, stats), "");
  std::vector<float> actual = expected;
  actual[4] = ulps_up(actual[4], 4);  // integer inputs: beyond the exact-sum bound
  const std::string reason = batch_violation(queries, candidates, 2, 2, expected, actual, stats);
  EXPECT_NE(reason.find("query 1, score 1"), std::string::npos) << reason;
  // No query: nothing to check, whatever the candidates.
  EXPECT_EQ(batch_violation({}, candidates, 0, 2, {}, {}, stats), "");
}

// Top-k: the exact selection of the batch row, down to the bits, the tie order and the padding.
TEST(TopkViolation, OnlyTheExactSelectionOfTheBatchPasses) {
  const std::vector<float> batch = {0.5f, 0.75f, 0.5f};  // one query, three candidates
  const auto violation = [&](std::vector<uint32_t> index, std::vector<float> score) {
    return topk_violation(batch, 1, 3, index.size(), index, score);
  };
  const float inf = INFINITY;
  EXPECT_EQ(violation({1, 0, 2, UINT32_MAX}, {0.75f, 0.5f, 0.5f, -inf}), "");
  EXPECT_EQ(violation({}, {}), "");  // k = 0
  const std::string tie = violation({1, 2}, {0.75f, 0.5f});
  EXPECT_NE(tie.find("lower candidate index"), std::string::npos) << tie;
  const std::string bits = violation({1, 0}, {0.75f, ulps_up(0.5f, 1)});
  EXPECT_NE(bits.find("bit-identical"), std::string::npos) << bits;
  const std::string order = violation({0, 1}, {0.5f, 0.75f});
  EXPECT_NE(order.find("exact selection"), std::string::npos) << order;
  const std::string pad = violation({1, 0, 2, 0}, {0.75f, 0.5f, 0.5f, 0.0f});
  EXPECT_NE(pad.find("UINT32_MAX and -inf"), std::string::npos) << pad;
  // No query: nothing to select, whatever k.
  EXPECT_EQ(topk_violation({}, 0, 3, 2, {}, {}), "");
}

}  // namespace
}  // namespace ek::verify
