// cosine_impl.hpp — the optimized batch cosine similarity, written once over an xsimd Arch and
// instantiated per ISA in kernels/isa/<isa>.cpp. Algorithm, safe path and error bound:
// docs/kernel-cosine.md; the numerics it promises: kernels/cosine.hpp.
#pragma once

#include <array>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "kernels/cosine.hpp"
#include "kernels/xsimd_compat.hpp"
#include "reference/cosine.hpp"

namespace ek::kern {

namespace cosine_detail {

template <class Arch>
using fbatch = xsimd::batch<float, Arch>;

// f32 sums q·c_b and c_b·c_b for B consecutive candidates in one pass: each query batch is loaded
// once for all B, and the 2·B accumulators are independent FMA chains (xsimd_compat::fma: fused
// where the ISA has FMA, a rounded multiply then add on sse4_2). Fused or not, each product meets
// at most ceil(dim / W) + 1 + log2(W) roundings on its way to the sum (cosine.hpp).
template <class Arch, size_t B>
void block_sums(const float* q, const float* c, size_t dim, float* dot, float* cc) {
  using batch = fbatch<Arch>;
  constexpr size_t W = batch::size;
  std::array<batch, B> d, n;
  d.fill(batch(0.0f));
  n.fill(batch(0.0f));
  // Masked loads: lanes outside `live` become +0 (a NaN/Inf there belongs to an element summed
  // elsewhere, and that candidate leaves the fast path anyway).
  auto add_at = [&](size_t offset, const xsimd::batch_bool<float, Arch>& live) {
    const batch qv = xsimd::select(live, batch::load_unaligned(q + offset), batch(0.0f));
    for (size_t b = 0; b < B; ++b) {
      const batch cv =
          xsimd::select(live, batch::load_unaligned(c + b * dim + offset), batch(0.0f));
      d[b] = xsimd_compat::fma(qv, cv, d[b]);
      n[b] = xsimd_compat::fma(cv, cv, n[b]);
    }
  };
  if (dim < W) {
    // Too short for one whole load: zero-padded copies, so nothing past a row is read.
    alignas(64) float qp[W] = {};
    std::memcpy(qp, q, dim * sizeof(float));
    const batch qv = batch::load_unaligned(qp);
    for (size_t b = 0; b < B; ++b) {
      alignas(64) float cp[W] = {};
      std::memcpy(cp, c + b * dim, dim * sizeof(float));
      const batch cv = batch::load_unaligned(cp);
      d[b] = xsimd_compat::fma(qv, cv, d[b]);
      n[b] = xsimd_compat::fma(cv, cv, n[b]);
    }
  } else {
    static constexpr float lane_index[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static_assert(W <= 16);
    const batch lane = batch::load_unaligned(lane_index);
    // Head: the first h elements, so the whole loads of the first candidate (and of every
    // candidate when dim is a multiple of W) are W-aligned: a load that splits two cache lines
    // costs a second access, which halves AVX-512 throughput from L2. Tail: the last
    // (dim − h) mod W elements, from a load that ends exactly at the row's end.
    const size_t h = (W - reinterpret_cast<uintptr_t>(c) / sizeof(float) % W) % W;
    const size_t rem = (dim - h) % W;
    if (h != 0) add_at(0, lane < batch(float(h)));
    for (size_t i = h; i + W <= dim; i += W) {
      const batch qv = batch::load_unaligned(q + i);
      for (size_t b = 0; b < B; ++b) {
        const batch cv = batch::load_unaligned(c + b * dim + i);
        d[b] = xsimd_compat::fma(qv, cv, d[b]);
        n[b] = xsimd_compat::fma(cv, cv, n[b]);
      }
    }
    if (rem != 0) add_at(dim - W, lane >= batch(float(W - rem)));
  }
  // xsimd's hadd is a log2(W)-deep tree on every ISA (halves, then pairs).
  for (size_t b = 0; b < B; ++b) {
    dot[b] = xsimd::hadd(d[b]);
    cc[b] = xsimd::hadd(n[b]);
  }
}

// Scores B candidates from their f32 sums. A sum outside the trusted range (non-finite: a NaN/Inf
// element or squares past FLT_MAX; or below cosine_min_sum: zero, or lost to underflow) sends that
// one candidate to the reference, which decides it in double. The quotient is finished in double
// exactly as the reference does, so exact sums (integer inputs) give the reference's bits.
template <class Arch, size_t B>
void score_block(const float* q, double q_norm, const float* c, float* scores, size_t dim) {
  float dot[B], cc[B];
  block_sums<Arch, B>(q, c, dim, dot, cc);
  for (size_t b = 0; b < B; ++b) {
    const bool trusted =
        cc[b] >= cosine_min_sum && cc[b] <= FLT_MAX && dot[b] >= -FLT_MAX && dot[b] <= FLT_MAX;
    if (!trusted) {
      ref::cosine(q, c + b * dim, scores + b, dim, 1);
      continue;
    }
    const double s = double(dot[b]) / (q_norm * std::sqrt(double(cc[b])));
    scores[b] = float(s < -1 ? -1 : (s > 1 ? 1 : s));
  }
}

}  // namespace cosine_detail

/// scores[j] = cosine(query, candidates[j]) within cosine_error_bound(dim) of ek::ref::cosine,
/// and exactly +0 wherever the reference's special-value rules give +0.
template <class Arch>
void cosine(const float* query, const float* candidates, float* scores, size_t dim, size_t count) {
  using namespace cosine_detail;
  float qq_as_dot, qq;
  block_sums<Arch, 1>(query, query, dim, &qq_as_dot, &qq);
  // An empty, zero, non-finite or extreme query: the reference decides the whole call (every
  // score is +0, or each needs double sums anyway).
  if (!(qq >= cosine_min_sum && qq <= FLT_MAX)) {
    ref::cosine(query, candidates, scores, dim, count);
    return;
  }
  const double q_norm = std::sqrt(double(qq));
  size_t j = 0;
  for (; j + cosine_block <= count; j += cosine_block) {
    score_block<Arch, cosine_block>(query, q_norm, candidates + j * dim, scores + j, dim);
  }
  for (; j < count; ++j) score_block<Arch, 1>(query, q_norm, candidates + j * dim, scores + j, dim);
}

}  // namespace ek::kern
