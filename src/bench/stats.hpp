// stats.hpp — the statistics behind `engram-kern bench`: medians, dispersion, and two
// distribution-free 95 % confidence intervals (sign test for one sample, Hodges–Lehmann for two).
#pragma once

#include <cstddef>
#include <vector>

namespace ek::bench {

/// A point estimate with its 95 % confidence interval.
struct interval {
  double median = 0;
  double low = 0;
  double high = 0;
};

/// Median of a non-empty sample (mean of the two middle values for an even count).
double median(std::vector<double> values);

/// Median absolute deviation from the median (unscaled), 0 for fewer than two values.
double mad(const std::vector<double>& values);

/// The 1-based rank k of the sign-test interval [x_(k), x_(n+1-k)] for the median: the largest k
/// with P(Binomial(n, 1/2) <= k - 1) <= 2.5 %, so the interval covers the true median with
/// probability >= 95 % for any continuous distribution. 0 when n < 6 (no such interval exists).
size_t sign_test_rank(size_t n);

/// Median of `values` with its sign-test 95 % interval. With fewer than 6 values the interval is
/// [min, max] (coverage below 95 %; the caller reports the sample as too small).
interval median_interval(std::vector<double> values);

/// r[i] = numerator[i] / denominator[i] over the common length of the two samples.
std::vector<double> paired_ratios(const std::vector<double>& numerator,
                                  const std::vector<double>& denominator);

/// The multiplicative shift between two independent samples of positive values (now vs before):
/// the Hodges–Lehmann estimate on logarithms, exp(median_ij(log now_i - log before_j)), with the
/// 95 % interval from the Mann–Whitney critical value (normal approximation). Both samples
/// non-empty; with tiny samples the interval falls back to the extreme pairwise differences.
interval shift_ratio_interval(const std::vector<double>& now, const std::vector<double>& before);

}  // namespace ek::bench
