// shrink.cpp — the edits of shrink.hpp. Each edit returns a new, still valid case (a graph stays a
// valid CSR, activations stay in [0, 1]), so every attempt runs the kernels on legal input.
#include "src/verify/shrink.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

#include "reference/lowp.hpp"
#include "src/harness/ulp.hpp"

namespace ek::verify {

namespace {

template <class T>
void erase_range(std::vector<T>& v, size_t begin, size_t end) {
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(begin),
          v.begin() + static_cast<std::ptrdiff_t>(end));
}

// ---- sequences: a length and a way to drop [begin, end) -----------------------------------------

struct sequence {
  size_t (*length)(const test_case&);
  void (*drop)(test_case&, size_t begin, size_t end);
};

// Rows [begin, end) of a matrix of `length` rows of `dim` elements.
template <class T>
void drop_rows(std::vector<T>& rows, size_t& length, size_t dim, size_t begin, size_t end) {
  erase_range(rows, begin * dim, end * dim);
  length -= end - begin;
}

size_t candidates_length(const test_case& c) { return c.cosine.count; }
void drop_candidates(test_case& c, size_t begin, size_t end) {
  drop_rows(c.cosine.candidates, c.cosine.count, c.cosine.dim, begin, end);
}

// `rows` rows of `dim` elements without their columns [begin, end).
template <class T>
std::vector<T> without_columns(const std::vector<T>& m, size_t rows, size_t dim, size_t begin,
                               size_t end) {
  std::vector<T> kept;
  kept.reserve((dim - (end - begin)) * rows);
  for (size_t j = 0; j < rows; ++j) {
    const T* row = m.data() + j * dim;
    kept.insert(kept.end(), row, row + begin);
    kept.insert(kept.end(), row + end, row + dim);
  }
  return kept;
}

size_t columns_length(const test_case& c) { return c.cosine.dim; }
void drop_columns(test_case& c, size_t begin, size_t end) {
  auto& w = c.cosine;
  w.candidates = without_columns(w.candidates, w.count, w.dim, begin, end);
  erase_range(w.query, begin, end);
  w.dim -= end - begin;
}

// Batch and top-k: rows of the query matrix, rows of the candidate matrix, columns of both.
size_t queries_length(const test_case& c) { return c.batch.num_queries; }
void drop_queries(test_case& c, size_t begin, size_t end) {
  drop_rows(c.batch.queries, c.batch.num_queries, c.batch.dim, begin, end);
}
size_t batch_candidates_length(const test_case& c) { return c.batch.count; }
void drop_batch_candidates(test_case& c, size_t begin, size_t end) {
  drop_rows(c.batch.candidates, c.batch.count, c.batch.dim, begin, end);
}
size_t batch_columns_length(const test_case& c) { return c.batch.dim; }
void drop_batch_columns(test_case& c, size_t begin, size_t end) {
  auto& w = c.batch;
  w.queries = without_columns(w.queries, w.num_queries, w.dim, begin, end);
  w.candidates = without_columns(w.candidates, w.count, w.dim, begin, end);
  w.dim -= end - begin;
}

// The bf16 and int8 kinds: the same three, on the candidates of the workload's type (the vector
// of the other type is empty). The similarity kinds keep their one query.
template <class F>
void on_candidates(harness::compact_workload& w, F&& f) {
  if (w.type == harness::element_type::bf16)
    f(w.bf16);
  else
    f(w.i8);
}
size_t compact_queries_length(const test_case& c) { return c.compact.num_queries; }
void drop_compact_queries(test_case& c, size_t begin, size_t end) {
  drop_rows(c.compact.queries, c.compact.num_queries, c.compact.dim, begin, end);
}
size_t compact_candidates_length(const test_case& c) { return c.compact.count; }
void drop_compact_candidates(test_case& c, size_t begin, size_t end) {
  auto& w = c.compact;
  on_candidates(w, [&](auto& rows) { drop_rows(rows, w.count, w.dim, begin, end); });
}
size_t compact_columns_length(const test_case& c) { return c.compact.dim; }
void drop_compact_columns(test_case& c, size_t begin, size_t end) {
  auto& w = c.compact;
  w.queries = without_columns(w.queries, w.num_queries, w.dim, begin, end);
  on_candidates(w, [&](auto& rows) { rows = without_columns(rows, w.count, w.dim, begin, end); });
  w.dim -= end - begin;
}

size_t memories_length(const test_case& c) { return c.decay.strengths.size(); }
void drop_memories(test_case& c, size_t begin, size_t end) {
  auto& w = c.decay;
  erase_range(w.strengths, begin, end);
  erase_range(w.ages, begin, end);
  if (!w.tau_per_memory.empty()) erase_range(w.tau_per_memory, begin, end);
}

size_t edges_length(const test_case& c) { return c.spread.targets.size(); }
void drop_edges(test_case& c, size_t begin, size_t end) {
  auto& g = c.spread;
  erase_range(g.targets, begin, end);
  erase_range(g.weights, begin, end);
  for (uint64_t& o : g.row_offsets) o = o <= begin ? o : (o >= end ? o - (end - begin) : begin);
}

size_t nodes_length(const test_case& c) { return c.spread.nodes; }
void drop_nodes(test_case& c, size_t begin, size_t end) {
  auto& g = c.spread;
  const auto removed = static_cast<uint32_t>(end - begin);
  const auto renumber = [&](uint32_t v) { return v < begin ? v : v - removed; };
  std::vector<uint64_t> offsets{0};
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  for (uint32_t u = 0; u < g.nodes; ++u) {
    if (u >= begin && u < end) continue;
    for (uint64_t e = g.row_offsets[u]; e < g.row_offsets[u + 1]; ++e) {
      if (g.targets[e] >= begin && g.targets[e] < end) continue;
      targets.push_back(renumber(g.targets[e]));
      weights.push_back(g.weights[e]);
    }
    offsets.push_back(targets.size());
  }
  g.row_offsets = std::move(offsets);
  g.targets = std::move(targets);
  g.weights = std::move(weights);
  erase_range(g.activations, begin, end);
  g.nodes -= removed;
}

std::vector<sequence> sequences_of(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine:
      return {{&candidates_length, &drop_candidates}, {&columns_length, &drop_columns}};
    case kernel_kind::decay:
      return {{&memories_length, &drop_memories}};
    case kernel_kind::spread:
      return {{&nodes_length, &drop_nodes}, {&edges_length, &drop_edges}};
    case kernel_kind::batch:
    case kernel_kind::topk:
      return {{&queries_length, &drop_queries},
              {&batch_candidates_length, &drop_batch_candidates},
              {&batch_columns_length, &drop_batch_columns}};
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
      return {{&compact_candidates_length, &drop_compact_candidates},
              {&compact_columns_length, &drop_compact_columns}};
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return {{&compact_queries_length, &drop_compact_queries},
              {&compact_candidates_length, &drop_compact_candidates},
              {&compact_columns_length, &drop_compact_columns}};
  }
  return {};
}

// ---- values and parameters ----------------------------------------------------------------------

// The values of an array of floats, bfloat16 bits or int8, read and written as the floats they
// stand for (the simpler values and powers of two tried below are exact in all three types).
struct value_array {
  std::variant<std::span<float>, std::span<uint16_t>, std::span<int8_t>> values;
  std::vector<float> simpler;  // tried in this order; all legal for the array

  size_t size() const {
    return std::visit([](auto v) { return v.size(); }, values);
  }
  float get(size_t i) const {
    return std::visit(
        [i](auto v) {
          if constexpr (std::is_same_v<decltype(v), std::span<uint16_t>>)
            return ref::widen_bf16(v[i]);
          else
            return static_cast<float>(v[i]);
        },
        values);
  }
  void set(size_t i, float x) {
    std::visit(
        [i, x](auto v) {
          if constexpr (std::is_same_v<decltype(v), std::span<uint16_t>>)
            v[i] = ref::to_bf16(x);
          else
            v[i] = static_cast<typename decltype(v)::value_type>(x);
        },
        values);
  }
};

// The compact candidates as a value_array.
value_array compact_values(harness::compact_workload& w) {
  if (w.type == harness::element_type::bf16)
    return {std::span<uint16_t>(w.bf16), {0.0f, 1.0f, -1.0f}};
  return {std::span<int8_t>(w.i8), {0.0f, 1.0f, -1.0f}};
}

std::vector<value_array> values_of(test_case& c) {
  switch (c.kernel) {
    case kernel_kind::cosine:
      return {{c.cosine.query, {0.0f, 1.0f, -1.0f}}, {c.cosine.candidates, {0.0f, 1.0f, -1.0f}}};
    case kernel_kind::decay:
      return {{c.decay.strengths, {1.0f, 0.0f}}};
    case kernel_kind::spread:  // activations must stay in [0, 1]
      return {{c.spread.activations, {0.0f, 1.0f}}, {c.spread.weights, {1.0f, -1.0f, 0.0f}}};
    case kernel_kind::batch:
    case kernel_kind::topk:
      return {{c.batch.queries, {0.0f, 1.0f, -1.0f}}, {c.batch.candidates, {0.0f, 1.0f, -1.0f}}};
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return {{c.compact.queries, {0.0f, 1.0f, -1.0f}}, compact_values(c.compact)};
  }
  return {};
}

// Simpler parameters, each an edit that may or may not keep the failure.
std::vector<void (*)(test_case&)> param_edits(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine:
      return {};
    case kernel_kind::decay:
      return {[](test_case& c) { c.decay.tau_per_memory.clear(); },
              [](test_case& c) { c.decay.params.floor = 0.0; },
              [](test_case& c) { c.decay.params.family = ENGRAM_DECAY_EXPONENTIAL; }};
    case kernel_kind::spread:
      return {[](test_case& c) { c.spread.params.steps = 1; },
              [](test_case& c) { c.spread.params.hop_decay = 1.0f; },
              [](test_case& c) { c.spread.params.threshold = 0.0f; }};
    case kernel_kind::batch:
      return {};
    case kernel_kind::topk:  // fewer slots: one, or just the candidates (no padding)
      return {[](test_case& c) { c.batch.k = 1; },
              [](test_case& c) { c.batch.k = std::min(c.batch.k, c.batch.count); }};
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
      return {};
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return {[](test_case& c) { c.compact.k = 1; },
              [](test_case& c) { c.compact.k = std::min(c.compact.k, c.compact.count); }};
  }
  return {};
}

bool same_params(const test_case& a, const test_case& b) {
  switch (a.kernel) {
    case kernel_kind::cosine:
      return true;
    case kernel_kind::decay:
      return a.decay.tau_per_memory.size() == b.decay.tau_per_memory.size() &&
             std::memcmp(&a.decay.params, &b.decay.params, sizeof a.decay.params) == 0;
    case kernel_kind::spread:
      return std::memcmp(&a.spread.params, &b.spread.params, sizeof a.spread.params) == 0;
    case kernel_kind::batch:
    case kernel_kind::topk:
      return a.batch.k == b.batch.k;
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return a.compact.k == b.compact.k;
  }
  return true;
}

class shrinker {
 public:
  shrinker(const test_case& failing, const std::function<bool(const test_case&)>& still_fails,
           size_t max_attempts)
      : best_(failing), still_fails_(still_fails), max_attempts_(max_attempts) {}

  test_case run() {
    for (bool progress = true; progress && attempts_ < max_attempts_;) {
      progress = false;
      for (const sequence& s : sequences_of(best_.kernel)) progress |= shrink(s);
      for (auto edit : param_edits(best_.kernel)) {
        test_case t = best_;
        edit(t);
        if (!same_params(t, best_)) progress |= try_case(t);
      }
      progress |= simplify_values();
    }
    return best_;
  }

 private:
  bool try_case(test_case& t) {
    if (attempts_ >= max_attempts_) return false;
    ++attempts_;
    if (!still_fails_(t)) return false;
    best_ = std::move(t);
    return true;
  }

  // Chunks of halving size, left to right; a chunk whose removal keeps the failure stays out.
  bool shrink(const sequence& s) {
    bool progress = false;
    for (size_t k = std::max<size_t>(s.length(best_) / 2, 1);; k /= 2) {
      for (size_t i = 0; i < s.length(best_) && attempts_ < max_attempts_;) {
        test_case t = best_;
        s.drop(t, i, std::min(i + k, s.length(best_)));
        if (try_case(t))
          progress = true;
        else
          i += k;
      }
      if (k == 1) break;
    }
    return progress;
  }

  // Each value becomes the first of its array's simpler values that keeps the failure, else the
  // power of two at or below it with its sign: many failures need a magnitude (a strength far
  // above 1, a subnormal), not a particular value.
  bool simplify_values() {
    bool progress = false;
    const size_t arrays = values_of(best_).size();
    for (size_t a = 0; a < arrays; ++a) {
      for (size_t i = 0; i < values_of(best_)[a].size(); ++i) {
        std::vector<float> simpler = values_of(best_)[a].simpler;
        const float x = values_of(best_)[a].get(i);
        if (std::isfinite(x) && x != 0.0f)
          simpler.push_back(std::copysign(std::ldexp(1.0f, std::ilogb(x)), x));
        for (float v : simpler) {
          if (harness::same_bits(values_of(best_)[a].get(i), v)) break;  // already simplest
          test_case t = best_;
          values_of(t)[a].set(i, v);
          if (try_case(t)) {
            progress = true;
            break;
          }
        }
      }
    }
    return progress;
  }

  test_case best_;
  const std::function<bool(const test_case&)>& still_fails_;
  size_t max_attempts_;
  size_t attempts_ = 0;
};

}  // namespace

test_case shrink(const test_case& failing, const std::function<bool(const test_case&)>& still_fails,
                 size_t max_attempts) {
  return shrinker(failing, still_fails, max_attempts).run();
}

}  // namespace ek::verify
