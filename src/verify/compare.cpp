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
  size_t offset_floats;  // only with guard_side::before: the start moves off the page boundary
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
  // A u64 array stays 8-byte aligned: the C ABI's callers cannot pass anything else.
  const size_t pad = where.side == guard_side::before
                         ? where.offset_floats * sizeof(float) / alignof(T) * alignof(T)
                         : 0;
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

// Runs the table once with every buffer placed as `where` says; returns a fault reason or the
// output in `out`.
std::string run_once(const kernel_table& table, const prepared_case& p, const placement& where,
                     std::vector<float>& out) {
  const test_case& c = *p.source;
  std::vector<guarded_buffer> keep;
  std::vector<region> regions;
  const std::vector<float> unwritten_scores(c.cosine.count, unwritten);
  switch (c.kernel) {
    case kernel_kind::cosine: {
      const auto& w = c.cosine;
      const float* q = place<float>(w.query, where, true, "query", keep, regions);
      const float* cand = place<float>(w.candidates, where, true, "candidates", keep, regions);
      float* scores = place<float>(unwritten_scores, where, false, "scores", keep, regions);
      auto call = [&] { table.cosine(q, cand, scores, w.dim, w.count); };
      std::string fault = run_placed(call, regions);
      out.assign(scores, scores + w.count);
      return fault;
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
  }
  return p;
}

check_result check(const kernel_table& table, const prepared_case& p) {
  const placement placements[] = {
      {guard_side::after, 0, "guard page after the last byte"},
      {guard_side::before, p.source->offset, "guard page before the first byte"}};
  check_result r;
  for (const placement& where : placements) {
    std::string reason = run_once(table, p, where, r.actual);
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
                 (where.side == guard_side::before && where.offset_floats != 0
                      ? ", start shifted by " + std::to_string(where.offset_floats) + " floats"
                      : std::string()) +
                 "]";
      return r;
    }
  }
  return r;
}

}  // namespace ek::verify
