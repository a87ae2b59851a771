// verdict_test.cpp — the gate's decision rule and the comparison with a baseline.
#include "src/bench/verdict.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ek::bench {
namespace {

constexpr double threshold = 0.05;

TEST(Verdict, RegressedOnlyWhenTheWholeIntervalIsBeyondTheThreshold) {
  EXPECT_EQ(decide({-0.45, -0.5, -0.4}, 0.01, threshold), verdict_kind::regressed);
  EXPECT_EQ(decide({-0.06, -0.08, -0.04}, 0.01, threshold), verdict_kind::pass);  // straddles
  EXPECT_EQ(decide({-0.03, -0.049, -0.01}, 0.01, threshold), verdict_kind::pass);
  EXPECT_EQ(decide({0.08, 0.06, 0.1}, 0.01, threshold), verdict_kind::improved);
  EXPECT_EQ(decide({0.06, 0.04, 0.1}, 0.01, threshold), verdict_kind::pass);
}

TEST(Verdict, InconclusiveWhenTheNoiseFloorIsWiderThanTheThreshold) {
  EXPECT_EQ(decide({0.0, -0.02, 0.02}, 0.08, threshold), verdict_kind::inconclusive);
  // Beyond the threshold but within what an identical kernel showed: not a regression.
  EXPECT_EQ(decide({-0.065, -0.07, -0.06}, 0.08, threshold), verdict_kind::inconclusive);
  // Beyond both: a real regression even on a noisy run.
  EXPECT_EQ(decide({-0.25, -0.3, -0.2}, 0.08, threshold), verdict_kind::regressed);
  EXPECT_EQ(decide({0.0, -0.01, 0.01}, std::numeric_limits<double>::infinity(), threshold),
            verdict_kind::inconclusive);
}

TEST(Verdict, NoiseFloorIsTheFarEndOfTheAAInterval) {
  EXPECT_NEAR(noise_floor({1.0, 0.97, 1.02}), 0.03, 1e-12);
  EXPECT_NEAR(noise_floor({1.0, 0.99, 1.04}), 0.04, 1e-12);
}

variant_result timed_row(const std::string& variant, role kind, double ns) {
  variant_result r;
  r.workload = "cosine/d768/n1000";
  r.variant = variant;
  r.kind = kind;
  r.timed = true;
  r.status = "verified";
  for (int i = 0; i < 8; ++i) r.times_ns.push_back(ns * (1 + 0.001 * i));
  return r;
}

// The picked ISA 20 % slower than avx2 and faster than the reference: one finding, against avx2
// only; listed in --isa order (avx512 before avx2) it is still found; inside a wide A/A floor,
// or with the picked ISA only 3 % slower, none.
TEST(NeverSlower, ThePickedIsaAgainstTheReferenceAndEveryLowerIsa) {
  std::vector<variant_result> rows = {timed_row("reference", role::reference, 1000),
                                      timed_row("avx512", role::isa, 120),
                                      timed_row("avx2", role::isa, 100)};
  variant_result aa = timed_row("avx512/aa", role::aa, 120);
  aa.aa_ratio = interval{1.0, 0.99, 1.01};
  rows.push_back(aa);
  const auto found = find_slower("avx512", rows, threshold);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].than, "avx2");
  EXPECT_GT(found[0].ratio.low, 1.15);

  rows.back().aa_ratio = interval{1.0, 0.7, 1.3};
  EXPECT_TRUE(find_slower("avx512", rows, threshold).empty());
  rows.back().aa_ratio = interval{1.0, 0.99, 1.01};
  rows[1] = timed_row("avx512", role::isa, 103);
  EXPECT_TRUE(find_slower("avx512", rows, threshold).empty());
}

machine_info machine(const std::string& key) {
  machine_info m;
  m.key = key;
  return m;
}

variant_result timed(const std::string& variant, role kind, std::vector<double> speedups) {
  variant_result r;
  r.workload = "cosine/d768/n1000";
  r.kernel = "cosine";
  r.variant = variant;
  r.kind = kind;
  r.timed = true;
  r.status = "verified";
  r.speedups = std::move(speedups);
  r.speedup = median_interval(r.speedups);
  r.process_speedups = r.speedups;         // as if each pair came from its own process
  r.median_ns = 1000 / r.speedup->median;  // the reference takes 1000 ns
  return r;
}

std::vector<double> around(double center) {
  std::vector<double> v;
  for (int i = 0; i < 15; ++i) v.push_back(center * (1 + 0.002 * (i - 7)));
  return v;
}

std::vector<variant_result> run_with(double speedup, double aa_spread) {
  variant_result aa = timed("avx512/aa", role::aa, around(speedup));
  std::vector<double> aa_pairs;
  for (int i = 0; i < 15; ++i) aa_pairs.push_back(1 + aa_spread * (i - 7) / 7.0);
  aa.aa_ratio = median_interval(aa_pairs);
  return {timed("reference", role::reference, around(1)),
          timed("avx512", role::isa, around(speedup)), aa,
          timed("openblas", role::peer, around(0.1))};
}

TEST(Verdict, CompareFlagsAHalvedSpeedupAndPassesAnUnchangedOne) {
  baseline b;
  b.machine = machine("GenuineIntel-6-207-avx512");
  b.results = run_with(4.0, 0.01);

  const comparison same = compare(b.machine, run_with(4.0, 0.01), b, threshold);
  ASSERT_TRUE(same.comparable);
  ASSERT_EQ(same.verdicts.size(), 1u);  // only the optimized ISA is gated, never peers or A/A
  EXPECT_EQ(same.verdicts[0].variant, "avx512");
  EXPECT_EQ(same.verdicts[0].kind, verdict_kind::pass);
  EXPECT_EQ(exit_code(same), 0);

  const comparison slower = compare(b.machine, run_with(2.0, 0.01), b, threshold);
  ASSERT_EQ(slower.verdicts.size(), 1u);
  EXPECT_EQ(slower.verdicts[0].kind, verdict_kind::regressed);
  EXPECT_LT(slower.verdicts[0].change.high, -threshold);
  EXPECT_NEAR(slower.verdicts[0].change.median, -0.5, 0.01);
  EXPECT_EQ(exit_code(slower), 1);

  const comparison noisy = compare(b.machine, run_with(4.0, 0.2), b, threshold);
  EXPECT_EQ(noisy.verdicts[0].kind, verdict_kind::inconclusive);
  EXPECT_EQ(exit_code(noisy), 3);
}

// A reference that got faster halves every speed-up, but the kernel is as fast as it was: that is
// not a regression of the kernel. Only a kernel slower in time as well is.
TEST(Verdict, ARatioChangeWithTheKernelTimeUnchangedIsNotAVerdict) {
  baseline b;
  b.machine = machine("GenuineIntel-6-207-avx512");
  b.results = run_with(4.0, 0.01);

  std::vector<variant_result> faster_reference = run_with(2.0, 0.01);
  for (variant_result& r : faster_reference) r.median_ns /= 2;  // everything in half the time...
  faster_reference[1].median_ns = b.results[1].median_ns;       // ...but the kernel, unchanged
  const comparison c = compare(b.machine, faster_reference, b, threshold);
  ASSERT_EQ(c.verdicts.size(), 1u);
  EXPECT_LT(c.verdicts[0].change.high, -threshold);  // the ratio alone says "regressed"
  EXPECT_EQ(c.verdicts[0].kind, verdict_kind::pass);
  EXPECT_EQ(exit_code(c), 0);

  std::vector<variant_result> faster_kernel_time = run_with(8.0, 0.01);
  faster_kernel_time[1].median_ns = b.results[1].median_ns;  // ratio doubled, kernel time not
  EXPECT_EQ(compare(b.machine, faster_kernel_time, b, threshold).verdicts[0].kind,
            verdict_kind::pass);
}

TEST(Verdict, AnotherMachineKeyIsNoComparableBaseline) {
  baseline b;
  b.machine = machine("AuthenticAMD-25-33-avx2");
  b.results = run_with(8.0, 0.01);
  const comparison c =
      compare(machine("GenuineIntel-6-207-avx512"), run_with(1.0, 0.01), b, threshold);
  EXPECT_FALSE(c.comparable);
  EXPECT_TRUE(c.verdicts.empty());
  EXPECT_NE(c.note.find("no comparable baseline"), std::string::npos);
  EXPECT_EQ(exit_code(c), 0);
}

}  // namespace
}  // namespace ek::bench
