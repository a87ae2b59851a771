// planted_bugs_test.cpp — proof that verify can fail: each planted bug (planted_bugs.hpp) is
// reported, shrunk to a small case (the sizes asserted here are the ones docs/verify.md states),
// saved, and the saved file replays the failure — and passes on the reference.
#include <bit>
#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "kernels/dispatch.hpp"
#include "src/verify/case_file.hpp"
#include "src/verify/planted_bugs.hpp"
#include "src/verify/report.hpp"
#include "src/verify/verify.hpp"

namespace ek::verify {
namespace {

struct caught {
  report rep;
  test_case shrunk;
  std::string file;
};

caught run_planted(const kernel_table& table, kernel_kind kernel) {
  options o;
  o.kernels = {kernel};
  o.tables = {&table};
  o.seed = 20240611;
  o.cases = 200;
  o.save_dir = (std::filesystem::path(::testing::TempDir()) / ("planted-" + std::string(table.isa)))
                   .string();
  std::filesystem::remove_all(o.save_dir);
  caught c{run(o), {}, {}};
  EXPECT_FALSE(c.rep.passed());
  // The JSON document of a failing run survives a round trip and says so.
  const nlohmann::json doc = nlohmann::json::parse(to_json(c.rep).dump());
  EXPECT_EQ(doc["passed"], false);
  EXPECT_EQ(doc["results"][0]["failures_saved"].size(), 1u);
  const kernel_result& r = c.rep.results.at(0);
  EXPECT_EQ(r.cases, 200u);
  EXPECT_GT(r.failures, 0u);
  EXPECT_FALSE(r.first_failure.empty());
  if (r.saved.size() != 1) {
    ADD_FAILURE() << "expected one saved failure, got " << r.saved.size();
    return c;
  }
  const saved_failure& s = r.saved[0];
  EXPECT_EQ(s.reproduce, "engram-kern verify --replay " + s.file + " --isa " + table.isa);
  c.file = s.file;
  c.shrunk = load_case(s.file);
  EXPECT_EQ(c.shrunk.summary(), s.summary);
  std::cout << "[ shrunk   ] " << table.isa << ": " << s.summary << "\n"
            << "[ fails    ] " << s.reason << "\n";

  // The file replays the failure on the broken table and passes on the reference kernels.
  const report broken = replay({s.file}, {&table}, nullptr);
  EXPECT_FALSE(broken.passed());
  EXPECT_EQ(broken.results.at(0).failures, 1u);
  const report fine = replay({s.file}, {kern::runnable_table("reference")}, nullptr);
  EXPECT_TRUE(fine.passed()) << fine.results.at(0).first_failure;
  return c;
}

TEST(PlantedBugs, TailThatSkipsTheLastElement) {
  const caught c = run_planted(planted::tail_skips_last, kernel_kind::cosine);
  // One candidate of one element: the skipped element is the whole vector.
  EXPECT_EQ(c.shrunk.cosine.dim, 1u);
  EXPECT_EQ(c.shrunk.cosine.count, 1u);
}

TEST(PlantedBugs, TailThatReadsPastTheEndHitsTheGuardPage) {
  const caught c = run_planted(planted::tail_reads_past_end, kernel_kind::cosine);
  EXPECT_NE(c.rep.results.at(0).saved.at(0).reason.find("past the end"), std::string::npos);
  // The query alone over-reads: no candidate is needed, one element is.
  EXPECT_EQ(c.shrunk.cosine.dim, 1u);
  EXPECT_EQ(c.shrunk.cosine.count, 0u);
}

TEST(PlantedBugs, DecayPolynomialWithOneWrongCoefficient) {
  const caught c = run_planted(planted::decay_wrong_coefficient, kernel_kind::decay);
  EXPECT_EQ(c.shrunk.decay.strengths.size(), 1u);
  EXPECT_EQ(c.shrunk.decay.strengths[0], 1.0f);  // simplified
  EXPECT_TRUE(c.shrunk.decay.tau_per_memory.empty());
}

TEST(PlantedBugs, PullThatSumsInEdgesInReverse) {
  const caught c = run_planted(planted::spread_reversed_pull, kernel_kind::spread);
  // Reversing two addends starting from +0 changes nothing: at least three in-edges of one node.
  // Values cannot be simplified (sums of 0s and 1s are exact in any order), so the shrunk graph
  // keeps a few edges and hops.
  EXPECT_EQ(c.shrunk.spread.params.mode, uint32_t{ENGRAM_SPREAD_DENSE});
  EXPECT_GE(c.shrunk.spread.targets.size(), 3u);
  EXPECT_LE(c.shrunk.spread.targets.size(), 8u);
  EXPECT_LE(c.shrunk.spread.nodes, 4u);
}

TEST(PlantedBugs, CosineThatReturnsNanForZeroVectors) {
  const caught c = run_planted(planted::cosine_nan_for_zero, kernel_kind::cosine);
  EXPECT_NE(c.rep.results.at(0).saved.at(0).reason.find("expected +0"), std::string::npos);
  // An empty vector is a zero vector: one candidate of dimension 0.
  EXPECT_EQ(c.shrunk.cosine.dim, 0u);
  EXPECT_EQ(c.shrunk.cosine.count, 1u);
}

// The four below were holes: verify's generators could not reach the inputs that show them.

TEST(PlantedBugs, CosineQuotientInFloat) {
  const caught c = run_planted(planted::cosine_quotient_in_float, kernel_kind::cosine);
  // Only scores near ±1 lose more than the exact-sum bound to f32 roundings: integer inputs.
  EXPECT_NE(c.rep.results.at(0).saved.at(0).reason.find("integer inputs"), std::string::npos);
  EXPECT_EQ(c.shrunk.cosine.count, 1u);
}

TEST(PlantedBugs, DecayThatUnderflowsTooEarly) {
  const caught c = run_planted(planted::decay_underflows_too_early, kernel_kind::decay);
  // One memory whose strength is far above 1 (the shrinker keeps its power of two).
  ASSERT_EQ(c.shrunk.decay.strengths.size(), 1u);
  EXPECT_GE(std::fabs(c.shrunk.decay.strengths[0]), 0x1p50f);
}

TEST(PlantedBugs, DecayThatQuietsASignalingNan) {
  const caught c = run_planted(planted::decay_quiets_signaling_nan, kernel_kind::decay);
  ASSERT_EQ(c.shrunk.decay.strengths.size(), 1u);
  EXPECT_EQ(c.shrunk.decay.ages[0], 0u);
  EXPECT_TRUE(std::isnan(c.shrunk.decay.strengths[0]));
  EXPECT_EQ(std::bit_cast<uint32_t>(c.shrunk.decay.strengths[0]) & 0x00400000u, 0u);  // signaling
}

TEST(PlantedBugs, FrontierThresholdTestThatLetsTiesPass) {
  const caught c = run_planted(planted::spread_threshold_ties_pass, kernel_kind::spread);
  EXPECT_EQ(c.shrunk.spread.params.mode, uint32_t{ENGRAM_SPREAD_FRONTIER});
  EXPECT_LE(c.shrunk.spread.nodes, 2u);
  EXPECT_LE(c.shrunk.spread.targets.size(), 1u);
}

TEST(PlantedBugs, SelectionThatBreaksTiesByTheHigherIndex) {
  const caught c = run_planted(planted::topk_ties_to_higher_index, kernel_kind::topk);
  EXPECT_NE(c.rep.results.at(0).saved.at(0).reason.find("lower candidate index"),
            std::string::npos);
  // Two candidates with equal scores (two directionless ones, or one duplicated), one query.
  EXPECT_EQ(c.shrunk.batch.num_queries, 1u);
  EXPECT_EQ(c.shrunk.batch.count, 2u);
  EXPECT_EQ(c.shrunk.batch.k, 1u);
}

TEST(PlantedBugs, BatchThatSkipsTheLastQueryBlock) {
  const caught c = run_planted(planted::batch_skips_last_query_block, kernel_kind::batch);
  // With one query the last block is the only one: one score left unwritten.
  EXPECT_EQ(c.shrunk.batch.num_queries, 1u);
  EXPECT_EQ(c.shrunk.batch.count, 1u);
}

TEST(PlantedBugs, Int8WideningThatTreatsBytesAsUnsigned) {
  const caught c = run_planted(planted::i8_widened_as_unsigned, kernel_kind::cosine_i8);
  // One candidate of one negative element: read as 256 + x, it points the other way.
  EXPECT_EQ(c.shrunk.compact.dim, 1u);
  EXPECT_EQ(c.shrunk.compact.count, 1u);
  ASSERT_EQ(c.shrunk.compact.i8.size(), 1u);
  EXPECT_LT(c.shrunk.compact.i8[0], 0);
}

TEST(PlantedBugs, Bf16WideningThatDropsTheLowByte) {
  const caught c = run_planted(planted::bf16_widening_drops_low_byte, kernel_kind::topk_bf16);
  // The selection stays exact on the broken scores: the bound of the scores it selects from fails.
  EXPECT_NE(c.rep.results.at(0).saved.at(0).reason.find("the scores it selects from"),
            std::string::npos);
  // One candidate of two elements: the widening scales each by its own factor, so the direction
  // changes (one element alone would keep it).
  EXPECT_EQ(c.shrunk.compact.num_queries, 1u);
  EXPECT_EQ(c.shrunk.compact.count, 1u);
  EXPECT_EQ(c.shrunk.compact.dim, 2u);
}

}  // namespace
}  // namespace ek::verify
