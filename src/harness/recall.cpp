// recall.cpp — the generated memory store, one recall through a kernel table (its cosine stage is
// the fused top-k, engram_vector_topk), and the envelope
// comparison of a table's recall with the reference's (docs/recall.md).
#include "src/harness/recall.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "kernels/cosine.hpp"
#include "kernels/decay.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "src/harness/prng.hpp"
#include "src/harness/ulp.hpp"

namespace ek::harness {

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

float clamp01(float x) { return x > 0 ? (x < 1 ? x : 1.0f) : 0.0f; }

// The first min(k, n) ids by descending value, ties by ascending id, into `top`.
void top_k(const std::vector<float>& value, uint32_t k, std::vector<uint32_t>& order,
           std::vector<uint32_t>& top) {
  order.resize(value.size());
  std::iota(order.begin(), order.end(), 0u);
  const size_t m = std::min<size_t>(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(m), order.end(),
                    [&](uint32_t a, uint32_t b) {
                      return value[a] > value[b] || (value[a] == value[b] && a < b);
                    });
  top.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(m));
}

const kernel_table& reference_table() { return *kern::runnable_table("reference"); }

// Spreading then decay by the reference from the seed input `a` (the tail of run_recall).
std::vector<float> reference_final(const memory_store& s, std::vector<float> a) {
  const kernel_table& ref = reference_table();
  ref.spread(s.graph, a.data(), s.spread);
  for (size_t v = 0; v < a.size(); ++v) a[v] *= s.strengths[v];
  ref.decay(a.data(), s.ages.data(), a.size(), s.decay);
  return a;
}

// Moves x by the decay budget: max_ulp representable floats toward `to` (in the subnormal range
// that is max_ulp * 2^-149, the contract's absolute bound there).
float widen(float x, float to) {
  for (uint64_t i = 0; i < kern::decay_numerics::max_ulp; ++i) x = std::nextafter(x, to);
  return x;
}

}  // namespace

memory_store make_memory_store(const recall_options& o, uint64_t seed) {
  check(o.memories > 0 && o.memories <= std::numeric_limits<uint32_t>::max(),
        "recall: memories must be in [1, 2^32 - 1]");
  check(o.dim > 0, "recall: dim must be at least 1");
  check(o.top_k > 0, "recall: top_k must be at least 1");
  check(o.hop_decay > 0 && o.hop_decay <= 1, "recall: hop_decay must be in (0, 1]");
  check(std::isfinite(o.threshold) && o.threshold >= 0, "recall: threshold must be finite, >= 0");
  uint64_t streams = seed;
  memory_store s;
  s.options = o;
  cosine_workload c = make_cosine(cosine_family::gaussian, o.dim, o.memories, splitmix64(streams));
  s.embeddings = std::move(c.candidates);

  graph_options g;
  g.family = o.graph;
  g.nodes = static_cast<uint32_t>(o.memories);
  g.average_degree = o.average_degree;
  g.cues = 0;
  const graph_workload w = make_graph(g, splitmix64(streams));
  s.graph = kern::make_graph(w.nodes, w.row_offsets.data(), w.targets.data(), w.weights.data(),
                             w.targets.size());

  prng rng(splitmix64(streams));
  const size_t match = rng.below(o.memories);
  s.query.resize(o.dim);
  for (size_t i = 0; i < o.dim; ++i)
    s.query[i] = static_cast<float>(s.embeddings[match * o.dim + i] + rng.normal());
  s.strengths.resize(o.memories);
  s.ages.resize(o.memories);
  for (size_t v = 0; v < o.memories; ++v) {
    s.strengths[v] = static_cast<float>(1.0 - rng.uniform());  // (0, 1]
    s.ages[v] = rng.one_in(16) ? 0 : static_cast<uint64_t>(rng.log_uniform(60, 3.2e7));
  }

  s.decay = engram_decay_params_default();
  s.decay.family = static_cast<uint32_t>(o.decay_family);
  s.decay.tau_seconds = 30 * 86400.0;  // a month: a year-old memory keeps e^-12 (exponential)
  s.decay.switch_seconds = 7 * 86400.0;
  s.spread = {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, o.hops, o.hop_decay,
              o.threshold};
  return s;
}

void run_recall(const memory_store& s, const kernel_table& table, recall_result& out) {
  const size_t n = s.options.memories;
  // min(k, n) slots: past n the top-k would fill slots with UINT32_MAX, which are not memories.
  const size_t k = std::min<size_t>(s.options.top_k, n);
  out.seeds.resize(k);
  out.seed_scores.resize(k);
  table.topk(s.query.data(), 1, s.embeddings.data(), n, s.options.dim, k, out.seeds.data(),
             out.seed_scores.data());
  out.seed_input.assign(n, 0.0f);
  for (size_t i = 0; i < k; ++i) out.seed_input[out.seeds[i]] = clamp01(out.seed_scores[i]);
  out.activations = out.seed_input;
  table.spread(s.graph, out.activations.data(), s.spread);
  out.final_scores.resize(n);
  for (size_t v = 0; v < n; ++v) out.final_scores[v] = out.activations[v] * s.strengths[v];
  table.decay(out.final_scores.data(), s.ages.data(), n, s.decay);
  top_k(out.final_scores, s.options.top_k, out.order, out.ranking);
}

recall_envelope make_envelope(const memory_store& s, const recall_result& ref) {
  const size_t n = s.options.memories;
  recall_envelope e;
  e.cosine_bound = kern::cosine_error_bound(s.options.dim);
  // Every memory's reference score: the recall itself keeps only its seeds'.
  std::vector<float> scores(n);
  reference_table().cosine(s.query.data(), s.embeddings.data(), scores.data(), s.options.dim, n);
  const double b = e.cosine_bound;
  // Another table's cosine top-k can differ from the reference's only among memories whose
  // reference score is within 2b of the cut: v is surely a seed when every memory that could
  // outscore it (reference score >= r_v - 2b) is itself a reference seed, and surely not when
  // the k reference seeds all outscore it for sure (r_v + 2b below the k-th score).
  std::vector<uint8_t> is_seed(n, 0);
  for (uint32_t v : ref.seeds) is_seed[v] = 1;
  double next = -std::numeric_limits<double>::infinity();  // the (k+1)-th reference score
  for (size_t v = 0; v < n; ++v)
    if (!is_seed[v]) next = std::max(next, double(scores[v]));
  const double kth = scores[ref.seeds.back()];
  e.seed_low.assign(n, 0.0f);
  e.seed_high.assign(n, 0.0f);
  for (size_t v = 0; v < n; ++v) {
    const double r = scores[v];
    const bool surely = r - 2 * b > next;
    const bool maybe = r + 2 * b >= kth;
    if (surely) e.seed_low[v] = clamp01(static_cast<float>(r - b));
    if (maybe) e.seed_high[v] = clamp01(static_cast<float>(r + b));
    if (maybe && !surely) ++e.uncertain_seeds;
  }
  // Non-negative weights make frontier spreading monotone (every step adds non-negative terms,
  // and a larger value only passes the threshold more easily), and the reference decay is
  // monotone in the strength: the images of the two seed bounds bound every result.
  e.low = reference_final(s, e.seed_low);
  e.high = reference_final(s, e.seed_high);
  for (size_t v = 0; v < n; ++v) {
    e.low[v] = widen(e.low[v], -std::numeric_limits<float>::infinity());
    e.high[v] = widen(e.high[v], std::numeric_limits<float>::infinity());
  }
  return e;
}

recall_comparison compare_recall(const memory_store& s, const recall_result& want,
                                 const recall_envelope& e, const recall_result& got) {
  const size_t n = s.options.memories;
  recall_comparison c;
  std::ostringstream why;
  why.precision(9);
  auto fail = [&] {
    if (c.agrees) c.failure = why.str();
    c.agrees = false;
    why.str("");
  };

  const kernel_table& ref = reference_table();
  uint32_t worst = 0;
  for (size_t i = 0; i < got.seeds.size() && i < got.seed_scores.size(); ++i) {
    const uint32_t v = got.seeds[i];
    if (v >= n) {
      why << "seed " << i << " is memory " << v << ", past the " << n << " memories";
      fail();
      continue;
    }
    float r = 0;
    ref.cosine(s.query.data(), s.embeddings.data() + v * s.options.dim, &r, s.options.dim, 1);
    const double d = std::fabs(double(got.seed_scores[i]) - r);
    if (!(d <= c.max_cosine_error)) {  // NaN counts as the worst
      c.max_cosine_error = d;
      worst = v;
    }
  }
  if (!(c.max_cosine_error <= e.cosine_bound)) {
    why << "cosine score of seed memory " << worst << " off by " << c.max_cosine_error
        << " > bound " << e.cosine_bound;
    fail();
  }

  std::vector<uint32_t> a = got.seeds, b = want.seeds;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  c.same_seeds = a == b;
  for (size_t v = 0; v < n; ++v)
    if (!(e.seed_low[v] <= got.seed_input[v] && got.seed_input[v] <= e.seed_high[v])) {
      why << "seed input of memory " << v << " is " << got.seed_input[v] << ", outside ["
          << e.seed_low[v] << ", " << e.seed_high[v] << "]";
      fail();
      break;
    }

  std::vector<float> act = got.seed_input;
  ref.spread(s.graph, act.data(), s.spread);
  for (size_t v = 0; v < n; ++v)
    if (!same_bits(act[v], got.activations[v])) {
      c.spread_identical = false;
      why << "activation of memory " << v << " is " << got.activations[v]
          << ", the reference spread of the same seeds gives " << act[v];
      fail();
      break;
    }

  std::vector<float> decayed(n);
  for (size_t v = 0; v < n; ++v) decayed[v] = got.activations[v] * s.strengths[v];
  ref.decay(decayed.data(), s.ages.data(), n, s.decay);
  ulp_stats ulp;
  for (size_t v = 0; v < n; ++v) ulp.add(got.final_scores[v], decayed[v], v);
  c.max_decay_ulp = ulp.max;
  if (ulp.max > kern::decay_numerics::max_ulp) {
    why << "decayed score of memory " << ulp.worst_index << " is "
        << (ulp.nan_mismatches ? std::string("NaN") : std::to_string(ulp.max)) << " ULP from "
        << "the reference decay > " << kern::decay_numerics::max_ulp;
    fail();
  }

  for (size_t v = 0; v < n; ++v) {
    const float f = got.final_scores[v];
    c.max_final_difference =
        std::max(c.max_final_difference, std::fabs(double(f) - want.final_scores[v]));
    if (!(e.low[v] <= f && f <= e.high[v])) {
      why << "final score of memory " << v << " is " << f << ", outside [" << e.low[v] << ", "
          << e.high[v] << "]";
      fail();
      break;
    }
  }

  // Positions in each final ranking (top_k for "not ranked", below every ranked memory).
  const uint32_t k = static_cast<uint32_t>(want.ranking.size());
  std::vector<uint32_t> pos_got(n, k), pos_want(n, k), both;
  for (uint32_t i = 0; i < k; ++i) {
    pos_want[want.ranking[i]] = i;
    both.push_back(want.ranking[i]);
  }
  for (uint32_t i = 0; i < got.ranking.size(); ++i) {
    pos_got[got.ranking[i]] = i;
    if (pos_want[got.ranking[i]] == k) both.push_back(got.ranking[i]);
  }
  c.same_ranking = got.ranking == want.ranking;
  for (uint32_t x : both)
    for (uint32_t y : both) {
      if (!(pos_got[x] < pos_got[y] && pos_want[y] < pos_want[x])) continue;
      ++c.inversions;
      // A swap is allowed only when the bounds say x may score at least as high as y.
      if (e.high[x] < e.low[y]) {
        why << "memory " << x << " ranked above memory " << y << " but its score is at most "
            << e.high[x] << " < " << e.low[y];
        fail();
      }
    }
  return c;
}

}  // namespace ek::harness
