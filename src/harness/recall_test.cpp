// recall_test.cpp — the recall scenario on small stores through every runnable ISA against the
// reference, and the comparison itself: it accepts what the contracts allow (a seed swapped at
// an ambiguous cut) and rejects what they do not.
#include "src/harness/recall.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/per_isa_test.hpp"

namespace {

using ek::harness::compare_recall;
using ek::harness::graph_family;
using ek::harness::make_envelope;
using ek::harness::make_memory_store;
using ek::harness::memory_store;
using ek::harness::recall_options;
using ek::harness::recall_result;
using ek::harness::run_recall;

const ek::kernel_table& reference() { return *ek::kern::runnable_table("reference"); }

recall_options small(graph_family g) {
  recall_options o;
  o.memories = 3000;
  o.dim = 96;
  o.graph = g;
  o.top_k = 12;
  return o;
}

recall_result recall(const memory_store& s, const ek::kernel_table& t) {
  recall_result r;
  run_recall(s, t, r);
  return r;
}

class recall_isa : public testing::TestWithParam<std::string> {};

TEST_P(recall_isa, agrees_with_the_reference_on_small_stores) {
  const ek::kernel_table& table = *ek::kern::runnable_table(GetParam());
  for (const graph_family g : {graph_family::uniform, graph_family::power_law})
    for (const engram_decay_family d :
         {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID})
      for (uint64_t seed = 1; seed <= 3; ++seed) {
        recall_options o = small(g);
        o.decay_family = d;
        const memory_store s = make_memory_store(o, seed);
        const recall_result want = recall(s, reference());
        const auto envelope = make_envelope(s, want);
        const recall_result got = recall(s, table);
        const auto c = compare_recall(s, want, envelope, got);
        const std::string what = ek::harness::to_string(g) + " " + ek::harness::to_string(d) +
                                 " seed " + std::to_string(seed);
        EXPECT_TRUE(c.agrees) << what << ": " << c.failure;
        EXPECT_TRUE(c.spread_identical) << what;
        EXPECT_LE(c.max_cosine_error, ek::kern::cosine_error_bound(o.dim)) << what;
        // Spreading reached past the seeds, so the ranking is more than the cosine top-k.
        EXPECT_GT(std::count_if(want.activations.begin(), want.activations.end(),
                                [](float a) { return a > 0; }),
                  o.top_k)
            << what;
      }
}

INSTANTIATE_TEST_SUITE_P(Isa, recall_isa, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

TEST(recall, the_store_is_a_function_of_the_seed) {
  const memory_store a = make_memory_store(small(graph_family::power_law), 9);
  const memory_store b = make_memory_store(small(graph_family::power_law), 9);
  const memory_store c = make_memory_store(small(graph_family::power_law), 10);
  EXPECT_EQ(a.query, b.query);
  EXPECT_EQ(a.embeddings, b.embeddings);
  EXPECT_EQ(a.ages, b.ages);
  EXPECT_EQ(a.strengths, b.strengths);
  EXPECT_EQ(a.graph.out.index, b.graph.out.index);
  EXPECT_NE(a.query, c.query);
}

TEST(recall, the_reference_is_inside_its_own_envelope) {
  const memory_store s = make_memory_store(small(graph_family::uniform), 4);
  const recall_result want = recall(s, reference());
  const auto c = compare_recall(s, want, make_envelope(s, want), want);
  EXPECT_TRUE(c.agrees) << c.failure;
  EXPECT_TRUE(c.same_ranking);
  EXPECT_EQ(c.inversions, 0u);
}

// Two memories with the same embedding tie at the top-k cut: a table may take either as the
// last seed. A recall that took the other one (played by the reference kernels) must agree.
TEST(recall, a_seed_swapped_at_an_ambiguous_cut_is_accepted) {
  memory_store s = make_memory_store(small(graph_family::uniform), 5);
  const size_t dim = s.options.dim;
  const recall_result first = recall(s, reference());
  const uint32_t last = first.seeds.back();
  const uint32_t twin = last == 0 ? 1 : 0;
  ASSERT_EQ(std::count(first.seeds.begin(), first.seeds.end(), twin), 0);
  std::copy_n(s.embeddings.begin() + last * dim, dim, s.embeddings.begin() + twin * dim);
  const recall_result want = recall(s, reference());
  const auto envelope = make_envelope(s, want);
  EXPECT_GE(envelope.uncertain_seeds, 2u);

  recall_result got = want;
  const uint32_t taken = std::max(last, twin);  // ties go to the lower id, so this one was left
  ASSERT_NE(std::find(want.seeds.begin(), want.seeds.end(), std::min(last, twin)),
            want.seeds.end());
  std::replace(got.seeds.begin(), got.seeds.end(), std::min(last, twin), taken);
  got.seed_input[taken] = got.seed_input[std::min(last, twin)];
  got.seed_input[std::min(last, twin)] = 0;
  got.activations = got.seed_input;
  reference().spread(s.graph, got.activations.data(), s.spread);
  for (size_t v = 0; v < got.final_scores.size(); ++v)
    got.final_scores[v] = got.activations[v] * s.strengths[v];
  reference().decay(got.final_scores.data(), s.ages.data(), got.final_scores.size(), s.decay);
  std::vector<uint32_t> order(got.final_scores.size());
  for (uint32_t v = 0; v < order.size(); ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return got.final_scores[a] > got.final_scores[b];
  });
  got.ranking.assign(order.begin(), order.begin() + s.options.top_k);

  const auto c = compare_recall(s, want, envelope, got);
  EXPECT_TRUE(c.agrees) << c.failure;
  EXPECT_FALSE(c.same_seeds);
}

// Each kind of damage is caught, and named.
TEST(recall, the_comparison_rejects_what_the_contracts_forbid) {
  const memory_store s = make_memory_store(small(graph_family::uniform), 6);
  const recall_result want = recall(s, reference());
  const auto envelope = make_envelope(s, want);
  const auto rejects = [&](const recall_result& got, const std::string& says) {
    const auto c = compare_recall(s, want, envelope, got);
    EXPECT_FALSE(c.agrees) << says;
    EXPECT_NE(c.failure.find(says), std::string::npos) << c.failure;
  };

  recall_result cosine = want;
  cosine.seed_scores[3] += static_cast<float>(4 * envelope.cosine_bound);
  rejects(cosine, "cosine score of seed memory " + std::to_string(want.seeds[3]));

  recall_result seeds = want;
  // A memory that cannot be a seed (its reference score is far below the cut) given an input.
  const auto never = std::find(envelope.seed_high.begin(), envelope.seed_high.end(), 0.0f);
  ASSERT_NE(never, envelope.seed_high.end());
  seeds.seed_input[static_cast<size_t>(never - envelope.seed_high.begin())] = 0.5f;
  rejects(seeds, "seed input of memory");

  recall_result spread = want;
  const auto reached = std::find_if(spread.activations.begin(), spread.activations.end(),
                                    [](float a) { return a > 0 && a < 1; });
  *reached = std::nextafter(*reached, 2.0f);
  rejects(spread, "the reference spread of the same seeds");

  recall_result decay = want;
  decay.final_scores[want.ranking[0]] *= 1.001f;
  rejects(decay, "ULP from the reference decay");

  recall_result ranking = want;
  std::swap(ranking.ranking.front(), ranking.ranking.back());
  ASSERT_LT(envelope.high[want.ranking.back()], envelope.low[want.ranking.front()]);
  rejects(ranking, "ranked above memory");
}

}  // namespace
