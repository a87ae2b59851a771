// cases.cpp — the sweeps of cases.hpp over the harness generators. Sizes come from the index
// (so a short run still visits every size), the variant from the index shifted once per lap of
// the sizes (so every (size, variant) pair comes up), the rest from a per-case PRNG.
#include "src/verify/cases.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "kernels/topk.hpp"
#include "src/harness/prng.hpp"

namespace ek::verify {

namespace {

template <size_t... large>
constexpr auto sizes_with() {
  std::array<size_t, 68 + 2 + sizeof...(large)> s{};
  for (size_t i = 0; i < 68; ++i) s[i] = i;
  s[68] = 768;
  s[69] = 1536;
  size_t at = 70;
  ((s[at++] = large), ...);
  return s;
}

// Large sizes are odd so they also end in a tail; the spread ones stay below the point where one
// case would cost more than a second of the budget.
constexpr auto cosine_sizes = sizes_with<4099, 16411>();
constexpr auto decay_sizes = sizes_with<4099, 65539>();
constexpr auto spread_sizes = sizes_with<4099, 20011>();
constexpr auto batch_sizes = sizes_with<4099, 16411>();  // dimensions, for batch and top-k alike
// The bf16 and int8 kinds widen as they load and then run the f32 kernels' sums: the tails and
// embedding sizes are where they differ, and 71 (sizes + 1) is prime too.
constexpr auto compact_sizes = sizes_with<>();
// Once per lap of the sizes the variant moves one step further, and 73 = sizes + 1 is prime (71
// for the compact kinds), so for a fixed size the variant visits every value (any variant count
// below that prime).
size_t variant_of(uint64_t index, size_t sizes, size_t variants) {
  return static_cast<size_t>((index + index / sizes) % variants);
}

harness::prng case_rng(kernel_kind kernel, uint64_t seed, uint64_t index) {
  uint64_t s = seed ^ (static_cast<uint64_t>(kernel) + 1) * 0x9e3779b97f4a7c15ULL;
  s ^= index * 0xbf58476d1ce4e5b9ULL;
  return harness::prng(harness::splitmix64(s));
}

test_case make_cosine(uint64_t seed, uint64_t index) {
  harness::prng rng = case_rng(kernel_kind::cosine, seed, index);
  const size_t dim = cosine_sizes[index % cosine_sizes.size()];
  const auto family = harness::all_cosine_families[variant_of(
      index, cosine_sizes.size(), std::size(harness::all_cosine_families))];
  // Mostly 0–9 candidates (every tail of a block of 4 or 8, twice); sometimes many short ones;
  // few long ones, which cost the most.
  size_t count = rng.below(10);
  if (dim >= 4096)
    count = 1 + rng.below(3);
  else if (dim <= 67 && rng.one_in(8))
    count = 10 + rng.below(190);

  test_case c;
  c.kernel = kernel_kind::cosine;
  c.family = harness::to_string(family);
  c.seed = rng.next();
  c.offset = static_cast<uint32_t>(rng.below(16));
  c.cosine = harness::make_cosine(family, dim, count, c.seed);
  return c;
}

test_case make_decay(uint64_t seed, uint64_t index) {
  harness::prng rng = case_rng(kernel_kind::decay, seed, index);
  const size_t count = decay_sizes[index % decay_sizes.size()];
  const size_t variant = variant_of(index, decay_sizes.size(), 24);
  harness::decay_options o;
  o.family = static_cast<engram_decay_family>(variant % 3);
  o.per_memory_tau = (variant / 3) % 2 != 0;
  o.with_floor = (variant / 6) % 2 != 0;
  o.special_values = (variant / 12) % 2 != 0;

  test_case c;
  c.kernel = kernel_kind::decay;
  c.family = harness::to_string(o.family) + (o.per_memory_tau ? "+tau" : "") +
             (o.with_floor ? "+floor" : "") + (o.special_values ? "+specials" : "");
  c.seed = rng.next();
  c.offset = static_cast<uint32_t>(rng.below(16));
  c.decay = harness::make_decay(o, count, c.seed);
  return c;
}

// Dyadic weights, activations and hop decay (few significant bits) make every contribution and
// sum exact, and the threshold is then set to a value the frontier test meets exactly: a start
// activation or a first hop's contribution, or 0 (which every zero contribution ties). Ties are
// the one input where `>` and `>=` differ.
void make_dyadic(harness::graph_workload& g, harness::prng& rng) {
  static constexpr float dyadic[] = {1.0f, 0.75f, 0.5f, 0.25f};
  const auto pick = [&rng] { return dyadic[rng.below(std::size(dyadic))]; };
  for (float& w : g.weights) w = std::copysign(pick(), w);
  for (float& a : g.activations)
    if (a != 0.0f) a = pick();
  g.params.hop_decay = rng.one_in(2) ? 1.0f : 0.5f;
  std::vector<float> ties{0.0f};
  for (uint32_t u = 0; u < g.nodes; ++u) {
    if (g.activations[u] == 0.0f) continue;
    ties.push_back(g.activations[u]);
    for (uint64_t e = g.row_offsets[u]; e < g.row_offsets[u + 1]; ++e)
      if (g.weights[e] > 0.0f)
        ties.push_back((g.activations[u] * g.weights[e]) * g.params.hop_decay);
  }
  g.params.threshold = ties[rng.below(ties.size())];
}

test_case make_spread(uint64_t seed, uint64_t index) {
  harness::prng rng = case_rng(kernel_kind::spread, seed, index);
  const auto nodes = static_cast<uint32_t>(spread_sizes[index % spread_sizes.size()]);
  const size_t variant = variant_of(index, spread_sizes.size(), 12);
  harness::graph_options o;
  o.family = harness::all_graph_families[variant % 6];
  const bool dense = variant / 6 != 0;
  // A complete graph has n² edges: keep it small enough to cost what the others cost.
  o.nodes = o.family == harness::graph_family::complete ? std::min<uint32_t>(nodes, 96) : nodes;
  const double degrees[] = {1, 4, 16};
  o.average_degree = degrees[rng.below(3)];
  o.self_loops = rng.one_in(2);
  o.multi_edges = rng.one_in(2);
  o.negative_weights = rng.one_in(2);
  o.isolated_nodes = rng.one_in(3);
  o.cues = rng.one_in(4) ? o.nodes : static_cast<uint32_t>(1 + rng.below(16));
  o.params.struct_size = sizeof(engram_spread_params);
  o.params.mode = dense ? ENGRAM_SPREAD_DENSE : ENGRAM_SPREAD_FRONTIER;
  o.params.steps = rng.one_in(16) ? 0 : static_cast<uint32_t>(1 + rng.below(4));
  o.params.hop_decay = rng.one_in(4) ? 1.0f : static_cast<float>(1.0 - rng.uniform());
  o.params.threshold = rng.one_in(4) ? 0.0f : static_cast<float>(rng.uniform(0.0, 0.3));

  test_case c;
  c.kernel = kernel_kind::spread;
  c.seed = rng.next();
  c.offset = static_cast<uint32_t>(rng.below(16));
  c.spread = harness::make_graph(o, c.seed);
  c.family = harness::to_string(o.family);
  // Huge weights overflow the sums to ±Inf, and with inhibitory edges to NaN: the cases whose
  // handling (clamp, frontier test, normalization) the contract pins down bit for bit.
  if (rng.one_in(8)) {
    const double scale = rng.log_uniform(1e30, 3e38);
    for (float& w : c.spread.weights) w = static_cast<float>(w * scale);
    c.family += "+huge_weights";
  } else if (rng.one_in(3)) {
    make_dyadic(c.spread, rng);
    c.family += "+dyadic";
  }
  // -0 is a valid activation (it lies in [0, 1]); a node the spreading touches comes out of the
  // clamp as +0, one it does not touch keeps -0.
  if (rng.one_in(3)) {
    for (float& a : c.spread.activations)
      if (a == 0.0f) a = -0.0f;
    c.family += "+negative_zero";
  }
  return c;
}

// Query counts: none, one, within one block of kern::batch_query_block, just past it, any odd
// count, and enough for several blocks and a partial last one.
size_t query_count(harness::prng& rng) {
  constexpr size_t block = kern::batch_query_block;
  switch (rng.below(6)) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return 2 + rng.below(block - 1);
    case 3:
      return block + 1;
    case 4:
      return 2 * rng.below(8) + 1;
    default:
      return 2 * block + 1 + rng.below(3 * block);
  }
}

// Candidate counts: mostly a few (every tail of a cosine block), sometimes past one candidate
// tile (kern::batch_tile), whose boundary the kernels cross with their running top-k state.
size_t candidate_count(harness::prng& rng, size_t dim) {
  if (dim >= 4096) return rng.below(4);
  const size_t tile = kern::batch_tile(dim);
  if (rng.one_in(dim <= 67 ? 8 : 4)) return tile + 1 + rng.below(tile + tile / 2);
  if (rng.one_in(6)) return 10 + rng.below(60);
  return rng.below(10);
}

// k: none, one, fewer than the candidates, all of them, more than there are.
size_t k_of(harness::prng& rng, size_t count) {
  switch (rng.below(5)) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return count > 1 ? 1 + rng.below(count - 1) : count;
    case 3:
      return count;
    default:
      return count + 1 + rng.below(4);
  }
}

// What the multi-query sweeps draw alike: the dimension (from `sizes`) and cosine family from the
// index, then from the case's PRNG, in this order, duplicated candidates (half the cases),
// queries (`one_query`: 1, drawing nothing), candidates, the generator seed and the offset. `rng`
// is left for what a kind draws last (top-k's k).
struct multi_query_draw {
  test_case c;  // kernel, family label, generator seed, offset
  harness::cosine_family family;
  size_t dim, queries, count;
  bool duplicates;
  harness::prng rng;
};

multi_query_draw draw_multi_query(kernel_kind kernel, uint64_t seed, uint64_t index,
                                  std::span<const size_t> sizes, bool one_query) {
  harness::prng rng = case_rng(kernel, seed, index);
  const size_t dim = sizes[index % sizes.size()];
  const auto family = harness::all_cosine_families[variant_of(
      index, sizes.size(), std::size(harness::all_cosine_families))];
  const bool duplicates = rng.one_in(2);
  const size_t queries = one_query ? 1 : dim >= 4096 ? rng.below(4) : query_count(rng);
  const size_t count = candidate_count(rng, dim);
  test_case c;
  c.kernel = kernel;
  c.family = harness::to_string(family) + (duplicates ? "+duplicates" : "");
  c.seed = rng.next();
  c.offset = static_cast<uint32_t>(rng.below(16));
  return {std::move(c), family, dim, queries, count, duplicates, rng};
}

// Batch and top-k share one sweep: the cosine families (zero and non-finite rows and queries,
// extreme magnitudes for the overflow and underflow recomputation), half of them with duplicated
// candidates, whose equal scores are the ties the selection must break by index.
test_case make_multi_query(kernel_kind kernel, uint64_t seed, uint64_t index) {
  multi_query_draw d = draw_multi_query(kernel, seed, index, batch_sizes, false);
  d.c.batch =
      harness::make_cosine_batch(d.family, d.dim, d.queries, d.count, d.c.seed, d.duplicates);
  if (kernel == kernel_kind::topk) d.c.batch.k = k_of(d.rng, d.count);
  return std::move(d.c);
}

// The bf16 and int8 kinds: the same sweep over compact_sizes, the candidates converted as a user
// stores them (harness::make_compact: bf16 rows keep their NaN and ±Inf, int8 rows get 0 for
// them); the similarity kinds take one query.
test_case make_compact_case(kernel_kind kernel, uint64_t seed, uint64_t index) {
  const bool topk = harness::is_topk(kernel);
  multi_query_draw d = draw_multi_query(kernel, seed, index, compact_sizes, !topk);
  d.c.compact = harness::make_compact(*harness::compact_type(kernel), d.family, d.dim, d.queries,
                                      d.count, d.c.seed, d.duplicates);
  if (topk) d.c.compact.k = k_of(d.rng, d.count);
  return std::move(d.c);
}

// "family dim=D [queries=Q] count=N [k=K]" of the multi-query and compact workloads.
std::string describe_queries(const std::string& family, size_t dim, std::optional<size_t> queries,
                             size_t count, std::optional<size_t> k) {
  std::string s = family + " dim=" + std::to_string(dim);
  if (queries) s += " queries=" + std::to_string(*queries);
  s += " count=" + std::to_string(count);
  if (k) s += " k=" + std::to_string(*k);
  return s;
}

}  // namespace

std::span<const size_t> swept_sizes(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine:
      return cosine_sizes;
    case kernel_kind::decay:
      return decay_sizes;
    case kernel_kind::spread:
      return spread_sizes;
    case kernel_kind::batch:
    case kernel_kind::topk:
      return batch_sizes;
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return compact_sizes;
  }
  return {};
}

test_case make_case(kernel_kind kernel, uint64_t seed, uint64_t index) {
  switch (kernel) {
    case kernel_kind::cosine:
      return make_cosine(seed, index);
    case kernel_kind::decay:
      return make_decay(seed, index);
    case kernel_kind::spread:
      return make_spread(seed, index);
    case kernel_kind::batch:
    case kernel_kind::topk:
      return make_multi_query(kernel, seed, index);
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return make_compact_case(kernel, seed, index);
  }
  throw std::invalid_argument("make_case: unknown kernel");
}

std::string test_case::summary() const {
  std::string s = harness::to_string(kernel) + " ";
  switch (kernel) {
    case kernel_kind::cosine:
      s += family + " dim=" + std::to_string(cosine.dim) + " count=" + std::to_string(cosine.count);
      break;
    case kernel_kind::decay:
      // From the data, not the generator's label: shrinking may have simplified the params.
      s += harness::to_string(static_cast<engram_decay_family>(decay.params.family)) +
           (decay.tau_per_memory.empty() ? "" : "+tau") + (decay.params.floor > 0 ? "+floor" : "") +
           " memories=" + std::to_string(decay.strengths.size());
      break;
    case kernel_kind::spread:
      s += std::string(spread.params.mode == ENGRAM_SPREAD_DENSE ? "dense " : "frontier ") +
           family + " nodes=" + std::to_string(spread.nodes) +
           " edges=" + std::to_string(spread.targets.size()) +
           " steps=" + std::to_string(spread.params.steps);
      break;
    case kernel_kind::batch:
    case kernel_kind::topk:
      s += describe_queries(family, batch.dim, batch.num_queries, batch.count,
                            harness::is_topk(kernel) ? std::optional(batch.k) : std::nullopt);
      break;
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
      s += describe_queries(family, compact.dim, std::nullopt, compact.count, std::nullopt);
      break;
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      s += describe_queries(family, compact.dim, compact.num_queries, compact.count, compact.k);
      break;
  }
  return s + " offset=" + std::to_string(offset);
}

}  // namespace ek::verify
