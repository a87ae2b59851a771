// decay_long_test.cpp — the exhaustive check of the decay kernel's own exp2 and log1p: every float
// of their reduced ranges (about 2.1e9 each) against libm in double, within the budgets of
// kernels/decay.hpp. Labelled `long` in ctest; not run by default.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "kernels/decay.hpp"
#include "kernels/decay_impl.hpp"

namespace {

namespace num = ek::kern::decay_numerics;
using base_arch = xsimd::default_arch;
using dbatch = xsimd::batch<double, base_arch>;

// Every float in [lo, hi], walked by bit pattern (both signs), through `approx` against `exact`.
template <class F, class G>
double max_rel_error_every_float(float lo, float hi, F approx, G exact, uint64_t* points) {
  constexpr size_t n = dbatch::size;
  alignas(64) double x[n], y[n];
  double worst = 0;
  size_t fill = 0;
  *points = 0;
  auto flush = [&](size_t m) {
    approx(dbatch::load_aligned(x)).store_aligned(y);
    for (size_t j = 0; j < m; ++j) {
      const double e = exact(x[j]);
      if (e != 0) worst = std::max(worst, std::fabs(y[j] - e) / std::fabs(e));
    }
  };
  // Every float of [lo, hi] in order: a while loop, as a float loop counter reads like a bug.
  float f = lo;
  while (f <= hi) {
    x[fill++] = f;
    ++*points;
    if (fill == n) {
      flush(n);
      fill = 0;
    }
    f = std::nextafter(f, hi + 1.0f);
  }
  for (size_t j = fill; j < n; ++j) x[j] = 0;
  if (fill != 0) flush(fill);
  return worst;
}

TEST(DecayMathLong, Exp2EveryFloatOfTheReducedRange) {
  uint64_t points = 0;
  const double err = max_rel_error_every_float(
      float(num::exp2_reduced_min), float(num::exp2_reduced_max),
      [](dbatch g) { return ek::kern::decay_detail::exp2_reduced<base_arch>(g); },
      [](double g) { return std::exp2(g); }, &points);
  std::printf("[ exp2 ] every float of [-0.5, 0.5]: %llu points, max relative error 2^%.2f\n",
              (unsigned long long)points, std::log2(err));
  EXPECT_LT(err, num::exp2_max_rel_error);
}

TEST(DecayMathLong, Log1pEveryFloatOfTheReducedRange) {
  uint64_t points = 0;
  const double err = max_rel_error_every_float(
      float(num::log1p_reduced_min), float(num::log1p_reduced_max),
      [](dbatch f) { return ek::kern::decay_detail::log1p_reduced<base_arch>(f); },
      [](double f) { return std::log1p(f); }, &points);
  std::printf("[ log1p ] every float of [-1/16, 1/16]: %llu points, max relative error 2^%.2f\n",
              (unsigned long long)points, std::log2(err));
  EXPECT_LT(err, num::log1p_max_rel_error);
}

}  // namespace
