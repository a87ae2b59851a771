// planted_bugs.cpp — the broken kernels behind planted_bugs.hpp. Each is written the way the bug
// shows up in real kernels (blocked loops, polynomial exp, a pull over the transposed CSR); the
// comment marked BUG names the one deliberate mistake.
#include "src/verify/planted_bugs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "kernels/topk.hpp"
#include "reference/cosine.hpp"
#include "reference/decay.hpp"
#include "reference/lowp.hpp"
#include "reference/spread.hpp"
#include "reference/topk.hpp"

namespace ek::verify::planted {

namespace {

// The reference's final quotient, in double and rounded once.
float quotient_in_double(double dot, double qq, double cc) {
  return static_cast<float>(std::clamp(dot / (std::sqrt(qq) * std::sqrt(cc)), -1.0, 1.0));
}

// The norms and the quotient in f32 (four f32 roundings where the contract has double ones, up
// to about 4 f32 ULP of the score: only scores near ±1 lose more than the exact-sum bound); norms
// beyond the f32 range take the safe path in double, as in the real kernels.
float quotient_in_float(double dot, double qq, double cc) {
  const float norms = std::sqrt(static_cast<float>(qq)) * std::sqrt(static_cast<float>(cc));
  if (!(norms >= std::numeric_limits<float>::min() && norms <= std::numeric_limits<float>::max()))
    return quotient_in_double(dot, qq, cc);
  return std::clamp(static_cast<float>(dot) / norms, -1.0f, 1.0f);  // BUG: double, rounded once
}

// The cosine of the reference, over a pluggable dot product and final quotient.
template <double (*dot)(const float*, const float*, size_t),
          float (*quotient)(double, double, double) = &quotient_in_double>
void cosine_over(const float* q, const float* c, float* scores, size_t dim, size_t count) {
  const double qq = dot(q, q, dim);
  for (size_t j = 0; j < count; ++j) {
    const float* cj = c + j * dim;
    const double cc = dot(cj, cj, dim);
    if (!std::isfinite(qq) || qq == 0.0 || !std::isfinite(cc) || cc == 0.0) {
      scores[j] = 0.0f;
      continue;
    }
    scores[j] = quotient(dot(q, cj, dim), qq, cc);
  }
}

double dot_in_order(const float* a, const float* b, size_t dim) {
  double sum = 0.0;
  for (size_t i = 0; i < dim; ++i) sum += double(a[i]) * double(b[i]);
  return sum;
}

constexpr size_t block = 8;

double dot_tail_skips_last(const float* a, const float* b, size_t dim) {
  double sum = 0.0;
  size_t i = 0;
  for (; i + block <= dim; i += block)
    for (size_t k = 0; k < block; ++k) sum += double(a[i + k]) * double(b[i + k]);
  for (; i + 1 < dim; ++i) sum += double(a[i]) * double(b[i]);  // BUG: should be i < dim
  return sum;
}

double dot_tail_reads_past_end(const float* a, const float* b, size_t dim) {
  double sum = 0.0;
  size_t i = 0;
  for (; i + block <= dim; i += block)
    for (size_t k = 0; k < block; ++k) sum += double(a[i + k]) * double(b[i + k]);
  // The tail works in pairs and drops the second lane when it lies past the end, but still loads
  // it: BUG, a[dim] and b[dim] are read when the tail is odd. The volatile keeps the compiler
  // from removing the load, as a vector load never would.
  for (; i < dim; i += 2) {
    const float a1 = *static_cast<const volatile float*>(a + i + 1);
    const float b1 = *static_cast<const volatile float*>(b + i + 1);
    sum += double(a[i]) * double(b[i]);
    if (i + 1 < dim) sum += double(a1) * double(b1);
  }
  return sum;
}

void cosine_tail_skips_last(const float* q, const float* c, float* s, size_t dim, size_t n) {
  cosine_over<&dot_tail_skips_last>(q, c, s, dim, n);
}
void cosine_tail_reads_past_end(const float* q, const float* c, float* s, size_t dim, size_t n) {
  cosine_over<&dot_tail_reads_past_end>(q, c, s, dim, n);
}

void cosine_float_quotient(const float* q, const float* c, float* s, size_t dim, size_t n) {
  cosine_over<&dot_in_order, &quotient_in_float>(q, c, s, dim, n);
}

void cosine_nan_zero(const float* q, const float* c, float* scores, size_t dim, size_t count) {
  ref::cosine(q, c, scores, dim, count);
  const auto all_zero = [dim](const float* v) {
    return std::all_of(v, v + dim, [](float x) { return x == 0.0f; });
  };
  for (size_t j = 0; j < count; ++j)  // BUG: the contract says +0
    if (all_zero(q) || all_zero(c + j * dim)) scores[j] = std::numeric_limits<float>::quiet_NaN();
}

// exp(x) = 2^k p(r), x = k ln2 + r, |r| <= ln2 / 2, p the degree-12 Taylor polynomial of e^r.
double taylor_exp(double x) {
  if (x < -746.0) return 0.0;
  static constexpr double coefficients[] = {1.0,
                                            1.0,
                                            1.0 / 2,
                                            1.0 / 6,
                                            1.0 / 24,
                                            1.0 / 125,  // BUG: 1/5! is 1/120
                                            1.0 / 720,
                                            1.0 / 5040,
                                            1.0 / 40320,
                                            1.0 / 362880,
                                            1.0 / 3628800,
                                            1.0 / 39916800,
                                            1.0 / 479001600};
  const double k = std::nearbyint(x / std::numbers::ln2);
  const double r = x - k * std::numbers::ln2;
  double p = 0.0;
  for (size_t i = std::size(coefficients); i-- > 0;) p = p * r + coefficients[i];
  return std::ldexp(p, static_cast<int>(k));
}

void decay_taylor(float* strengths, const uint64_t* ages, size_t count,
                  const engram_decay_params& params) {
  if (params.family != ENGRAM_DECAY_EXPONENTIAL) return ref::decay(strengths, ages, count, params);
  for (size_t i = 0; i < count; ++i) {
    if (ages[i] == 0) continue;
    const double tau =
        params.tau_per_memory != nullptr ? double(params.tau_per_memory[i]) : params.tau_seconds;
    const double r = std::max(taylor_exp(-double(ages[i]) / tau), params.floor);
    strengths[i] = static_cast<float>(double(strengths[i]) * r);
  }
}

// z with R = 2^-z, in double, for every family (the shared exp2 of a real kernel).
double z_of(const uint64_t* ages, size_t i, const engram_decay_params& params) {
  const double tau =
      params.tau_per_memory != nullptr ? double(params.tau_per_memory[i]) : params.tau_seconds;
  const double t = double(ages[i]), x = t / tau;
  switch (params.family) {
    case ENGRAM_DECAY_POWER_LAW:
      return params.beta * std::log1p(x) * std::numbers::log2e;
    case ENGRAM_DECAY_HYBRID:
      if (t > params.switch_seconds) {
        const double xs = params.switch_seconds / tau;
        return (xs + params.beta * (std::log1p(x) - std::log1p(xs))) * std::numbers::log2e;
      }
      return x * std::numbers::log2e;
    default:
      return x * std::numbers::log2e;
  }
}

void decay_underflow_shortcut(float* strengths, const uint64_t* ages, size_t count,
                              const engram_decay_params& params) {
  const std::vector<float> input(strengths, strengths + count);
  ref::decay(strengths, ages, count, params);
  // BUG: 2^-200 looks small enough to be 0, but s · 2^-z stays a nonzero float up to
  // z = 149 + log2|s| (about 277 for FLT_MAX): only strengths from about 2^50 up show it.
  for (size_t i = 0; i < count; ++i)
    if (ages[i] != 0 && z_of(ages, i, params) > 200.0)
      strengths[i] = static_cast<float>(double(input[i]) * params.floor);
}

void decay_fresh_round_trip(float* strengths, const uint64_t* ages, size_t count,
                            const engram_decay_params& params) {
  ref::decay(strengths, ages, count, params);
  // BUG: age-0 lanes go back through f32 -> f64 -> f32 like the others; the widening quiets a
  // signaling NaN (and the volatile keeps the compiler from folding the round trip away).
  for (size_t i = 0; i < count; ++i) {
    if (ages[i] != 0) continue;
    const volatile double widened = strengths[i];
    strengths[i] = static_cast<float>(widened);
  }
}

// The frontier test written `>=`: for a float threshold t >= 0, x >= t is x > (the float below
// t), so the reference with that threshold is the bug exactly (at t = 0 it lets +-0 pass too).
void spread_frontier_ties_pass(const graph& g, float* a, const engram_spread_params& p) {
  engram_spread_params ties_pass = p;
  ties_pass.threshold = std::nextafter(p.threshold, -std::numeric_limits<float>::infinity());
  ref::spread(g, a, ties_pass);  // BUG: the contract says `> threshold`
}

void spread_pull_reversed(const graph& g, float* a, const engram_spread_params& p) {
  if (p.mode != ENGRAM_SPREAD_DENSE) return ref::spread(g, a, p);
  std::vector<float> updated(g.num_nodes);
  for (uint32_t it = 0; it < p.steps; ++it) {
    float max = -std::numeric_limits<float>::infinity();
    for (uint32_t v = 0; v < g.num_nodes; ++v) {
      float sum = 0.0f;
      // BUG: canonical order is ascending source, i.e. forward over the in-CSR row.
      for (uint64_t e = g.in.offsets[v + 1]; e-- > g.in.offsets[v];)
        sum = sum + g.in.weights[e] * a[g.in.index[e]];
      updated[v] = a[v] + p.hop_decay * sum;
      if (updated[v] > max) max = updated[v];
    }
    if (max > 1.0f)
      for (float& x : updated) x = x / max;
    std::copy(updated.begin(), updated.end(), a);
  }
}

// The reference batch, then each query's best k by a sort of its candidate indices.
void topk_ties_high(const float* queries, size_t num_queries, const float* candidates, size_t count,
                    size_t dim, size_t k, uint32_t* out_index, float* out_score) {
  std::vector<float> scores(num_queries * count);
  ref::cosine_batch(queries, num_queries, candidates, count, dim, scores.data());
  std::vector<uint32_t> order(count);
  for (size_t i = 0; i < num_queries; ++i) {
    const float* row = scores.data() + i * count;
    for (uint32_t j = 0; j < count; ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [row](uint32_t a, uint32_t b) {
      return row[a] != row[b] ? row[a] > row[b] : a > b;  // BUG: the contract says the lower index
    });
    for (size_t j = 0; j < k; ++j) {
      out_index[i * k + j] = j < count ? order[j] : UINT32_MAX;
      out_score[i * k + j] = j < count ? row[order[j]] : -std::numeric_limits<float>::infinity();
    }
  }
}

// The blocked loop over queries stops one block early.
void batch_last_block_skipped(const float* queries, size_t num_queries, const float* candidates,
                              size_t count, size_t dim, float* scores) {
  constexpr size_t block = kern::batch_query_block;
  // BUG: the bound should be num_queries, not the start of the last (full or partial) block.
  const size_t scored = num_queries == 0 ? 0 : (num_queries - 1) / block * block;
  ref::cosine_batch(queries, scored, candidates, count, dim, scores);
}

// The compact kernels widen each element as they load it and then run the f32 sums: here the
// widening into a float copy of the rows, then the reference on it, with one broken widening.
float widen_i8_unsigned(int8_t x) {
  return static_cast<float>(static_cast<uint8_t>(x));  // BUG: int8 is signed
}
float widen_bf16_high_byte(uint16_t bits) {
  return ref::widen_bf16(bits & 0xff00u);  // BUG: the low byte holds the mantissa
}

template <class C, float (*widen)(C)>
std::vector<float> widened(const C* rows, size_t elements) {
  std::vector<float> out(elements);
  for (size_t i = 0; i < elements; ++i) out[i] = widen(rows[i]);
  return out;
}

template <class C, float (*widen)(C)>
void cosine_widened(const float* q, const C* c, float* scores, size_t dim, size_t count) {
  const std::vector<float> rows = widened<C, widen>(c, dim * count);
  ref::cosine(q, rows.data(), scores, dim, count);
}

// ref::topk scores each pair as ref::cosine does, so the scores stay bit-identical to the broken
// similarity kernel: only the bound against the reference shows the bug.
template <class C, float (*widen)(C)>
void topk_widened(const float* queries, size_t num_queries, const C* c, size_t count, size_t dim,
                  size_t k, uint32_t* out_index, float* out_score) {
  const std::vector<float> rows = widened<C, widen>(c, dim * count);
  ref::topk(queries, num_queries, rows.data(), count, dim, k, out_index, out_score);
}

// A table of reference kernels with these compact ones.
kernel_table with_lowp(const char* isa, const lowp_kernels& lowp) {
  kernel_table t{isa, &ref::cosine, &ref::decay, &ref::spread};
  t.lowp = lowp;
  return t;
}

}  // namespace

const kernel_table tail_skips_last{"planted_tail_skips_last", &cosine_tail_skips_last, &ref::decay,
                                   &ref::spread};
const kernel_table tail_reads_past_end{"planted_tail_reads_past_end", &cosine_tail_reads_past_end,
                                       &ref::decay, &ref::spread};
const kernel_table decay_wrong_coefficient{"planted_decay_wrong_coefficient", &ref::cosine,
                                           &decay_taylor, &ref::spread};
const kernel_table spread_reversed_pull{"planted_spread_reversed_pull", &ref::cosine, &ref::decay,
                                        &spread_pull_reversed};
const kernel_table cosine_quotient_in_float{"planted_cosine_quotient_in_float",
                                            &cosine_float_quotient, &ref::decay, &ref::spread};
const kernel_table decay_underflows_too_early{"planted_decay_underflows_too_early", &ref::cosine,
                                              &decay_underflow_shortcut, &ref::spread};
const kernel_table decay_quiets_signaling_nan{"planted_decay_quiets_signaling_nan", &ref::cosine,
                                              &decay_fresh_round_trip, &ref::spread};
const kernel_table spread_threshold_ties_pass{"planted_spread_threshold_ties_pass", &ref::cosine,
                                              &ref::decay, &spread_frontier_ties_pass};
const kernel_table topk_ties_to_higher_index{"planted_topk_ties_to_higher_index",
                                             &ref::cosine,
                                             &ref::decay,
                                             &ref::spread,
                                             &ref::cosine_batch,
                                             &topk_ties_high};
const kernel_table batch_skips_last_query_block{"planted_batch_skips_last_query_block",
                                                &ref::cosine, &ref::decay, &ref::spread,
                                                &batch_last_block_skipped};
const kernel_table i8_widened_as_unsigned = with_lowp(
    "planted_i8_widened_as_unsigned", {.cosine_i8 = &cosine_widened<int8_t, &widen_i8_unsigned>,
                                       .topk_i8 = &topk_widened<int8_t, &widen_i8_unsigned>});
const kernel_table bf16_widening_drops_low_byte =
    with_lowp("planted_bf16_widening_drops_low_byte",
              {.cosine_bf16 = &cosine_widened<uint16_t, &widen_bf16_high_byte>,
               .topk_bf16 = &topk_widened<uint16_t, &widen_bf16_high_byte>});
const kernel_table cosine_nan_for_zero{"planted_cosine_nan_for_zero", &cosine_nan_zero, &ref::decay,
                                       &ref::spread};

}  // namespace ek::verify::planted
