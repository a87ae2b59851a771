// spread_test.cpp — the optimized spreading kernel of every runnable ISA against ek::ref::spread,
// bit for bit (memcmp, kernels/spread.hpp: spread_max_ulp == 0): every graph family, both modes,
// both directions of the frontier, with and without the sliced layout, and ±Inf / NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/arena.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "kernels/isa.hpp"
#include "kernels/per_isa_test.hpp"
#include "kernels/spread.hpp"
#include "reference/graph.hpp"
#include "reference/spread.hpp"
#include "src/harness/generators.hpp"

namespace {

using ek::harness::graph_family;

static_assert(ek::kern::spread_max_ulp == 0, "these tests compare bytes");

engram_spread_params frontier_params(uint32_t hops, float decay, float threshold) {
  return {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, hops, decay, threshold};
}

engram_spread_params dense_params(uint32_t iterations, float decay) {
  return {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, iterations, decay, 0.0f};
}

ek::graph build(const std::vector<uint64_t>& offsets, const std::vector<uint32_t>& targets,
                const std::vector<float>& weights, bool layout) {
  ek::graph g = ek::build_graph(offsets.size() - 1, offsets.data(), targets.data(), weights.data(),
                                targets.size());
  if (layout) ek::kern::build_layouts(g);
  return g;
}

std::string describe(const engram_spread_params& p) {
  return std::string(p.mode == ENGRAM_SPREAD_DENSE ? "dense" : "frontier") +
         " steps=" + std::to_string(p.steps) + " decay=" + std::to_string(p.hop_decay) +
         " threshold=" + std::to_string(p.threshold);
}

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// Runs the reference and the ISA's kernel under every gather policy on copies of `input`; returns
// the reference output.
std::vector<float> expect_identical(const ek::kernel_table& table, const ek::graph& g,
                                    const std::vector<float>& input, const engram_spread_params& p,
                                    const std::string& what) {
  std::vector<float> want = input;
  ek::ref::spread(g, want.data(), p);
  for (uint8_t policy = 0; policy < ek::kern::gather_policy_count; ++policy) {
    std::vector<float> got = input;
    table.spread_by_gather[policy](g, got.data(), p);
    if (std::memcmp(want.data(), got.data(), sizeof(float) * want.size()) == 0) continue;
    size_t v = 0;
    while (bits(want[v]) == bits(got[v])) ++v;
    ADD_FAILURE() << table.isa << " gather "
                  << ek::kern::gather_policy_name(static_cast<ek::kern::gather_policy>(policy))
                  << ", " << what << ", " << describe(p) << ": node " << v << " reference "
                  << want[v] << " (0x" << std::hex << bits(want[v]) << ") optimized " << got[v]
                  << " (0x" << bits(got[v]) << ")";
  }
  return want;
}

class spread_isa : public ek::kern::test::per_isa_suite {};

TEST_P(spread_isa, every_family_size_and_mode_matches_bitwise) {
  const uint32_t sizes[] = {0,  1,  2,  3,  4,  5,  7,  8,   9,   15,   16,  17,
                            31, 32, 33, 47, 63, 64, 65, 100, 257, 1000, 3000};
  const engram_spread_params params[] = {
      frontier_params(3, 0.5f, 0.01f), frontier_params(5, 1.0f, 0.0f),
      frontier_params(1, 0.25f, 0.1f), frontier_params(8, 0.9f, 0.001f),
      dense_params(1, 0.5f),           dense_params(4, 1.0f),
      dense_params(12, 0.3f)};
  for (const graph_family family : ek::harness::all_graph_families) {
    for (const uint32_t n : sizes) {
      if (family == graph_family::complete && n > 300) continue;  // n^2 edges
      for (const bool extras : {false, true}) {
        ek::harness::graph_options o;
        o.family = family;
        o.nodes = n;
        o.self_loops = o.multi_edges = o.negative_weights = o.isolated_nodes = extras;
        // Few cues keep the frontier small (push); half the nodes make it large (pull).
        for (const uint32_t cues : {4u, n / 2}) {
          o.cues = cues;
          const auto w = ek::harness::make_graph(o, 1000 + n + cues);
          for (const bool layout : {true, false}) {
            const ek::graph g = build(w.row_offsets, w.targets, w.weights, layout);
            const std::string what = ek::harness::to_string(family) + " n=" + std::to_string(n) +
                                     (extras ? " +extras" : "") + " cues=" + std::to_string(cues) +
                                     (layout ? " sliced" : " csr-only");
            for (const auto& p : params) expect_identical(table(), g, w.activations, p, what);
          }
        }
      }
    }
  }
}

// A frontier whose direction changes within one run: push (one cue), pull (ten nodes fanning out
// to 2000), push again (the few of the 2000 above threshold, one edge each into a tail of 89
// nodes). The preconditions check, with the kernel's own switch, that each hop really takes the
// direction named.
TEST_P(spread_isa, frontier_switches_push_pull_push_within_one_run) {
  const uint32_t n = 2100, fan = 200, hubs = 10;
  std::vector<uint64_t> offsets(n + 1, 0);
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  auto row = [&](uint32_t u) { offsets[u + 1] = targets.size(); };
  for (uint32_t h = 1; h <= hubs; ++h) {  // node 0 -> 1..10
    targets.push_back(h);
    weights.push_back(1.0f);
  }
  row(0);
  for (uint32_t h = 1; h <= hubs; ++h) {  // hub h -> 200 nodes; every 100th strongly
    for (uint32_t j = 0; j < fan; ++j) {
      const uint32_t v = 1 + hubs + (h - 1) * fan + j;
      targets.push_back(v);
      weights.push_back(v % 100 == 0 ? 1.0f : (j % 3 == 0 ? -0.001f : 0.001f));
    }
    row(h);
  }
  for (uint32_t u = hubs + 1; u < n; ++u) {  // strong fan nodes -> one node of the tail
    if (u % 100 == 0 && u <= hubs + fan * hubs) {
      targets.push_back(hubs + 1 + fan * hubs + u % (n - hubs - 1 - fan * hubs));
      weights.push_back(0.75f);
    }
    row(u);
  }
  const uint64_t e = targets.size();
  const float threshold = 0.01f;
  ASSERT_FALSE(ek::kern::spread_use_pull(1, hubs, n, e));          // hop 1 pushes
  ASSERT_TRUE(ek::kern::spread_use_pull(hubs, hubs * fan, n, e));  // hop 2 pulls
  ASSERT_FALSE(ek::kern::spread_use_pull(hubs * fan / 100, hubs * fan / 100, n, e));  // hop 3

  std::vector<float> a(n, 0.0f);
  a[0] = 1.0f;
  a[5] = -0.0f;     // valid input; untouched nodes keep their sign, touched ones clamp to +0
  a[2050] = -0.0f;  // a tail node no strong fan node reaches
  for (const bool layout : {true, false}) {
    const ek::graph g = build(offsets, targets, weights, layout);
    const auto out = expect_identical(table(), g, a, frontier_params(5, 0.5f, threshold),
                                      layout ? "switching sliced" : "switching csr-only");
    EXPECT_GT(out[hubs + 101], 0.0f);  // weight +0.001, reached through the pull hop
    EXPECT_TRUE(std::signbit(out[2050]));
  }
}

// Few cues of low degree on a large graph: their hops have fewer out-edges than 1/ratio of the
// bitmap words, so they list the touched words and sort them (kernels/spread.hpp), a path the
// other tests' smaller graphs hardly take.
TEST_P(spread_isa, small_hops_on_a_large_graph_list_their_touched_words) {
  for (const graph_family family : {graph_family::uniform, graph_family::power_law}) {
    for (const bool extras : {false, true}) {
      ek::harness::graph_options o;
      o.family = family;
      o.nodes = 100000;
      o.average_degree = 3;
      o.cues = 4;
      o.self_loops = o.multi_edges = o.negative_weights = extras;
      const auto w = ek::harness::make_graph(o, 77 + extras);
      const ek::graph g = build(w.row_offsets, w.targets, w.weights, true);
      const float threshold = 0.0f;
      uint64_t cue_edges = 0;
      for (uint32_t u = 0; u < o.nodes; ++u)
        if (w.activations[u] > threshold) cue_edges += w.row_offsets[u + 1] - w.row_offsets[u];
      ASSERT_LT(cue_edges * ek::kern::spread_word_scan_ratio, (o.nodes + 63) / 64)
          << "the first hop lists its words";
      expect_identical(table(), g, w.activations, frontier_params(6, 0.9f, threshold),
                       ek::harness::to_string(family) + (extras ? " +extras" : "") + " n=100000");
    }
  }
}

// The listed words come out in the order the push first touched them; the frontier they give must
// still be ascending. Node 0's row reaches 90000, 60000 and 30000 in that order, and each of those
// adds into node 5: in canonical order (1 + 4e-8) - 1 = 0, in the touched order
// (-1 + 4e-8) + 1 = 2^-24.
TEST_P(spread_isa, listed_words_give_an_ascending_frontier) {
  const uint32_t n = 100000;
  std::vector<uint64_t> offsets(n + 1);
  std::vector<uint32_t> targets = {90000, 60000, 30000, 5, 5, 5};
  std::vector<float> weights = {1.0f, 1.0f, 1.0f, 1.0f, 4e-8f, -1.0f};
  for (uint32_t u = 0; u < n; ++u)
    offsets[u + 1] = offsets[u] + (u == 0 ? 3 : (u == 30000 || u == 60000 || u == 90000 ? 1 : 0));
  ASSERT_EQ(offsets[n], targets.size());
  ASSERT_LT(3 * ek::kern::spread_word_scan_ratio, (n + 63) / 64) << "both hops list their words";
  ASSERT_EQ((1.0f + 4e-8f) - 1.0f, 0.0f);
  ASSERT_NE((-1.0f + 4e-8f) + 1.0f, 0.0f);
  std::vector<float> a(n, 0.0f);
  a[0] = 1.0f;
  a[5] = 0.5f;
  const ek::graph g = build(offsets, targets, weights, true);
  const auto out = expect_identical(table(), g, a, frontier_params(2, 1.0f, 0.0f), "listed words");
  EXPECT_EQ(out[5], 0.5f);
}

// Weights of ±3e38 overflow sums to ±Inf, and +Inf + -Inf gives NaN: the clamp, the frontier test
// and the dense maximum / division must treat them exactly as the reference does.
TEST_P(spread_isa, extreme_weights_give_identical_inf_and_nan) {
  bool nan_seen = false;
  for (const graph_family family : ek::harness::all_graph_families) {
    for (const uint32_t n : {17u, 64u, 333u}) {
      ek::harness::graph_options o;
      o.family = family;
      o.nodes = n;
      o.multi_edges = o.self_loops = true;
      o.cues = n;
      auto w = ek::harness::make_graph(o, 77 + n);
      for (size_t i = 0; i < w.weights.size(); ++i)
        if (i % 3 != 2) w.weights[i] = (i % 3 == 0 ? 3e38f : -3e38f);
      for (float& x : w.activations) x = 1.0f;
      for (const bool layout : {true, false}) {
        const ek::graph g = build(w.row_offsets, w.targets, w.weights, layout);
        const std::string what = "extreme " + ek::harness::to_string(family);
        expect_identical(table(), g, w.activations, frontier_params(4, 1.0f, 0.0f), what);
        expect_identical(table(), g, w.activations, frontier_params(4, 0.5f, 0.5f), what);
        for (const float x :
             expect_identical(table(), g, w.activations, dense_params(3, 1.0f), what))
          nan_seen = nan_seen || std::isnan(x);
      }
    }
  }
  EXPECT_TRUE(nan_seen) << "the workloads no longer reach NaN: this test lost its point";
}

// The dense sum of a node starts at +0 and padding adds (+0 * +0) — these must keep -0 inputs
// and +0 sums exactly as the reference has them.
TEST_P(spread_isa, signed_zeros_match) {
  const uint32_t n = 37;
  std::vector<uint64_t> offsets(n + 1, 0);
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  for (uint32_t u = 0; u < n; ++u) {
    if (u % 4 != 3) {
      targets.push_back((u * 7) % n);
      weights.push_back(u % 2 == 0 ? -0.5f : 0.0f);
    }
    offsets[u + 1] = targets.size();
  }
  std::vector<float> a(n, -0.0f);
  for (uint32_t u = 0; u < n; u += 5) a[u] = 0.0f;
  a[1] = 1.0f;
  for (const bool layout : {true, false}) {
    const ek::graph g = build(offsets, targets, weights, layout);
    expect_identical(table(), g, a, dense_params(2, 1.0f), "signed zeros");
    expect_identical(table(), g, a, frontier_params(3, 1.0f, 0.0f), "signed zeros");
  }
}

// Scratch comes from the thread arena: the second identical call takes nothing from the heap,
// and the zeroed scratch a call dirtied is clean for the next, different, call.
TEST_P(spread_isa, reuses_the_arena_and_leaves_it_clean) {
  ek::harness::graph_options o;
  o.nodes = 2000;
  o.cues = 30;
  const auto small = ek::harness::make_graph(o, 5);
  o.nodes = 2500;
  o.cues = 1200;
  const auto large = ek::harness::make_graph(o, 6);
  const ek::graph gs = build(small.row_offsets, small.targets, small.weights, true);
  const ek::graph gl = build(large.row_offsets, large.targets, large.weights, true);
  const auto p = frontier_params(4, 0.5f, 0.01f);
  for (int round = 0; round < 3; ++round) {
    expect_identical(table(), gl, large.activations, p, "large");
    const uint64_t growths = ek::kern::thread_arena_stats().growths;
    expect_identical(table(), gs, small.activations, p, "small");
    expect_identical(table(), gl, large.activations, p, "large");
    expect_identical(table(), gl, large.activations, dense_params(2, 0.5f), "large dense");
    EXPECT_EQ(ek::kern::thread_arena_stats().growths, growths) << "round " << round;
  }
}

// Two gather policies exist only where the ISA has a gather instruction; elsewhere both entries
// are the one lanes kernel, so the tests above do not run it twice for nothing.
TEST_P(spread_isa, has_a_distinct_kernel_per_gather_policy_only_with_a_gather_instruction) {
  // As spread_kernel decides it: the ISAs that require AVX2 (AVX-512 spreads on AVX2 vectors).
  const ek::kern::isa_info* isa = ek::kern::find_isa(GetParam());
  const bool has_gather = isa != nullptr && isa->required.has(ek::kern::cpu_feature::avx2);
  const auto& by_gather = table().spread_by_gather;
  EXPECT_EQ(by_gather[0] != by_gather[1], has_gather);
}

TEST(gather_policy, the_cpu_rule_by_vendor_and_the_size_rule) {
  using ek::kern::gather_policy;
  using ek::kern::gather_rule;
  ek::kern::cpu_info c;
  c.vendor = "AuthenticAMD";
  EXPECT_EQ(ek::kern::preferred_gather_rule(c).rule, gather_rule::by_size);
  c.vendor = "HygonGenuine";
  EXPECT_EQ(ek::kern::preferred_gather_rule(c).rule, gather_rule::by_size);
  c.vendor = "GenuineIntel";
  EXPECT_EQ(ek::kern::preferred_gather_rule(c).rule, gather_rule::hardware);
  c.vendor = "CentaurHauls";
  EXPECT_EQ(ek::kern::preferred_gather_rule(c).rule, gather_rule::by_size);
  const uint32_t small = ek::kern::gather_lanes_max_nodes, large = small + 1;
  EXPECT_EQ(ek::kern::gather_for(gather_rule::by_size, small), gather_policy::lanes);
  EXPECT_EQ(ek::kern::gather_for(gather_rule::by_size, large), gather_policy::hardware);
  EXPECT_EQ(ek::kern::gather_for(gather_rule::lanes, large), gather_policy::lanes);
  EXPECT_EQ(ek::kern::gather_for(gather_rule::hardware, small), gather_policy::hardware);
  EXPECT_EQ(ek::kern::parse_gather_rule("by-size"), gather_rule::by_size);
  EXPECT_EQ(ek::kern::parse_gather_rule("hardware"), gather_rule::hardware);
  EXPECT_FALSE(ek::kern::parse_gather_rule("Hardware"));
}

// The process-wide switch as the C ABI and the CLI use it: each forced rule picks, per graph
// size, the kernel gather_for names; a bad name changes nothing; nullptr returns to the CPU's.
TEST(gather_policy, forcing_each_rule_picks_its_kernel_per_graph_size) {
  const ek::kernel_table& t = *ek::kern::runnable_table(ek::kern::runnable_isas().back());
  for (const char* name : {"hardware", "lanes", "by-size"}) {
    ASSERT_EQ(ek::kern::set_gather_rule(name), ENGRAM_OK);
    const ek::kern::gather_rule rule = ek::kern::active_gather_rule();
    EXPECT_STREQ(ek::kern::gather_rule_name(rule), name);
    EXPECT_EQ(ek::kern::active_gather_source(), ENGRAM_ISA_API);
    for (const uint32_t nodes : {uint32_t{1000}, uint32_t{1000000}}) {
      const ek::kern::gather_policy policy = ek::kern::gather_for(rule, nodes);
      EXPECT_EQ(t.spread_for(nodes), t.spread_by_gather[static_cast<size_t>(policy)]);
      EXPECT_STRNE(ek::kern::gather_policy_name(policy), "");
    }
  }
  EXPECT_EQ(ek::kern::set_gather_rule("fast"), ENGRAM_ERR_INVALID_PARAM);
  EXPECT_EQ(ek::kern::active_gather_rule(), ek::kern::gather_rule::by_size);
  ASSERT_EQ(ek::kern::set_gather_rule(nullptr), ENGRAM_OK);
  EXPECT_EQ(ek::kern::active_gather_source(), ENGRAM_ISA_AUTO);
  EXPECT_EQ(ek::kern::active_gather_rule(), ek::kern::preferred_gather_rule(ek::kern::cpu()).rule);
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(spread_isa);
INSTANTIATE_TEST_SUITE_P(Isa, spread_isa, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

}  // namespace
