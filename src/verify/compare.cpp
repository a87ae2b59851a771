// compare.cpp — runs one table on guard-page copies of a case and holds the output to the
// contract. Outputs start as a sentinel NaN, so a kernel that skips an element cannot pass by
// leaving the right value in place.
#include "src/verify/compare.hpp"

#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>

#include "kernels/cosine.hpp"
#include "kernels/decay.hpp"
#include "kernels/graph_layout.hpp"
#include "kernels/spread.hpp"
#include "reference/cosine.hpp"
#include "reference/decay.hpp"
#include "reference/spread.hpp"
#include "reference/topk.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/safetensors.hpp"
#include "src/verify/fault_trap.hpp"

namespace ek::verify {

namespace {

using harness::guard_side;
using harness::guarded_buffer;

// A quiet NaN with a payload no kernel computes: an output element still holding it was never
// written.
const float unwritten = std::bit_cast<float>(0x7fc0dead);

std::string show_error(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", x);
  return text;
}

std::string show(float x) {
  char text[64];
  std::snprintf(text, sizeof text, "%.9g (0x%08" PRIx32 ")", double(x), std::bit_cast<uint32_t>(x));
  return text;
}

struct placement {
  guard_side side;
  size_t offset;  // only with guard_side::before: the start moves off the page boundary by this
                  // many elements (floats for the wider types)
  const char* name;
};

// One buffer of one run, and what a fault address inside or around it means.
struct region {
  const char* name;
  const std::byte* start;
  size_t bytes;
  bool read_only;
};

template <class T>
T* place(std::span<const T> values, const placement& where, bool read_only, const char* name,
         std::vector<guarded_buffer>& keep, std::vector<region>& regions) {
  // Elements of the compact types, so int8 and bf16 rows start at every byte or 2-byte offset; a
  // u64 array moves by floats and stays 8-byte aligned: the C ABI's callers cannot pass anything
  // else.
  const size_t step = std::min(sizeof(T), sizeof(float));
  const size_t pad =
      where.side == guard_side::before ? where.offset * step / alignof(T) * alignof(T) : 0;
  guarded_buffer b(values.size_bytes() + pad, where.side);
  std::byte* start = b.data() + pad;
  if (!values.empty()) std::memcpy(start, values.data(), values.size_bytes());
  if (read_only) b.make_read_only();
  keep.push_back(std::move(b));
  regions.push_back({name, start, values.size_bytes(), read_only});
  return reinterpret_cast<T*>(start);
}

std::string describe_fault(const void* address, const std::vector<region>& regions) {
  const auto* a = static_cast<const std::byte*>(address);
  const size_t page = harness::page_size();
  for (const region& r : regions) {
    const std::byte* end = r.start + r.bytes;
    if (a >= r.start && a < end)
      return std::string("wrote into the read-only input '") + r.name + "'";
    if (a >= end && a < end + page)
      return "touched byte " + std::to_string(a - end) + " past the end of '" + r.name +
             "' (guard page)";
    if (a < r.start && a >= r.start - page)
      return "touched byte " + std::to_string(r.start - a) + " before the start of '" + r.name +
             "' (guard page)";
  }
  char text[64];
  std::snprintf(text, sizeof text, "memory fault at %p", address);
  return text;
}

// Runs `call` (one kernel call on the placed buffers); a fault becomes the returned reason.
template <class F>
std::string run_placed(F&& call, const std::vector<region>& regions) {
  const void* address = nullptr;
  if (run_trapping_faults(call, &address)) return {};
  return describe_fault(address, regions);
}

void record(check_result& r, float actual, float expected, size_t index) {
  if (!std::isfinite(actual) || !std::isfinite(expected)) return;
  r.max_abs_error = std::max(r.max_abs_error, std::fabs(double(actual) - double(expected)));
  r.ulp.add(actual, expected, index);
}

// ---- cosine helpers ----------------------------------------------------------------------------

// No direction: empty, all ±0, or holding a NaN or ±Inf — exactly where the reference's double
// norm² is 0 or not finite (it cannot overflow or underflow otherwise). A scan of the bits, not
// a dot product: the fuzz harnesses call this for every table on every input.
bool directionless(const float* v, size_t dim) {
  uint32_t magnitudes = 0;
  bool special = false;
  for (size_t i = 0; i < dim; ++i) {
    const uint32_t magnitude = std::bit_cast<uint32_t>(v[i]) & 0x7fffffffu;
    magnitudes |= magnitude;
    special |= magnitude >= 0x7f800000u;
  }
  return special || magnitudes == 0;
}

// Integers in [-32, 32] with dim · 32² < 2^24: every partial sum of q·q, q·c and c·c is an
// integer below 2^24, exact in f32 in any order, so the kernels' sums equal the reference's.
bool exact_sums(const float* q, const float* c, size_t dim) {
  if (double(dim) * 1024.0 >= 0x1p24) return false;
  const auto small_integer = [](float x) {
    return std::fabs(x) <= 32.0f && std::nearbyint(x) == x;
  };
  for (size_t i = 0; i < dim; ++i)
    if (!small_integer(q[i]) || !small_integer(c[i])) return false;
  return true;
}

// Cosine's contract is an absolute bound on scores in [-1, 1], so its ULP figures count steps of
// 2^-24, the ULP of scores just below 1 (an f32 ULP near a score of 0 would be meaningless).
void record_cosine(check_result& r, double err, size_t index) {
  r.max_abs_error = std::max(r.max_abs_error, err);
  const auto steps = static_cast<uint64_t>(std::ceil(err / 0x1p-24));
  if (r.ulp.count == 0 || steps > r.ulp.max) {
    r.ulp.max = steps;
    r.ulp.worst_index = index;
  }
  r.ulp.sum += double(steps);
  ++r.ulp.count;
}

// ---- one placement ------------------------------------------------------------------------------

// Top-k slots start as an index no selection yields below UINT32_MAX.
constexpr uint32_t unwritten_index = 0xdeadbeef;

// One similarity call on placed buffers: `call(query, candidates, scores)` scores `count`
// candidates stored as C.
template <class C, class Call>
std::string run_similarity(std::span<const float> query, std::span<const C> rows, size_t count,
                           const placement& where, Call&& call, std::vector<float>& out) {
  std::vector<guarded_buffer> keep;
  std::vector<region> regions;
  const float* q = place<float>(query, where, true, "query", keep, regions);
  const C* cand = place<C>(rows, where, true, "candidates", keep, regions);
  const std::vector<float> initial(count, unwritten);
  float* scores = place<float>(initial, where, false, "scores", keep, regions);
  std::string fault = run_placed([&] { call(q, cand, scores); }, regions);
  out.assign(scores, scores + count);
  return fault;
}

// One top-k call on placed buffers, after `scores_of(queries, candidates, batch)` has written the
// same table's scores of every pair into `batch` from the same placed inputs (the contract's bit
// identity is stated for them); `select(queries, candidates, index, scores)` is the top-k call.
// `out` gets its scores, then its indices as float bit patterns.
template <class C, class Scores, class Select>
std::string run_topk(std::span<const float> queries, std::span<const C> rows, size_t num_queries,
                     size_t count, size_t k, const placement& where, Scores&& scores_of,
                     Select&& select, std::vector<float>& out, std::vector<float>& batch) {
  std::vector<guarded_buffer> keep;
  std::vector<region> regions;
  const float* q = place<float>(queries, where, true, "queries", keep, regions);
  const C* cand = place<C>(rows, where, true, "candidates", keep, regions);
  const size_t slots = num_queries * k;
  const std::vector<float> initial_scores(slots, unwritten);
  const std::vector<uint32_t> initial_index(slots, unwritten_index);
  float* scores = place<float>(initial_scores, where, false, "out_score", keep, regions);
  uint32_t* index = place<uint32_t>(initial_index, where, false, "out_index", keep, regions);
  batch.assign(num_queries * count, unwritten);
  auto call = [&] {
    scores_of(q, cand, batch.data());
    select(q, cand, index, scores);
  };
  std::string fault = run_placed(call, regions);
  out.assign(scores, scores + slots);
  for (size_t s = 0; s < slots; ++s) out.push_back(std::bit_cast<float>(index[s]));
  return fault;
}

// The bf16 and int8 kinds: the similarity kernel of the candidates' type on query 0, or its top-k
// with that similarity kernel's scores of every query as `batch`.
std::string run_compact(const kernel_table& table, const test_case& c, const placement& where,
                        std::vector<float>& out, std::vector<float>& batch) {
  const auto& w = c.compact;
  return harness::with_candidates(w, [&](auto rows) {
    using C = typename decltype(rows)::value_type;
    const cosine_of_fn<C> cosine = table.lowp.cosine_of<C>();
    if (!harness::is_topk(c.kernel))
      return run_similarity(
          std::span<const float>(w.queries), rows, w.count, where,
          [&](const float* q, const C* cand, float* s) { cosine(q, cand, s, w.dim, w.count); },
          out);
    const auto scores_of = [&](const float* q, const C* cand, float* s) {
      for (size_t i = 0; i < w.num_queries; ++i)
        cosine(q + i * w.dim, cand, s + i * w.count, w.dim, w.count);
    };
    const auto select = [&](const float* q, const C* cand, uint32_t* index, float* s) {
      table.lowp.topk_of<C>()(q, w.num_queries, cand, w.count, w.dim, w.k, index, s);
    };
    return run_topk(std::span<const float>(w.queries), rows, w.num_queries, w.count, w.k, where,
                    scores_of, select, out, batch);
  });
}

// Runs the table once with every buffer placed as `where` says; returns a fault reason or the
// output in `out` (top-k: scores, then indices as float bits; `batch` gets the same table's batch
// scores, computed from the same placed inputs).
std::string run_once(const kernel_table& table, const prepared_case& p, const placement& where,
                     std::vector<float>& out, std::vector<float>& batch) {
  const test_case& c = *p.source;
  std::vector<guarded_buffer> keep;
  std::vector<region> regions;
  switch (c.kernel) {
    case kernel_kind::cosine: {
      const auto& w = c.cosine;
      return run_similarity(
          std::span<const float>(w.query), std::span<const float>(w.candidates), w.count, where,
          [&](const float* q, const float* cand, float* s) {
            table.cosine(q, cand, s, w.dim, w.count);
          },
          out);
    }
    case kernel_kind::decay: {
      const auto& w = c.decay;
      float* s = place<float>(w.strengths, where, false, "strengths", keep, regions);
      const uint64_t* ages = place<uint64_t>(w.ages, where, true, "ages", keep, regions);
      engram_decay_params params = w.params;
      params.tau_per_memory =
          w.tau_per_memory.empty()
              ? nullptr
              : place<float>(w.tau_per_memory, where, true, "tau_per_memory", keep, regions);
      auto call = [&] { table.decay(s, ages, w.strengths.size(), params); };
      std::string fault = run_placed(call, regions);
      out.assign(s, s + w.strengths.size());
      return fault;
    }
    case kernel_kind::spread: {
      const auto& w = c.spread;
      float* a = place<float>(w.activations, where, false, "activations", keep, regions);
      auto call = [&] { table.spread(*p.g, a, w.params); };
      std::string fault = run_placed(call, regions);
      out.assign(a, a + w.activations.size());
      return fault;
    }
    case kernel_kind::batch: {
      const auto& w = c.batch;
      const float* q = place<float>(w.queries, where, true, "queries", keep, regions);
      const float* cand = place<float>(w.candidates, where, true, "candidates", keep, regions);
      const std::vector<float> initial(w.num_queries * w.count, unwritten);
      float* scores = place<float>(initial, where, false, "scores", keep, regions);
      auto call = [&] { table.cosine_batch(q, w.num_queries, cand, w.count, w.dim, scores); };
      std::string fault = run_placed(call, regions);
      out.assign(scores, scores + initial.size());
      return fault;
    }
    case kernel_kind::topk: {
      const auto& w = c.batch;
      // The batch on the same candidates pointer: the contract's bit identity is stated for it.
      const auto scores_of = [&](const float* q, const float* cand, float* s) {
        table.cosine_batch(q, w.num_queries, cand, w.count, w.dim, s);
      };
      const auto select = [&](const float* q, const float* cand, uint32_t* index, float* s) {
        table.topk(q, w.num_queries, cand, w.count, w.dim, w.k, index, s);
      };
      return run_topk(std::span<const float>(w.queries), std::span<const float>(w.candidates),
                      w.num_queries, w.count, w.k, where, scores_of, select, out, batch);
    }
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return run_compact(table, c, where, out, batch);
  }
  return "unknown kernel";
}

}  // namespace

// ---- the contracts -----------------------------------------------------------------------------

std::string cosine_violation(std::span<const float> query, std::span<const float> candidates,
                             std::span<const float> expected, std::span<const float> actual,
                             check_result& r) {
  const size_t dim = query.size();
  const bool bad_query = directionless(query.data(), dim);
  const double bound = kern::cosine_error_bound(dim);
  for (size_t j = 0; j < expected.size(); ++j) {
    const float* c = candidates.data() + j * dim;
    const float a = actual[j], e = expected[j];
    const auto fail = [&](const std::string& expected_text, const std::string& why) {
      return "score " + std::to_string(j) + ": got " + show(a) + ", expected " + expected_text +
             " (" + why + ")";
    };
    if (bad_query || directionless(c, dim)) {
      if (!harness::same_bits(a, 0.0f))
        return fail("+0", "a zero, empty or non-finite vector has no direction");
      continue;
    }
    if (!(std::fabs(a) <= 1.0f)) return fail(show(e), "outside [-1, 1]");
    const double err = std::fabs(double(a) - double(e));
    record_cosine(r, err, j);
    // The integer scan last: most scores are far inside the exact bound and never pay for it.
    if (err > cosine_exact_sum_bound && exact_sums(query.data(), c, dim))
      return fail(show(e), "integer inputs make the sums exact: error " + show_error(err) + " > " +
                               show_error(cosine_exact_sum_bound));
    if (err > bound)
      return fail(show(e), "error " + show_error(err) + " > bound " + show_error(bound) +
                               " for dim " + std::to_string(dim));
  }
  return {};
}

std::string decay_violation(std::span<const float> strengths, std::span<const uint64_t> ages,
                            std::span<const float> expected, std::span<const float> actual,
                            check_result& r) {
  for (size_t i = 0; i < strengths.size(); ++i) {
    const float a = actual[i], e = expected[i];
    const auto fail = [&](float want, const std::string& why) {
      return "strength " + std::to_string(i) + " (age " + std::to_string(ages[i]) + "): got " +
             show(a) + ", expected " + show(want) + " (" + why + ")";
    };
    // Age 0 is held to the input itself, so the reference answers for it too.
    if (ages[i] == 0) {
      if (!harness::same_bits(a, strengths[i])) return fail(strengths[i], "must be bit-identical");
      continue;
    }
    if (!std::isfinite(e)) {
      if (!harness::same_bits(a, e)) return fail(e, "must be bit-identical");
      continue;
    }
    if (a == 0.0f && e == 0.0f && std::signbit(a) != std::signbit(e))
      return fail(e, "the sign of zero is kept");
    record(r, a, e, i);
    // In the subnormal range one ULP is 2^-149, so the ULP budget is also the absolute bound there.
    const uint64_t ulp = harness::ulp_distance(a, e);
    if (ulp > kern::decay_numerics::max_ulp)
      return fail(e,
                  std::to_string(ulp) + " ULP > " + std::to_string(kern::decay_numerics::max_ulp));
  }
  return {};
}

// The spreading contract is bit identity (NaN payloads and the sign of zero included).
static_assert(kern::spread_max_ulp == 0);
std::string spread_violation(std::span<const float> expected, std::span<const float> actual,
                             check_result& r) {
  std::string reason;
  for (size_t v = 0; v < expected.size(); ++v) {
    record(r, actual[v], expected[v], v);
    if (reason.empty() && !harness::same_bits(actual[v], expected[v]))
      reason = "activation " + std::to_string(v) + ": got " + show(actual[v]) + ", expected " +
               show(expected[v]) + " (must be bit-identical)";
  }
  return reason;
}

std::string batch_violation(std::span<const float> queries, std::span<const float> candidates,
                            size_t num_queries, size_t dim, std::span<const float> expected,
                            std::span<const float> actual, check_result& r) {
  const size_t count = num_queries == 0 ? 0 : expected.size() / num_queries;
  for (size_t i = 0; i < num_queries; ++i) {
    check_result row;
    const std::string v =
        cosine_violation(queries.subspan(i * dim, dim), candidates,
                         expected.subspan(i * count, count), actual.subspan(i * count, count), row);
    r.max_abs_error = std::max(r.max_abs_error, row.max_abs_error);
    if (row.ulp.count > 0 && (r.ulp.count == 0 || row.ulp.max > r.ulp.max)) {
      r.ulp.max = row.ulp.max;
      r.ulp.worst_index = i * count + row.ulp.worst_index;
    }
    r.ulp.sum += row.ulp.sum;
    r.ulp.count += row.ulp.count;
    if (!v.empty()) return "query " + std::to_string(i) + ", " + v;
  }
  return {};
}

std::string topk_violation(std::span<const float> batch, size_t num_queries, size_t count, size_t k,
                           std::span<const uint32_t> index, std::span<const float> score) {
  std::vector<uint32_t> want_index(k);
  std::vector<float> want_score(k);
  for (size_t i = 0; i < num_queries; ++i) {
    const float* row = batch.data() + i * count;
    ref::select_topk(row, count, k, want_index.data(), want_score.data());
    for (size_t j = 0; j < k; ++j) {
      const size_t s = i * k + j;
      const uint32_t got = index[s];
      if (got == want_index[j] && harness::same_bits(score[s], want_score[j])) continue;
      std::string why;
      if (j >= count)
        why = "past the candidates: UINT32_MAX and -inf";
      else if (got == want_index[j])
        why = "the score must be bit-identical to this table's batch score of the pair";
      else if (got < count && harness::same_bits(row[got], want_score[j]))
        why = "equal scores rank by the lower candidate index";
      else
        why = "the exact selection of this table's batch scores, best first";
      return "query " + std::to_string(i) + " slot " + std::to_string(j) + ": got candidate " +
             std::to_string(got) + " score " + show(score[s]) + ", expected candidate " +
             std::to_string(want_index[j]) + " score " + show(want_score[j]) + " (" + why + ")";
    }
  }
  return {};
}

prepared_case prepare(const test_case& c) {
  prepared_case p;
  p.source = &c;
  switch (c.kernel) {
    case kernel_kind::cosine: {
      const auto& w = c.cosine;
      p.expected.resize(w.count);
      ref::cosine(w.query.data(), w.candidates.data(), p.expected.data(), w.dim, w.count);
      break;
    }
    case kernel_kind::decay: {
      const auto& w = c.decay;
      engram_decay_params params = w.params;
      params.tau_per_memory = w.tau_per_memory.empty() ? nullptr : w.tau_per_memory.data();
      p.expected = w.strengths;
      ref::decay(p.expected.data(), w.ages.data(), w.ages.size(), params);
      break;
    }
    case kernel_kind::spread: {
      const auto& w = c.spread;
      const size_t edges = w.targets.size();
      if (validate_csr(w.nodes, w.row_offsets.data(), w.targets.data(), w.weights.data(), edges) !=
          ENGRAM_OK)
        throw harness::input_error("spread case: the graph breaks a CSR rule");
      p.g = kern::make_graph(w.nodes, w.row_offsets.data(), w.targets.data(), w.weights.data(),
                             edges);
      p.expected = w.activations;
      ref::spread(*p.g, p.expected.data(), w.params);
      break;
    }
    case kernel_kind::batch:
    case kernel_kind::topk: {
      const auto& w = c.batch;
      if (w.count > UINT32_MAX)  // what engram_vector_topk rejects (candidate indices are u32)
        throw harness::input_error("topk case: more than UINT32_MAX candidates");
      p.expected.resize(w.num_queries * w.count);
      ref::cosine_batch(w.queries.data(), w.num_queries, w.candidates.data(), w.count, w.dim,
                        p.expected.data());
      break;
    }
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8: {
      const auto& w = c.compact;
      if (w.count > UINT32_MAX)  // what engram_vector_topk_bf16 / _i8 reject
        throw harness::input_error(harness::to_string(c.kernel) +
                                   " case: more than UINT32_MAX candidates");
      p.widened = harness::widened_candidates(w);
      p.expected.resize(w.num_queries * w.count);
      harness::with_candidates(w, [&](auto rows) {
        for (size_t i = 0; i < w.num_queries; ++i)
          ref::cosine_of(w.queries.data() + i * w.dim, rows.data(), p.expected.data() + i * w.count,
                         w.dim, w.count);
      });
      break;
    }
  }
  return p;
}

namespace {

// Top-k's scores are its table's batch scores (for the compact kinds, its similarity kernel's of
// that type; `candidates` are then the widened ones), so those are held to the cosine contract
// (and give the error statistics), then the selection to the exact one of them.
std::string topk_check(std::span<const float> queries, std::span<const float> candidates,
                       size_t num_queries, size_t dim, size_t count, size_t k,
                       std::span<const float> expected, std::span<const float> batch,
                       std::span<const float> actual, check_result& stats) {
  const std::string v =
      batch_violation(queries, candidates, num_queries, dim, expected, batch, stats);
  if (!v.empty()) return "the scores it selects from: " + v;
  const size_t slots = num_queries * k;
  std::vector<uint32_t> index(slots);
  for (size_t s = 0; s < slots; ++s) index[s] = std::bit_cast<uint32_t>(actual[slots + s]);
  return topk_violation(batch, num_queries, count, k, index, actual.first(slots));
}

}  // namespace

check_result check(const kernel_table& table, const prepared_case& p) {
  const placement placements[] = {
      {guard_side::after, 0, "guard page after the last byte"},
      {guard_side::before, p.source->offset, "guard page before the first byte"}};
  check_result r;
  std::vector<float> batch;  // top-k: the same table's batch scores
  for (const placement& where : placements) {
    std::string reason = run_once(table, p, where, r.actual, batch);
    if (reason.empty()) {
      check_result pass_stats;
      switch (p.source->kernel) {
        case kernel_kind::cosine:
          reason = cosine_violation(p.source->cosine.query, p.source->cosine.candidates, p.expected,
                                    r.actual, pass_stats);
          break;
        case kernel_kind::decay:
          reason = decay_violation(p.source->decay.strengths, p.source->decay.ages, p.expected,
                                   r.actual, pass_stats);
          break;
        case kernel_kind::spread:
          reason = spread_violation(p.expected, r.actual, pass_stats);
          break;
        case kernel_kind::batch: {
          const auto& w = p.source->batch;
          reason = batch_violation(w.queries, w.candidates, w.num_queries, w.dim, p.expected,
                                   r.actual, pass_stats);
          break;
        }
        case kernel_kind::topk: {
          const auto& w = p.source->batch;
          reason = topk_check(w.queries, w.candidates, w.num_queries, w.dim, w.count, w.k,
                              p.expected, batch, r.actual, pass_stats);
          break;
        }
        case kernel_kind::cosine_bf16:
        case kernel_kind::cosine_i8:
          reason = cosine_violation(p.source->compact.queries, p.widened, p.expected, r.actual,
                                    pass_stats);
          break;
        case kernel_kind::topk_bf16:
        case kernel_kind::topk_i8: {
          const auto& w = p.source->compact;
          reason = topk_check(w.queries, p.widened, w.num_queries, w.dim, w.count, w.k, p.expected,
                              batch, r.actual, pass_stats);
          break;
        }
      }
      // Both placements compute the same output; the statistics are those of the first.
      if (where.side == guard_side::after) {
        r.max_abs_error = pass_stats.max_abs_error;
        r.ulp = pass_stats.ulp;
      }
    }
    if (!reason.empty()) {
      r.failed = true;
      r.reason = reason + " [" + where.name +
                 (where.side == guard_side::before && where.offset != 0
                      ? ", start shifted by " + std::to_string(where.offset) + " elements"
                      : std::string()) +
                 "]";
      return r;
    }
  }
  return r;
}

}  // namespace ek::verify
