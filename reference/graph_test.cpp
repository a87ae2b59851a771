// graph_test.cpp — ek::validate_csr (every rule, NULL arrays, size limits) and ek::build_graph
// (the copy of the out-CSR and its transpose, stably sorted by source).
#include "reference/graph.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace {

struct csr_arrays {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  engram_status validate(size_t num_nodes) const {
    return ek::validate_csr(num_nodes, offsets.data(), targets.data(), weights.data(),
                            targets.size());
  }
};

// 0 -> {2, 1, 2}, 1 -> {}, 2 -> {0, 2}, 3 -> {2}: multi-edges, a self-loop, an isolated sink.
csr_arrays sample() { return {{0, 3, 3, 5, 6}, {2, 1, 2, 0, 2, 2}, {1, 2, 3, 4, 5, 6}}; }

TEST(ValidateCsr, AcceptsValidGraphs) {
  EXPECT_EQ(sample().validate(4), ENGRAM_OK);
  const uint64_t zero = 0;
  EXPECT_EQ(ek::validate_csr(0, &zero, nullptr, nullptr, 0), ENGRAM_OK);  // empty graph
  const std::vector<uint64_t> isolated(6, 0);
  EXPECT_EQ(ek::validate_csr(5, isolated.data(), nullptr, nullptr, 0), ENGRAM_OK);
  csr_arrays negative = sample();
  negative.weights[2] = -std::numeric_limits<float>::max();
  EXPECT_EQ(negative.validate(4), ENGRAM_OK);
}

TEST(ValidateCsr, RejectsEveryBrokenRule) {
  csr_arrays g = sample();
  g.offsets[0] = 1;
  EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << "offsets[0] != 0";
  g = sample();
  g.offsets[2] = 2;
  EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << "decreasing offsets";
  g = sample();
  g.offsets[4] = 5;
  EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << "offsets[N] != E";
  g = sample();
  g.targets[5] = 4;
  EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << "target == N";
  g.targets[5] = UINT32_MAX;
  EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << "target UINT32_MAX";
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    g = sample();
    g.weights[3] = bad;
    EXPECT_EQ(g.validate(4), ENGRAM_ERR_INVALID_GRAPH) << bad;
  }
  // offsets[N] beyond E, with every row offset in range of E: caught before any edge is read.
  g = sample();
  EXPECT_EQ(ek::validate_csr(4, g.offsets.data(), g.targets.data(), g.weights.data(), 5),
            ENGRAM_ERR_INVALID_GRAPH);
}

TEST(ValidateCsr, NullArraysAndSizeLimits) {
  const csr_arrays g = sample();
  EXPECT_EQ(ek::validate_csr(0, nullptr, nullptr, nullptr, 0), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(ek::validate_csr(4, nullptr, g.targets.data(), g.weights.data(), 6),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(ek::validate_csr(4, g.offsets.data(), nullptr, g.weights.data(), 6),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(ek::validate_csr(4, g.offsets.data(), g.targets.data(), nullptr, 6),
            ENGRAM_ERR_NULL_POINTER);
  // Sizes are judged before any array is read, so these small arrays are never overrun.
  EXPECT_EQ(ek::validate_csr(size_t{UINT32_MAX} + 1, g.offsets.data(), g.targets.data(),
                             g.weights.data(), 6),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(ek::validate_csr(4, g.offsets.data(), g.targets.data(), g.weights.data(), SIZE_MAX),
            ENGRAM_ERR_SIZE_OVERFLOW);
}

TEST(BuildGraph, CopiesTheOutCsrAndTransposesItStablyBySource) {
  const csr_arrays a = sample();
  const ek::graph g = ek::build_graph(4, a.offsets.data(), a.targets.data(), a.weights.data(), 6);
  EXPECT_EQ(g.num_nodes, 4u);
  EXPECT_EQ(g.num_edges, 6u);
  EXPECT_EQ(g.out.offsets, a.offsets);
  EXPECT_EQ(g.out.index, a.targets);
  EXPECT_EQ(g.out.weights, a.weights);
  // In-edges: 0 <- {2 (w 4)}; 1 <- {0 (w 2)}; 2 <- {0 (w 1), 0 (w 3), 2 (w 5), 3 (w 6)}; 3 <- {}.
  EXPECT_EQ(g.in.offsets, (std::vector<uint64_t>{0, 1, 2, 6, 6}));
  EXPECT_EQ(g.in.index, (std::vector<uint32_t>{2, 0, 0, 0, 2, 3}));
  EXPECT_EQ(g.in.weights, (std::vector<float>{4, 2, 1, 3, 5, 6}));
}

TEST(BuildGraph, EmptyGraph) {
  const uint64_t zero = 0;
  const ek::graph g = ek::build_graph(0, &zero, nullptr, nullptr, 0);
  EXPECT_EQ(g.num_nodes, 0u);
  EXPECT_EQ(g.in.offsets, (std::vector<uint64_t>{0}));
  EXPECT_TRUE(g.in.index.empty());
}

}  // namespace
