// spread_test.cpp — the reference spreading activation (ek::ref::spread) on small graphs whose
// results are computed by hand: fan-out, multi-edges, chains, threshold, inhibition, dense
// normalization, canonical summation order, and the non-finite cases of docs/kernels.md.
#include "reference/spread.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct edge {
  uint32_t from, to;
  float w;
};

// Edges must be listed grouped by source, ascending (CSR order within a source as listed).
ek::graph make_graph(uint32_t n, const std::vector<edge>& edges) {
  std::vector<uint64_t> offsets(n + 1, 0);
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  for (const edge& e : edges) {
    ++offsets[e.from + 1];
    targets.push_back(e.to);
    weights.push_back(e.w);
  }
  for (uint32_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  EXPECT_EQ(ek::validate_csr(n, offsets.data(), targets.data(), weights.data(), edges.size()),
            ENGRAM_OK);
  return ek::build_graph(n, offsets.data(), targets.data(), weights.data(), edges.size());
}

engram_spread_params frontier(uint32_t hops, float decay, float threshold) {
  return {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, hops, decay, threshold};
}
engram_spread_params dense(uint32_t iterations, float decay) {
  return {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, iterations, decay, 0.0f};
}

std::vector<float> run(const ek::graph& g, std::vector<float> a, const engram_spread_params& p) {
  ek::ref::spread(g, a.data(), p);
  return a;
}

using floats = std::vector<float>;

TEST(ReferenceSpreadFrontier, OneHopFanOut) {
  const ek::graph g = make_graph(3, {{0, 1, 0.5f}, {0, 2, 0.3f}});
  EXPECT_EQ(run(g, {1, 0, 0}, frontier(1, 1.0f, 0.0f)), (floats{1, 0.5f, 0.3f}));
}

TEST(ReferenceSpreadFrontier, ParallelEdgesSumInF32InCsrOrder) {
  const ek::graph g = make_graph(2, {{0, 1, 0.3f}, {0, 1, 0.3f}, {0, 1, 0.3f}});
  const float expected = ((0.0f + 0.3f) + 0.3f) + 0.3f;
  EXPECT_EQ(run(g, {1, 0}, frontier(1, 1.0f, 0.0f))[1], expected);
}

TEST(ReferenceSpreadFrontier, StarAndFanReachEverySpoke) {
  for (uint32_t spokes : {4u, 10u}) {
    std::vector<edge> edges;
    for (uint32_t s = 1; s <= spokes; ++s) edges.push_back({0, s, 1.0f});
    floats input(spokes + 1, 0.0f), expected(spokes + 1, 0.5f);
    input[0] = expected[0] = 1.0f;
    EXPECT_EQ(run(make_graph(spokes + 1, edges), input, frontier(3, 0.5f, 0.01f)), expected);
  }
}

TEST(ReferenceSpreadFrontier, ChainDecaysHopByHopAndStopsAtMaxHops) {
  const ek::graph g =
      make_graph(6, {{0, 1, 1.0f}, {1, 2, 1.0f}, {2, 3, 1.0f}, {3, 4, 1.0f}, {4, 5, 1.0f}});
  EXPECT_EQ(run(g, {1, 0, 0, 0, 0, 0}, frontier(3, 0.5f, 0.0f)),
            (floats{1, 0.5f, 0.25f, 0.125f, 0, 0}));
  EXPECT_EQ(run(g, {1, 0, 0, 0, 0, 0}, frontier(0, 0.5f, 0.0f)), (floats{1, 0, 0, 0, 0, 0}));
  // The threshold cuts the frontier: 0.25 is delivered but does not pass 0.3, so it goes no on.
  EXPECT_EQ(run(g, {1, 0, 0, 0, 0, 0}, frontier(5, 0.5f, 0.3f)), (floats{1, 0.5f, 0.25f, 0, 0, 0}));
  // Nodes at or below the threshold do not start spreading.
  EXPECT_EQ(run(g, {0.3f, 0, 0, 0, 0, 0}, frontier(5, 0.5f, 0.3f)), (floats{0.3f, 0, 0, 0, 0, 0}));
}

TEST(ReferenceSpreadFrontier, ActivationsClampToZeroOne) {
  const ek::graph g = make_graph(3, {{0, 1, -0.5f}, {0, 2, 0.8f}});
  const floats out = run(g, {1, 0.2f, 0.9f}, frontier(1, 1.0f, 0.0f));
  EXPECT_EQ(out[1], 0.0f);  // inhibition clamps at 0
  EXPECT_FALSE(std::signbit(out[1]));
  EXPECT_EQ(out[2], 1.0f);  // 0.9 + 0.8 clamps at 1
}

TEST(ReferenceSpreadFrontier, NodesWithoutContributionKeepTheirBits) {
  const ek::graph g = make_graph(3, {{0, 1, 0.0f}});
  const floats out = run(g, {1, -0.0f, -0.0f}, frontier(1, 1.0f, 0.0f));
  EXPECT_FALSE(std::signbit(out[1]));  // a zero contribution still counts: clamp01(-0 + 0) = +0
  EXPECT_TRUE(std::signbit(out[2]));   // no edge points at node 2
}

TEST(ReferenceSpreadFrontier, ContributionsAddInAscendingSourceOrder) {
  // Into node 3: 2^-25 and 2^-25 from node 0, then 0.5 from node 1. Ascending order sums the two
  // small ones first (2^-24, which survives next to 0.5); 0.5 first would absorb each of them.
  const ek::graph g = make_graph(4, {{0, 3, 0x1p-24f}, {0, 3, 0x1p-24f}, {1, 3, 1.0f}});
  EXPECT_EQ(run(g, {1, 1, 0, 0}, frontier(1, 0.5f, 0.0f))[3], 0.5f + 0x1p-24f);
}

TEST(ReferenceSpreadFrontier, OverflowToInfinityAndNaNFollowTheClampAndFrontierRules) {
  // Hop 1: two 3e38 edges overflow to +Inf into node 1 (activation 1, and +Inf passes the
  // frontier test). Hop 2: +Inf * 1 and +Inf * -1 meet in node 2 as Inf + -Inf = NaN, which
  // clamps to +0 (wiping node 2's activation) and fails the frontier test, so node 3 stays 0.
  const ek::graph g =
      make_graph(4, {{0, 1, 3e38f}, {0, 1, 3e38f}, {1, 2, 1.0f}, {1, 2, -1.0f}, {2, 3, 1.0f}});
  // threshold 0.6 keeps node 2 (0.5) out of the first frontier.
  const floats out = run(g, {1, 0, 0.5f, 0}, frontier(5, 1.0f, 0.6f));
  EXPECT_EQ(out, (floats{1, 1, 0, 0}));
  EXPECT_FALSE(std::signbit(out[2]));
  // One hop: +Inf reached node 1 and clamped to 1.
  EXPECT_EQ(run(g, {1, 0, 0.5f, 0}, frontier(1, 1.0f, 0.6f)), (floats{1, 1, 0.5f, 0}));
}

TEST(ReferenceSpreadFrontier, EmptyGraphAndZeroStepsLeaveActivationsAlone) {
  const ek::graph empty = make_graph(0, {});
  EXPECT_TRUE(run(empty, {}, frontier(3, 0.5f, 0.0f)).empty());
  const ek::graph g = make_graph(2, {{0, 1, 1.0f}});
  EXPECT_EQ(run(g, {1, 0}, frontier(0, 0.5f, 0.0f)), (floats{1, 0}));
  EXPECT_EQ(run(g, {1, 0}, dense(0, 0.5f)), (floats{1, 0}));
}

TEST(ReferenceSpreadDense, AddsDecayedInflowWithoutNormalizationUpToOne) {
  const ek::graph g = make_graph(2, {{0, 1, 0.5f}});
  EXPECT_EQ(run(g, {0.5f, 0.25f}, dense(1, 1.0f)), (floats{0.5f, 0.5f}));
  EXPECT_EQ(run(g, {0.5f, 0.25f}, dense(2, 1.0f)), (floats{0.5f, 0.75f}));
}

TEST(ReferenceSpreadDense, MaxAboveOneDividesEverything) {
  const ek::graph g = make_graph(3, {{0, 1, 1.0f}, {1, 2, 1.0f}});
  // a' = [1, 1 + 1, 0.5 + 1] = [1, 2, 1.5]; max 2 -> [0.5, 1, 0.75].
  EXPECT_EQ(run(g, {1, 1, 0.5f}, dense(1, 1.0f)), (floats{0.5f, 1, 0.75f}));
  // A true IEEE division: a' = [0.01, 1 + 2 * 1] has max 3, and 0.01f / 3 differs in the last
  // place from 0.01f times the f32 reciprocal of 3.
  const ek::graph h = make_graph(2, {{1, 1, 2.0f}});
  EXPECT_NE(0.01f / 3.0f, 0.01f * (1.0f / 3.0f));
  EXPECT_EQ(run(h, {0.01f, 1}, dense(1, 1.0f)), (floats{0.01f / 3.0f, 1}));
}

TEST(ReferenceSpreadDense, InhibitionIsNotClamped) {
  const ek::graph g = make_graph(2, {{0, 1, -1.0f}});
  EXPECT_EQ(run(g, {1, 0.25f}, dense(1, 0.5f)), (floats{1, -0.25f}));
}

TEST(ReferenceSpreadDense, ContributionsAddInAscendingSourceOrder) {
  const ek::graph g = make_graph(4, {{0, 3, 0x1p-24f}, {0, 3, 0x1p-24f}, {1, 3, 1.0f}});
  // s = (2^-24 + 2^-24) + 1 = 1 + 2^-23; a'3 = 0 + 0.5 s. Max stays 1: no normalization.
  EXPECT_EQ(run(g, {1, 1, 1, 0}, dense(1, 0.5f))[3], 0.5f + 0x1p-24f);
}

TEST(ReferenceSpreadDense, NonFiniteSumsFollowTheNormalizationRules) {
  // Two 3e38 edges overflow to +Inf: max = +Inf > 1, so Inf / Inf = NaN and finite / Inf = 0.
  const ek::graph g = make_graph(3, {{0, 1, 3e38f}, {0, 1, 3e38f}});
  const floats out = run(g, {1, 0, 0.5f}, dense(1, 1.0f));
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], 0.0f);
  // Iteration 1: two -3e38 edges take node 1 to -Inf; the max is node 0's 1, so nothing is
  // divided. Iteration 2: -Inf * 1 and -Inf * -1 meet in node 2 as -Inf + Inf = NaN, and the
  // NaN never wins the max, which stays 1: no normalization, nothing clamped.
  const ek::graph h = make_graph(3, {{0, 1, -3e38f}, {0, 1, -3e38f}, {1, 2, 1.0f}, {1, 2, -1.0f}});
  const floats after_one = run(h, {1, 1, 0}, dense(1, 1.0f));
  EXPECT_EQ(after_one, (floats{1, -kInf, 0}));
  const floats after_two = run(h, {1, 1, 0}, dense(2, 1.0f));
  EXPECT_EQ(after_two[0], 1.0f);
  EXPECT_EQ(after_two[1], -kInf);
  EXPECT_TRUE(std::isnan(after_two[2]));
}

}  // namespace
