// stats_test.cpp — medians, the sign-test and Hodges–Lehmann intervals, and their coverage on
// synthetic data from the harness PRNG (fixed seeds, so the counts are reproducible).
#include "src/bench/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "src/harness/prng.hpp"

namespace ek::bench {
namespace {

TEST(Stats, MedianAndMad) {
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(mad({1, 2, 3, 4, 100}), 1);  // deviations 2, 1, 0, 1, 97
  EXPECT_EQ(mad({7}), 0);
  EXPECT_THROW(median({}), std::invalid_argument);
}

// P(Binomial(n, 1/2) <= k - 1), summed directly with exact integer binomial coefficients.
double lower_tail(size_t n, size_t k) {
  double sum = 0, c = 1;
  for (size_t j = 0; j < k; ++j) {
    sum += c;
    c = c * static_cast<double>(n - j) / static_cast<double>(j + 1);
  }
  return sum / std::pow(2.0, static_cast<double>(n));
}

TEST(Stats, SignTestRankIsTheLargestWithinTheTailBudget) {
  for (size_t n = 0; n < 6; ++n) EXPECT_EQ(sign_test_rank(n), 0u) << n;
  for (size_t n = 6; n <= 200; ++n) {
    const size_t k = sign_test_rank(n);
    ASSERT_GE(k, 1u) << n;
    EXPECT_LE(lower_tail(n, k), 0.025) << n;
    EXPECT_GT(lower_tail(n, k + 1), 0.025) << n;
  }
  EXPECT_EQ(sign_test_rank(15), 4u);  // P(X <= 3) = 576/32768 = 1.76 %
}

TEST(Stats, PairedRatiosUseTheCommonLength) {
  const auto r = paired_ratios({2, 9, 8}, {1, 3});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[1], 3);
}

TEST(Stats, MedianIntervalCoversTheTrueMedianAtLeast95Percent) {
  // Log-normal speed-ups with true median e^0.2; n = 15 gives exact coverage 1 - 2 * 1.76 %.
  harness::prng rng(20240601);
  const double truth = std::exp(0.2);
  int covered = 0;
  const int trials = 4000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(15);
    for (double& v : x) v = std::exp(0.2 + 0.1 * rng.normal());
    const interval i = median_interval(x);
    EXPECT_LE(i.low, i.median);
    EXPECT_LE(i.median, i.high);
    covered += i.low <= truth && truth <= i.high;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GT(coverage, 0.95);  // expected 0.965; its standard error here is 0.003
  EXPECT_LT(coverage, 0.98);
}

TEST(Stats, ShiftIntervalOfAnExactScaling) {
  const std::vector<double> before = {1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7};
  std::vector<double> now;
  for (double b : before) now.push_back(0.5 * b);
  const interval i = shift_ratio_interval(now, before);
  EXPECT_NEAR(i.median, 0.5, 1e-12);
  EXPECT_LT(i.low, 0.5);
  EXPECT_GT(i.high, 0.5);
}

TEST(Stats, ShiftIntervalCoversTheTrueRatio) {
  harness::prng rng(7);
  const double truth = 0.8;  // now is 20 % below before
  int covered = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> now(15), before(15);
    for (double& v : before) v = std::exp(0.1 * rng.normal());
    for (double& v : now) v = truth * std::exp(0.1 * rng.normal());
    const interval i = shift_ratio_interval(now, before);
    covered += i.low <= truth && truth <= i.high;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GT(coverage, 0.93);  // nominal 95 %, normal approximation of the Mann–Whitney quantile
  EXPECT_LT(coverage, 0.99);
}

}  // namespace
}  // namespace ek::bench
