// decay_test.cpp — the optimized decay of every runnable ISA against ek::ref::decay: every family,
// with and without per-memory tau and floor, special strengths and ages, counts 0–67, unaligned
// starts, guard pages; within decay_numerics::max_ulp. Also the accuracy of the kernel's own exp2
// and log1p over 2^24 points of their reduced ranges.
#include "kernels/decay.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "kernels/decay_impl.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/per_isa_test.hpp"
#include "reference/decay.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/ulp.hpp"

namespace {

namespace num = ek::kern::decay_numerics;
using ek::harness::ulp_distance;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr uint64_t kTwo53 = uint64_t{1} << 53;
constexpr uint64_t kTwo63 = uint64_t{1} << 63;
constexpr engram_decay_family kFamilies[] = {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW,
                                             ENGRAM_DECAY_HYBRID};

float bits_to_float(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

engram_decay_params make_params(engram_decay_family family, double tau, double beta, double sw,
                                double floor) {
  engram_decay_params p = engram_decay_params_default();
  p.family = static_cast<uint32_t>(family);
  p.tau_seconds = tau;
  p.beta = beta;
  p.switch_seconds = sw;
  p.floor = floor;
  return p;
}

// Every element of `got` against ek::ref::decay on the same input; fails the test on any
// contract violation and raises *worst to the largest ULP distance seen.
void expect_matches_reference(std::span<const float> input, std::span<const float> got,
                              std::span<const uint64_t> ages, const engram_decay_params& params,
                              const std::string& what, uint64_t* worst = nullptr) {
  std::vector<float> want(input.begin(), input.end());
  ek::ref::decay(want.data(), ages.data(), want.size(), params);
  for (size_t i = 0; i < input.size(); ++i) {
    const float in = input[i], out = got[i], ref = want[i];
    const std::string where = what + " i=" + std::to_string(i) + " age=" + std::to_string(ages[i]) +
                              " s=" + std::to_string(in);
    if (ages[i] == 0) {
      ASSERT_TRUE(ek::harness::same_bits(out, in)) << where << ": age 0 must keep every bit";
      continue;
    }
    if (std::isnan(ref)) {
      ASSERT_TRUE(std::isnan(out)) << where << ": reference NaN, got " << out;
      continue;
    }
    if (std::isnan(in)) {
      ASSERT_TRUE(std::isnan(out)) << where << ": NaN strength must stay NaN";
    }
    const uint64_t d = ulp_distance(out, ref);
    ASSERT_LE(d, num::max_ulp) << where << ": got " << out << " want " << ref;
    if (std::fabs(ref) < std::numeric_limits<float>::min()) {
      ASSERT_LE(std::fabs(double(out) - double(ref)), double(num::max_subnormal_error)) << where;
    }
    ASSERT_EQ(std::signbit(out), std::signbit(ref)) << where << ": sign";
    if (worst != nullptr) *worst = std::max(*worst, d);
  }
}

class DecayTest : public ek::kern::test::per_isa_suite {
 protected:
  ek::decay_fn kernel() const { return table().decay; }
  // Runs the kernel on a copy of `s` and checks it; returns the worst ULP distance.
  uint64_t check(const std::vector<float>& s, const std::vector<uint64_t>& ages,
                 const engram_decay_params& params, const std::string& what) const {
    std::vector<float> got = s;
    kernel()(got.data(), ages.data(), got.size(), params);
    uint64_t worst = 0;
    expect_matches_reference(s, got, ages, params, what, &worst);
    return worst;
  }
};

TEST_P(DecayTest, GeneratedWorkloadsEveryFamilyTauAndFloor) {
  uint64_t worst[3] = {};
  for (engram_decay_family family : kFamilies)
    for (bool per_tau : {false, true})
      for (bool floor : {false, true})
        for (bool specials : {false, true})
          for (uint64_t seed = 1; seed <= 4; ++seed) {
            ek::harness::decay_options o;
            o.family = family;
            o.per_memory_tau = per_tau;
            o.with_floor = floor;
            o.special_values = specials;
            const ek::harness::decay_workload w = ek::harness::make_decay(o, 4099, seed);
            const std::string what = ek::harness::to_string(family) + (per_tau ? " per-tau" : "") +
                                     (floor ? " floor" : "") + (specials ? " specials" : "") +
                                     " seed=" + std::to_string(seed);
            worst[family] = std::max(worst[family], check(w.strengths, w.ages, w.params, what));
            if (HasFatalFailure()) return;
          }
  for (engram_decay_family family : kFamilies)
    std::printf("[ max ulp ] %s %s: %llu\n", GetParam().c_str(),
                ek::harness::to_string(family).c_str(), (unsigned long long)worst[family]);
}

// Ages 1 ... 1e12 log-spread plus the conversion edges, against strengths over the float range:
// results cross from normal through subnormal to 0, and R from 1 through the floor.
TEST_P(DecayTest, LogSpreadAgesAndConversionEdges) {
  std::vector<uint64_t> ages;
  for (int e = 0; e <= 1200; ++e) ages.push_back(uint64_t(std::pow(10.0, e / 100.0)));
  for (int64_t k = -3; k <= 3; ++k) ages.push_back(kTwo53 + k);
  for (uint64_t a : {kTwo63 - 1, kTwo63, kTwo63 + 1, UINT64_MAX - 1, UINT64_MAX}) ages.push_back(a);
  const float strengths[] = {1.0f, 0.7f, -0.3f, 3e38f, 1e-30f, 1e-40f, 1.17549435e-38f};
  std::vector<float> s;
  std::vector<uint64_t> a;
  for (float x : strengths)
    for (uint64_t age : ages) {
      s.push_back(x);
      a.push_back(age);
    }
  for (engram_decay_family family : kFamilies)
    for (double tau : {1.0, 60.0, 86400.0, 3.7e7, 1e12})
      for (double beta : {0.3, 1.0, 2.9})
        for (double floor : {0.0, -0.0, 1e-30, 0.25}) {
          const engram_decay_params p = make_params(family, tau, beta, 0.8 * tau, floor);
          check(s, a, p,
                ek::harness::to_string(family) + " tau=" + std::to_string(tau) +
                    " beta=" + std::to_string(beta) + " floor=" + std::to_string(floor));
          if (HasFatalFailure()) return;
        }
}

TEST_P(DecayTest, SpecialStrengthsAndAges) {
  const float strengths[] = {0.0f,
                             -0.0f,
                             1.0f,
                             -1.0f,
                             kInf,
                             -kInf,
                             1e-45f,
                             -1e-45f,
                             1e-40f,
                             3.4028235e38f,
                             bits_to_float(0x7fc01234),  // quiet NaN with a payload
                             bits_to_float(0x7f801234),  // signaling NaN with a payload
                             bits_to_float(0xffc00001)};
  const uint64_t ages[] = {0,          1,      2,          59,     86400,     1000000,
                           kTwo53 - 1, kTwo53, kTwo53 + 1, kTwo63, UINT64_MAX};
  std::vector<float> s;
  std::vector<uint64_t> a;
  for (float x : strengths)
    for (uint64_t age : ages) {
      s.push_back(x);
      a.push_back(age);
    }
  for (engram_decay_family family : kFamilies)
    for (double floor : {0.0, 0.125, 1.0})
      for (double beta : {0.0, 1.0}) {
        const engram_decay_params p = make_params(family, 86400, beta, 3600, floor);
        std::vector<float> got = s;
        kernel()(got.data(), a.data(), got.size(), p);
        expect_matches_reference(s, got, a, p, ek::harness::to_string(family));
        if (HasFatalFailure()) return;
        // Huge ages give 0 or the floor: never NaN from a finite strength, and ±0 keeps its sign
        // (exponential only: at t = 2^63 a power law with beta 1 is still ~1e-14).
        if (family != ENGRAM_DECAY_EXPONENTIAL) continue;
        for (size_t i = 0; i < s.size(); ++i) {
          if (!std::isfinite(s[i]) || a[i] < kTwo63) continue;
          ASSERT_FALSE(std::isnan(got[i]));
          ASSERT_EQ(got[i], static_cast<float>(double(s[i]) * floor)) << s[i];
          ASSERT_EQ(std::signbit(got[i]), std::signbit(s[i]));
        }
      }
}

TEST_P(DecayTest, TinyTauOverflowsTheArgument) {
  // t / tau overflows to +Inf: R is 0 (or the floor); with beta 0 the power law is still 1.
  const std::vector<float> s = {1.0f, -2.0f, kInf, 0.5f};
  const std::vector<uint64_t> a = {1, UINT64_MAX, 5, 0};
  for (engram_decay_family family : kFamilies)
    for (double beta : {0.0, 0.5})
      for (double floor : {0.0, 0.5}) check(s, a, make_params(family, 1e-300, beta, 0, floor), "");
}

// ±Inf · R is NaN exactly where R is 0, so the kernel's cut must fall where the reference's R
// underflows to 0 (e^-z < 2^-1075). The hybrid is the hard case: its switch factor e^(-s/τ) alone
// can be deep in the subnormal range while the power law past the switch pushes R under the edge.
TEST_P(DecayTest, InfinityAtTheUnderflowEdge) {
  std::vector<uint64_t> one_sweep;
  for (uint64_t t = 700; t <= 3000; ++t) one_sweep.push_back(t);
  std::vector<float> s;
  std::vector<uint64_t> a;
  for (float x : {kInf, -kInf, 1.0f}) {
    s.insert(s.end(), one_sweep.size(), x);
    a.insert(a.end(), one_sweep.begin(), one_sweep.end());
  }
  const size_t n = s.size();
  for (engram_decay_family family : kFamilies)
    for (double beta : {0.5, 2.115})
      for (double sw : {700.0, 735.0, 740.5, 744.0}) {
        engram_decay_params p = make_params(family, 1.0, beta, sw, 0.0);
        check(s, a, p, ek::harness::to_string(family) + " sw=" + std::to_string(sw));
        if (HasFatalFailure()) return;
        const std::vector<float> tau(n, 1.0f);  // the per-memory path divides, not multiplies
        p.tau_per_memory = tau.data();
        check(s, a, p, ek::harness::to_string(family) + " per-tau sw=" + std::to_string(sw));
        if (HasFatalFailure()) return;
      }
}

// Counts 0–67 at every start offset 0–15, the data flush against a guard page on either side:
// the tails must neither read nor write outside [0, count).
TEST_P(DecayTest, CountsOffsetsAndGuardPages) {
  for (engram_decay_family family : kFamilies)
    for (bool per_tau : {false, true}) {
      ek::harness::decay_options o;
      o.family = family;
      o.per_memory_tau = per_tau;
      o.special_values = true;
      const ek::harness::decay_workload w = ek::harness::make_decay(o, 67 + 15, 7);
      for (size_t count = 0; count <= 67; ++count)
        for (size_t offset = 0; offset <= 15; ++offset)
          for (auto side : {ek::harness::guard_side::after, ek::harness::guard_side::before}) {
            std::span<const float> s(w.strengths.data() + offset, count);
            std::span<const uint64_t> a(w.ages.data() + offset, count);
            ek::harness::guarded_buffer sb = ek::harness::guarded_copy(s, side);
            ek::harness::guarded_buffer ab = ek::harness::guarded_copy(a, side, true);
            ek::harness::guarded_buffer tb;
            engram_decay_params p = w.params;
            if (per_tau) {
              tb = ek::harness::guarded_copy(
                  std::span<const float>(w.tau_per_memory.data() + offset, count), side, true);
              p.tau_per_memory = tb.as<const float>().data();
            }
            float* out = sb.as<float>().data();
            kernel()(out, ab.as<const uint64_t>().data(), count, p);
            expect_matches_reference(
                s, std::span<const float>(out, count), a, p,
                "count=" + std::to_string(count) + " offset=" + std::to_string(offset));
            if (HasFatalFailure()) return;
          }
    }
}

INSTANTIATE_TEST_SUITE_P(Isa, DecayTest, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

// ---- the kernel's own exp2 and log1p, on 2^24 points of their reduced ranges -------------------
// The math is the same template for every ISA; it is instantiated here for the build's baseline
// ISA (the ISA translation units must not be called with other types). The exhaustive check over
// every float of these ranges is decay_long_test.cpp.
using base_arch = xsimd::default_arch;
using dbatch = xsimd::batch<double, base_arch>;
constexpr size_t kSample = size_t{1} << 24;

template <class F, class G>
double max_rel_error(double lo, double hi, F approx, G exact) {
  constexpr size_t n = dbatch::size;
  alignas(64) double x[n], y[n];
  double worst = 0;
  for (size_t i = 0; i < kSample; i += n) {
    for (size_t j = 0; j < n; ++j) x[j] = lo + (hi - lo) * double(i + j) / double(kSample - 1);
    approx(dbatch::load_aligned(x)).store_aligned(y);
    for (size_t j = 0; j < n; ++j) {
      const double e = exact(x[j]);
      if (e != 0) worst = std::max(worst, std::fabs(y[j] - e) / std::fabs(e));
    }
  }
  return worst;
}

TEST(DecayMath, Exp2OnTheReducedRange) {
  const double err = max_rel_error(
      num::exp2_reduced_min, num::exp2_reduced_max,
      [](dbatch g) { return ek::kern::decay_detail::exp2_reduced<base_arch>(g); },
      [](double g) { return std::exp2(g); });
  std::printf("[ exp2 ] max relative error 2^%.2f over %zu points\n", std::log2(err), kSample);
  EXPECT_LT(err, num::exp2_max_rel_error);
}

TEST(DecayMath, Log1pOnTheReducedRange) {
  const double err = max_rel_error(
      num::log1p_reduced_min, num::log1p_reduced_max,
      [](dbatch f) { return ek::kern::decay_detail::log1p_reduced<base_arch>(f); },
      [](double f) { return std::log1p(f); });
  std::printf("[ log1p ] max relative error 2^%.2f over %zu points\n", std::log2(err), kSample);
  EXPECT_LT(err, num::log1p_max_rel_error);
}

TEST(DecayMath, Log1pWholeRangeAndExp2AtZero) {
  // The full log1p (reduction included) on x log-spread over [1e-300, 1e300], and p(0) == 1,
  // which keeps R == 1 wherever z == 0.
  alignas(64) double x[dbatch::size], y[dbatch::size];
  double err = 0;
  for (int i = 0; i < 1 << 16; i += int(dbatch::size)) {
    for (size_t j = 0; j < dbatch::size; ++j) x[j] = std::exp(-690.0 + 1380.0 * (i + j) / 65536.0);
    ek::kern::decay_detail::log1p<base_arch>(dbatch::load_aligned(x)).store_aligned(y);
    for (size_t j = 0; j < dbatch::size; ++j)
      err = std::max(err, std::fabs(y[j] / std::log1p(x[j]) - 1));
  }
  EXPECT_LT(err, num::log1p_max_rel_error);
  alignas(64) double out[dbatch::size];
  ek::kern::decay_detail::exp2_reduced<base_arch>(dbatch(0.0)).store_aligned(out);
  EXPECT_EQ(out[0], 1.0);
}

}  // namespace
