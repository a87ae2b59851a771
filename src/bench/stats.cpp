// stats.cpp — medians, sign-test and Hodges–Lehmann intervals. Every interval here is
// distribution-free and deterministic: no resampling, so the same timings give the same verdict.
#include "src/bench/stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ek::bench {

double median(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median of an empty sample");
  const size_t n = values.size();
  std::sort(values.begin(), values.end());
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double mad(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double m = median(values);
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double v : values) dev.push_back(std::fabs(v - m));
  return median(std::move(dev));
}

size_t sign_test_rank(size_t n) {
  // Walk the binomial CDF in log space (lgamma) so that large n neither overflows nor underflows.
  size_t k = 0;
  double cdf = 0;
  for (size_t j = 0; j < n; ++j) {
    const double log_pmf = std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0) -
                           static_cast<double>(n) * std::log(2.0);
    cdf += std::exp(log_pmf);
    if (cdf > 0.025) break;
    k = j + 1;  // P(X <= j) <= 2.5 %: rank j + 1 still keeps the tail within budget
  }
  return k;
}

interval median_interval(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("interval of an empty sample");
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const size_t k = sign_test_rank(n);
  interval out;
  out.median = median(values);
  out.low = k ? values[k - 1] : values.front();
  out.high = k ? values[n - k] : values.back();
  return out;
}

std::vector<double> paired_ratios(const std::vector<double>& numerator,
                                  const std::vector<double>& denominator) {
  const size_t n = std::min(numerator.size(), denominator.size());
  std::vector<double> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = numerator[i] / denominator[i];
  return r;
}

interval shift_ratio_interval(const std::vector<double>& now, const std::vector<double>& before) {
  if (now.empty() || before.empty()) throw std::invalid_argument("shift of an empty sample");
  std::vector<double> d;
  d.reserve(now.size() * before.size());
  for (double x : now)
    for (double y : before) d.push_back(std::log(x) - std::log(y));
  std::sort(d.begin(), d.end());
  const double m = static_cast<double>(now.size());
  const double n = static_cast<double>(before.size());
  const double mn = m * n;
  // Mann–Whitney: the interval's ends are the C-th smallest and largest pairwise differences,
  // C = mn/2 - z_0.975 * sqrt(mn(m+n+1)/12), rounded down (conservative).
  const double c = std::floor(mn / 2 - 1.959963984540054 * std::sqrt(mn * (m + n + 1) / 12));
  const size_t k = c >= 1 ? static_cast<size_t>(c) : 1;
  interval out;
  out.median = std::exp(median(d));
  out.low = std::exp(d[k - 1]);
  out.high = std::exp(d[d.size() - k]);
  return out;
}

}  // namespace ek::bench
