// generators_test.cpp — the workload generators: golden hashes pin the exact bytes of a few
// workloads of every kind (determinism across machines), property tests pin sizes and ranges.
#include "src/harness/generators.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <utility>

#include "reference/graph.hpp"
#include "src/harness/prng.hpp"

namespace ek::harness {
namespace {

// FNV-1a 64 over the bytes of each array in turn.
struct fnv1a {
  uint64_t h = 0xcbf29ce484222325ULL;
  template <class T>
  fnv1a& add(const std::vector<T>& v) {
    const auto* p = reinterpret_cast<const unsigned char*>(v.data());
    for (size_t i = 0; i < v.size() * sizeof(T); ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
    return *this;
  }
  template <class T>
  fnv1a& add_value(const T& x) {
    return add(std::vector<T>{x});
  }
};

uint64_t hash(const cosine_workload& w) { return fnv1a{}.add(w.query).add(w.candidates).h; }
uint64_t hash(const decay_workload& w) {
  const auto& p = w.params;
  return fnv1a{}
      .add(w.strengths)
      .add(w.ages)
      .add(w.tau_per_memory)
      .add_value(p.family)
      .add(std::vector<double>{p.tau_seconds, p.beta, p.switch_seconds, p.floor})
      .h;
}
uint64_t hash(const graph_workload& g) {
  return fnv1a{}.add(g.row_offsets).add(g.targets).add(g.weights).add(g.activations).h;
}

TEST(Prng, XoshiroMatchesTheReferenceSequence) {
  // splitmix64 from state 0 (Vigna's reference implementation): its first outputs.
  uint64_t s = 0;
  EXPECT_EQ(splitmix64(s), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64(s), 0x6e789e6aa1b965f4ULL);
  prng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
}

TEST(Prng, TransformsStayInTheirRanges) {
  prng r(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 20000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_LT(r.below(7), 7u);
    const int64_t k = r.range(-32, 32);
    ASSERT_GE(k, -32);
    ASSERT_LE(k, 32);
    seen.insert(k);
    const double l = r.log_uniform(1e-3, 1e3);
    ASSERT_GE(l, 1e-3 * (1 - 1e-12));
    ASSERT_LE(l, 1e3 * (1 + 1e-12));
    ASSERT_TRUE(std::isfinite(r.normal()));
    ASSERT_TRUE(std::isfinite(r.cauchy()));
  }
  EXPECT_EQ(seen.size(), 65u);  // every integer of [-32, 32] reached
  EXPECT_EQ(r.range(INT64_MIN, INT64_MIN), INT64_MIN);
}

TEST(Prng, NormalHasUnitMoments) {
  prng r(7);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    sum += x;
    sum2 += x * x;
  }
  // Standard errors: 1/sqrt(n) ~ 0.0022 for the mean, sqrt(2/n) ~ 0.0032 for the variance.
  EXPECT_NEAR(sum / n, 0.0, 0.015);
  EXPECT_NEAR(sum2 / n, 1.0, 0.02);
}

// ---- golden hashes -----------------------------------------------------------------------------
// Computed once with this implementation and checked by the property tests below. A change here
// means every saved workload and every reproduction line changes: bump workload schema_version.

TEST(Generators, GoldenCosine) {
  EXPECT_EQ(hash(make_cosine(cosine_family::gaussian, 33, 17, 1)), 0x930a19d42272a33fULL);
  EXPECT_EQ(hash(make_cosine(cosine_family::extreme, 64, 8, 2)), 0x35822ac106680198ULL);
  EXPECT_EQ(hash(make_cosine(cosine_family::cauchy, 7, 9, 3)), 0x8693bef8f5a0b5a5ULL);
  EXPECT_EQ(hash(make_cosine(cosine_family::near_orthogonal, 16, 5, 4)), 0x33ba1efba50e501aULL);
  EXPECT_EQ(hash(make_cosine(cosine_family::nonfinite, 16, 12, 5)), 0x7cffd4a0b25ef66aULL);
}

TEST(Generators, GoldenDecay) {
  EXPECT_EQ(hash(make_decay({}, 100, 1)), 0x8b1557b74157b2ceULL);
  EXPECT_EQ(hash(make_decay({ENGRAM_DECAY_HYBRID, true, true, true}, 100, 2)),
            0xb2fe2cdd06b9b2dcULL);
}

TEST(Generators, GoldenGraph) {
  graph_options o;
  o.nodes = 200;
  o.average_degree = 5;
  EXPECT_EQ(hash(make_graph(o, 1)), 0x821dbb0eb687148bULL);
  o.family = graph_family::power_law;
  o.self_loops = o.multi_edges = o.negative_weights = o.isolated_nodes = true;
  EXPECT_EQ(hash(make_graph(o, 2)), 0xc1553d60e9a5fb80ULL);
  o.family = graph_family::cycle;
  EXPECT_EQ(hash(make_graph(o, 3)), 0xf9c8d9e493c43ad8ULL);
}

// ---- properties --------------------------------------------------------------------------------

TEST(Generators, SameSeedSameBytesOtherSeedOtherBytes) {
  for (cosine_family f : all_cosine_families) {
    EXPECT_EQ(hash(make_cosine(f, 24, 10, 9)), hash(make_cosine(f, 24, 10, 9))) << to_string(f);
    EXPECT_NE(hash(make_cosine(f, 24, 10, 9)), hash(make_cosine(f, 24, 10, 10))) << to_string(f);
  }
  // The query depends on the seed and dim only, not on the candidate count.
  EXPECT_EQ(make_cosine(cosine_family::gaussian, 24, 3, 5).query,
            make_cosine(cosine_family::gaussian, 24, 300, 5).query);
}

TEST(Generators, CosineSizesAndFamilies) {
  for (cosine_family f : all_cosine_families) {
    SCOPED_TRACE(to_string(f));
    EXPECT_EQ(parse_cosine_family(to_string(f)), f);
    const auto empty = make_cosine(f, 0, 0, 1);
    EXPECT_TRUE(empty.query.empty() && empty.candidates.empty());
    const auto w = make_cosine(f, 37, 41, 3);
    ASSERT_EQ(w.query.size(), 37u);
    ASSERT_EQ(w.candidates.size(), 37u * 41u);
    size_t nonfinite = 0, zero_rows = 0;
    for (size_t j = 0; j < w.count; ++j) {
      bool all_zero = true;
      for (size_t i = 0; i < w.dim; ++i) {
        const float x = w.candidates[j * w.dim + i];
        nonfinite += !std::isfinite(x);
        all_zero = all_zero && x == 0.0f;
      }
      zero_rows += all_zero;
    }
    EXPECT_EQ(nonfinite > 0, f == cosine_family::nonfinite);
    EXPECT_EQ(zero_rows > 0, f == cosine_family::zero);
  }
  EXPECT_THROW(parse_cosine_family("gauss"), std::invalid_argument);
}

TEST(Generators, IntegerFamilyStaysInItsExactRange) {
  const auto w = make_cosine(cosine_family::integer, 100, 50, 11);
  std::set<float> seen;
  for (float x : w.candidates) {
    ASSERT_EQ(x, std::trunc(x));
    ASSERT_GE(x, -32.0f);
    ASSERT_LE(x, 32.0f);
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 65u);
}

TEST(Generators, ExtremeMagnitudesAreMixedWithinOneVector) {
  const auto w = make_cosine(cosine_family::extreme, 4096, 1, 12);
  size_t subnormal = 0, huge = 0, negative = 0;
  for (float x : w.query) {
    const float a = std::fabs(x);
    ASSERT_GE(a, 1e-40f * 0.999f);
    ASSERT_LE(a, 1e38f);
    subnormal += std::fpclassify(x) == FP_SUBNORMAL;
    huge += a > 1e30f;
    negative += std::signbit(x);
  }
  EXPECT_GT(subnormal, 0u);
  EXPECT_GT(huge, 0u);
  EXPECT_GT(negative, 1000u);
  EXPECT_LT(negative, 3096u);
}

double cosine_of(const float* a, const float* b, size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(Generators, NearParallelAndNearOrthogonalScores) {
  const auto par = make_cosine(cosine_family::near_parallel, 128, 64, 13);
  size_t negated = 0;
  for (size_t j = 0; j < par.count; ++j) {
    const double c = cosine_of(par.query.data(), &par.candidates[j * 128], 128);
    EXPECT_GT(std::fabs(c), 1 - 1e-6);
    negated += c < 0;
  }
  EXPECT_GT(negated, 0u);
  EXPECT_LT(negated, par.count);
  const auto orth = make_cosine(cosine_family::near_orthogonal, 128, 64, 14);
  for (size_t j = 0; j < orth.count; ++j)
    EXPECT_LT(std::fabs(cosine_of(orth.query.data(), &orth.candidates[j * 128], 128)), 1e-6);
}

TEST(Generators, DecayRangesAndParameters) {
  for (engram_decay_family f :
       {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID}) {
    EXPECT_EQ(parse_decay_family(to_string(f)), f);
    const auto w = make_decay({f, false, false, false}, 5000, 21);
    ASSERT_EQ(w.strengths.size(), 5000u);
    ASSERT_EQ(w.ages.size(), 5000u);
    EXPECT_TRUE(w.tau_per_memory.empty());
    EXPECT_EQ(w.call_params().tau_per_memory, nullptr);
    EXPECT_EQ(w.params.struct_size, sizeof(engram_decay_params));
    EXPECT_EQ(w.params.family, static_cast<uint32_t>(f));
    EXPECT_GE(w.params.tau_seconds, 60.0 * (1 - 1e-12));
    EXPECT_LE(w.params.tau_seconds, 1e7 * (1 + 1e-12));
    EXPECT_GE(w.params.beta, 0.1);
    EXPECT_LE(w.params.beta, 3.0);
    EXPECT_GE(w.params.switch_seconds, w.params.tau_seconds / 4 * (1 - 1e-12));
    EXPECT_LE(w.params.switch_seconds, w.params.tau_seconds * 4 * (1 + 1e-12));
    EXPECT_EQ(w.params.floor, 0.0);
    size_t zero_ages = 0, old = 0;
    for (size_t i = 0; i < w.ages.size(); ++i) {
      ASSERT_GE(w.strengths[i], 0.0f);
      ASSERT_LE(w.strengths[i], 1.0f);
      ASSERT_LE(w.ages[i], uint64_t{1000000000000});
      zero_ages += w.ages[i] == 0;
      old += w.ages[i] > uint64_t{10000000000};
    }
    EXPECT_GT(zero_ages, 0u);
    EXPECT_GT(old, 0u);
  }
  EXPECT_THROW(parse_decay_family("linear"), std::invalid_argument);
}

TEST(Generators, DecayPerMemoryTauFloorAndSpecials) {
  auto w = make_decay({ENGRAM_DECAY_POWER_LAW, true, true, true}, 2000, 22);
  ASSERT_EQ(w.tau_per_memory.size(), 2000u);
  EXPECT_EQ(w.params.tau_per_memory, nullptr);
  EXPECT_EQ(w.call_params().tau_per_memory, w.tau_per_memory.data());
  EXPECT_GT(w.params.floor, 0.0);
  EXPECT_LE(w.params.floor, 0.5);
  for (float t : w.tau_per_memory) {
    ASSERT_GE(t, 59.99f);
    ASSERT_LE(t, 1.0001e7f);
  }
  size_t nan = 0, signaling_nan = 0, above_2_50 = 0, negative = 0, neg_zero = 0, subnormal = 0,
         huge_age = 0;
  for (size_t i = 0; i < w.strengths.size(); ++i) {
    nan += std::isnan(w.strengths[i]);
    signaling_nan +=
        std::isnan(w.strengths[i]) && (std::bit_cast<uint32_t>(w.strengths[i]) & 0x00400000u) == 0;
    above_2_50 += std::fabs(w.strengths[i]) >= 0x1p50f;
    negative += w.strengths[i] < 0.0f;
    neg_zero += w.strengths[i] == 0.0f && std::signbit(w.strengths[i]);
    subnormal += std::fpclassify(w.strengths[i]) == FP_SUBNORMAL;
    huge_age += w.ages[i] >= (uint64_t{1} << 63) - 1;
  }
  EXPECT_GT(nan, 0u);
  EXPECT_GT(signaling_nan, 0u);
  EXPECT_GT(above_2_50, 0u);
  EXPECT_GT(negative, 0u);
  EXPECT_GT(neg_zero, 0u);
  EXPECT_GT(subnormal, 0u);
  EXPECT_GT(huge_age, 0u);
  // A value: a copy's and a moved-to object's call parameters point at their own τ.
  const decay_workload copy = w;
  EXPECT_EQ(copy.call_params().tau_per_memory, copy.tau_per_memory.data());
  const decay_workload moved = std::move(w);
  EXPECT_EQ(moved.call_params().tau_per_memory, moved.tau_per_memory.data());
  EXPECT_TRUE(make_decay({}, 0, 1).strengths.empty());
}

void expect_valid(const graph_workload& g) {
  ASSERT_EQ(g.row_offsets.size(), size_t{g.nodes} + 1);
  ASSERT_EQ(g.targets.size(), g.weights.size());
  ASSERT_EQ(g.activations.size(), g.nodes);
  EXPECT_EQ(validate_csr(g.nodes, g.row_offsets.data(), g.targets.data(), g.weights.data(),
                         g.targets.size()),
            ENGRAM_OK);
  for (float a : g.activations) {
    ASSERT_TRUE(a == 0.0f || (a > 0.2f && a <= 1.0f)) << a;
  }
  for (float w : g.weights) ASSERT_TRUE(w >= -1.0f && w <= 1.0f && w != 0.0f) << w;
}

struct graph_shape {
  size_t self_loops = 0, multi_edges = 0, negative = 0, isolated = 0, cues = 0;
};
graph_shape shape_of(const graph_workload& g) {
  graph_shape s;
  std::vector<uint8_t> touched(g.nodes, 0);
  for (uint32_t u = 0; u < g.nodes; ++u) {
    std::set<uint32_t> row;
    for (uint64_t e = g.row_offsets[u]; e < g.row_offsets[u + 1]; ++e) {
      s.self_loops += g.targets[e] == u;
      s.multi_edges += !row.insert(g.targets[e]).second;
      s.negative += g.weights[e] < 0;
      touched[u] = touched[g.targets[e]] = 1;
    }
  }
  for (uint32_t v = 0; v < g.nodes; ++v) {
    s.isolated += !touched[v];
    s.cues += g.activations[v] != 0.0f;
  }
  return s;
}

TEST(Generators, GraphFamiliesAreValidCsr) {
  for (graph_family f : all_graph_families) {
    SCOPED_TRACE(to_string(f));
    EXPECT_EQ(parse_graph_family(to_string(f)), f);
    graph_options o;
    o.family = f;
    for (uint32_t n : {0u, 1u, 2u, 3u, 100u}) {
      o.nodes = n;
      const auto g = make_graph(o, n + 1);
      expect_valid(g);
      const auto s = shape_of(g);
      EXPECT_EQ(s.self_loops + s.multi_edges + s.negative, 0u);
      EXPECT_EQ(s.cues, std::min<size_t>(n, 16));
    }
    o.nodes = 100;
    o.self_loops = o.multi_edges = o.negative_weights = o.isolated_nodes = true;
    const auto g = make_graph(o, 77);
    expect_valid(g);
    const auto s = shape_of(g);
    EXPECT_GT(s.self_loops, 0u);
    EXPECT_GT(s.multi_edges, 0u);
    EXPECT_GT(s.negative, 0u);
    EXPECT_GE(s.isolated, 100u / 8);
  }
  EXPECT_THROW(parse_graph_family("tree"), std::invalid_argument);
}

TEST(Generators, GraphStructures) {
  graph_options o;
  o.nodes = 50;
  o.family = graph_family::star;
  auto g = make_graph(o, 1);
  EXPECT_EQ(g.row_offsets[1], 49u);
  EXPECT_EQ(g.targets.size(), 49u);
  o.family = graph_family::chain;
  EXPECT_EQ(make_graph(o, 1).targets.size(), 49u);
  o.family = graph_family::cycle;
  g = make_graph(o, 1);
  EXPECT_EQ(g.targets.size(), 50u);
  EXPECT_EQ(g.targets.back(), 0u);
  o.family = graph_family::complete;
  EXPECT_EQ(make_graph(o, 1).targets.size(), 50u * 49u);
  o.nodes = 5000;
  EXPECT_THROW(make_graph(o, 1), std::invalid_argument);
}

TEST(Generators, RandomGraphDegrees) {
  graph_options o;
  o.nodes = 4000;
  o.average_degree = 8;
  o.family = graph_family::uniform;
  const auto u = make_graph(o, 5);
  EXPECT_EQ(u.targets.size(), 32000u);  // exactly round(n * degree) without isolated nodes
  o.family = graph_family::power_law;
  const auto p = make_graph(o, 5);
  expect_valid(p);
  EXPECT_NEAR(double(p.targets.size()) / o.nodes, 8.0, 1.5);
  // Heavy tails: the largest out-degree and in-degree are far above the mean.
  uint64_t max_out = 0;
  std::vector<uint64_t> in(o.nodes, 0);
  for (uint32_t v = 0; v < o.nodes; ++v)
    max_out = std::max(max_out, p.row_offsets[v + 1] - p.row_offsets[v]);
  for (uint32_t t : p.targets) ++in[t];
  EXPECT_GT(max_out, 80u);
  EXPECT_GT(*std::max_element(in.begin(), in.end()), 80u);
  // A complete-degree request is capped at n - 1 distinct targets per node.
  o.nodes = 20;
  o.average_degree = 1000;
  o.family = graph_family::uniform;
  const auto full = make_graph(o, 6);
  expect_valid(full);
  EXPECT_EQ(full.targets.size(), 20u * 19u);
  EXPECT_EQ(shape_of(full).multi_edges, 0u);
}

TEST(Generators, SpreadParamsDefaultOrCopied) {
  graph_options o;
  o.nodes = 10;
  auto g = make_graph(o, 1);
  EXPECT_EQ(g.params.struct_size, sizeof(engram_spread_params));
  EXPECT_EQ(g.params.mode, uint32_t{ENGRAM_SPREAD_FRONTIER});
  EXPECT_EQ(g.params.steps, 3u);
  EXPECT_EQ(g.params.hop_decay, 0.5f);
  EXPECT_EQ(g.params.threshold, 0.01f);
  o.params = {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, 7, 0.25f, 0.0f};
  g = make_graph(o, 1);
  EXPECT_EQ(g.params.mode, uint32_t{ENGRAM_SPREAD_DENSE});
  EXPECT_EQ(g.params.steps, 7u);
  EXPECT_EQ(g.params.hop_decay, 0.25f);
}

}  // namespace
}  // namespace ek::harness
