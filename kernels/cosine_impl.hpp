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
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/cosine.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/xsimd_compat.hpp"
#include "reference/cosine.hpp"

namespace ek::kern {

namespace cosine_detail {

template <class Arch>
using fbatch = xsimd::batch<float, Arch>;

// The aligning head of a row starting at c: the first h elements, so the whole loads of the
// row (and of every row when dim is a multiple of W) are aligned to their W elements. A load that
// splits two cache lines costs a second access, which halves AVX-512 throughput from L2.
template <class Arch, class C>
size_t head_of(const C* c) {
  constexpr size_t W = fbatch<Arch>::size;
  return (W - reinterpret_cast<uintptr_t>(c) / sizeof(C) % W) % W;
}

// W elements of a row as floats: f32 as stored, bfloat16 and int8 widened exactly (the values the
// reference defines the bf16 and int8 similarities on), so every kernel below sums floats.
template <class Arch>
fbatch<Arch> load_row(const float* p) {
  return fbatch<Arch>::load_unaligned(p);
}
template <class Arch>
fbatch<Arch> load_row(const uint16_t* p) {
  return xsimd_compat::load_bf16<Arch>(p);
}
template <class Arch>
fbatch<Arch> load_row(const int8_t* p) {
  return xsimd_compat::load_i8<Arch>(p);
}

// f32 sums q_i·c_b for Q queries (rows dim apart from q) and B consecutive candidates, and with
// Norms c_b·c_b, in one pass: each candidate batch is loaded once for all Q queries and each query
// batch once for all B candidates; the Q·B (+ B) accumulators are independent FMA chains
// (xsimd_compat::fma: fused where the ISA has FMA, a rounded multiply then add on sse4_2). Every
// sum is the same chain whatever Q, B and Norms are — head h (the caller's: one block of
// candidates shares its first row's), whole W-wide steps, tail, log2(W)-deep tree — so a pair's
// sums do not depend on which block computed them. Each product meets at most
// ceil(dim / W) + 1 + log2(W) roundings on its way to the sum (cosine.hpp). Candidates of type C
// (float, bfloat16 bits, int8) are widened exactly as they are loaded; queries are floats.
template <class Arch, size_t Q, size_t B, bool Norms, class C>
void block_sums(const float* q, const C* c, size_t dim, size_t h, bool prefetch, float (&dot)[Q][B],
                float (&cc)[B]) {
  using batch = fbatch<Arch>;
  constexpr size_t W = batch::size;
  std::array<batch, Q * B> d;
  std::array<batch, B> n;
  d.fill(batch(0.0f));
  n.fill(batch(0.0f));
  auto add = [&](size_t offset, auto&& load) {
    std::array<batch, B> cv;
    for (size_t b = 0; b < B; ++b) {
      cv[b] = load(c + b * dim + offset);
      if constexpr (Norms) n[b] = xsimd_compat::fma(cv[b], cv[b], n[b]);
    }
    for (size_t i = 0; i < Q; ++i) {
      const batch qv = load(q + i * dim + offset);
      for (size_t b = 0; b < B; ++b) d[i * B + b] = xsimd_compat::fma(qv, cv[b], d[i * B + b]);
    }
  };
  if (dim < W) {
    // Too short for one whole load: zero-padded copies, so nothing past a row is read.
    add(0, [dim](const auto* row) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(row)>>;
      // batch::size, not W: clang 14 (the fuzz preset) asks for W to be captured.
      alignas(64) T padded[batch::size] = {};
      std::memcpy(padded, row, dim * sizeof(T));
      return load_row<Arch>(static_cast<const T*>(padded));
    });
  } else {
    static constexpr float lane_index[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static_assert(W <= 16 && 16 % W == 0);
    const batch lane = batch::load_unaligned(lane_index);
    // Masked loads: lanes outside `live` become +0 (a NaN/Inf there belongs to an element summed
    // elsewhere, and that candidate leaves the fast path anyway).
    auto masked = [](const xsimd::batch_bool<float, Arch>& live) {
      return [live](const auto* p) { return xsimd::select(live, load_row<Arch>(p), batch(0.0f)); };
    };
    // Head: the first h elements. Tail: the last (dim − h) mod W, from a load that ends exactly
    // at the row's end.
    const size_t rem = (dim - h) % W;
    if (h != 0) add(0, masked(lane < batch(float(h))));
    auto whole = [](const auto* p) { return load_row<Arch>(p); };
    size_t i = h;
    if (prefetch) {
      // The next block's B rows (contiguous with these) are requested at the same offsets while
      // this block is summed, each 64-byte line twice, one line apart: rows of a few KiB are
      // streams too short for the hardware prefetcher to get ahead of. The second request made
      // avx2 and avx512 0.85x the time of one (AMD Zen 4, n 100000; back to back it gained
      // nothing): a likely cause, unverified without counters here, is prefetches dropped while
      // the miss buffers are full. One query (Q = 1) asks for L1 (prefetcht0): on the AMD Zen 5,
      // cosine n100000 0.88x the time of prefetcht2 on avx2 and 0.96x on avx512, n10000 0.68x
      // and 0.85x, bf16 and int8 n200000 avx512 0.85-0.89x (on the Zen 4 it had gained nothing).
      // Several queries keep prefetcht2, the hint for the outer levels: their query block lives
      // in L1, and prefetcht0 evicting it made batch and top-k q16 1.10-1.13x the time on avx2.
      // When it pays, and the measurements: cosine_prefetch_min_bytes (cosine.hpp). The steps
      // are the same, in the same order, as without it. A prefetch never faults; the address is
      // formed as an integer, as it may lie past the candidates.
      constexpr int locality = Q == 1 ? 3 : 1;
      constexpr size_t line = 64 / sizeof(C);  // elements per cache line, >= W
      // The rows requested lie as many bytes ahead as one float block, whatever the stored type:
      // a line takes as long to come from memory, and a block of bfloat16 or int8 rows is summed
      // two or four times sooner, so the block after next (bf16) or the fourth ahead (int8) is
      // the one requested; each is still requested once.
      constexpr size_t f32_bytes = sizeof(float);
      constexpr size_t blocks_ahead = f32_bytes / sizeof(C);
      for (; i + line <= dim; i += line) {
        // Both addresses lie after c: B·dim >= dim >= i + line.
        const uintptr_t next = reinterpret_cast<uintptr_t>(c) + blocks_ahead * B * dim * sizeof(C);
        for (size_t b = 0; b < B; ++b) {
          const uintptr_t at = next + (b * dim + i) * sizeof(C);
          __builtin_prefetch(reinterpret_cast<const void*>(at), 0, locality);
          __builtin_prefetch(reinterpret_cast<const void*>(at - 64), 0, locality);
        }
        for (size_t s = 0; s < line; s += W) add(i + s, whole);
      }
    }
    for (; i + W <= dim; i += W) add(i, whole);
    if (rem != 0) add(dim - W, masked(lane >= batch(float(W - rem))));
  }
  // xsimd's hadd is a log2(W)-deep tree on every ISA (halves, then pairs).
  for (size_t i = 0; i < Q; ++i)
    for (size_t b = 0; b < B; ++b) dot[i][b] = xsimd::hadd(d[i * B + b]);
  if constexpr (Norms)
    for (size_t b = 0; b < B; ++b) cc[b] = xsimd::hadd(n[b]);
}

// |q| in double from its f32 sum of squares, or 0 when that sum is outside the trusted range (an
// empty, zero, non-finite or extreme query): the reference then decides every score of it (each
// is +0, or needs double sums anyway).
template <class Arch>
double trusted_norm(const float* q, size_t dim) {
  float qq_as_dot[1][1], qq[1];
  block_sums<Arch, 1, 1, true>(q, q, dim, head_of<Arch>(q), false, qq_as_dot, qq);
  return qq[0] >= cosine_min_sum && qq[0] <= FLT_MAX ? std::sqrt(double(qq[0])) : 0.0;
}

// |c| in double from a candidate's f32 sum of squares, or 0 when that sum is outside the trusted
// range (non-finite: a NaN/Inf element or squares past FLT_MAX; or below cosine_min_sum: zero, or
// lost to underflow). Computed once per candidate, so a batch pays one square root per candidate,
// not one per pair.
template <class Arch>
double trusted_candidate_norm(float cc) {
  return cc >= cosine_min_sum && cc <= FLT_MAX ? std::sqrt(double(cc)) : 0.0;
}

// One score from its f32 dot product and the norms. An untrusted candidate norm (0) or a
// non-finite dot sends that one candidate to the reference, which decides it in double. The
// quotient is finished in double exactly as the reference does, so exact sums (integer inputs)
// give the reference's bits.
template <class Arch, class C>
float finish_score(const float* q, double q_norm, const C* c, float dot, double c_norm,
                   size_t dim) {
  if (c_norm == 0 || !(dot >= -FLT_MAX && dot <= FLT_MAX)) {
    float score;
    ref::cosine_of(q, c, &score, dim, 1);
    return score;
  }
  const double s = double(dot) / (q_norm * c_norm);
  return float(s < -1 ? -1 : (s > 1 ? 1 : s));
}

// Scores B candidates against one trusted query.
template <class Arch, size_t B, class C>
void score_block(const float* q, double q_norm, const C* c, float* scores, size_t dim,
                 bool prefetch) {
  float dot[1][B], cc[B];
  block_sums<Arch, 1, B, true>(q, c, dim, head_of<Arch>(c), prefetch, dot, cc);
  for (size_t b = 0; b < B; ++b)
    scores[b] = finish_score<Arch>(q, q_norm, c + b * dim, dot[0][b],
                                   trusted_candidate_norm<Arch>(cc[b]), dim);
}

}  // namespace cosine_detail

/// scores[j] = cosine(query, candidates[j]) within cosine_error_bound(dim) of ek::ref::cosine,
/// and exactly +0 wherever the reference's special-value rules give +0. Candidates are floats, or
/// bfloat16 bits (uint16_t) or int8 widened exactly, against ek::ref::cosine_bf16 / cosine_i8.
template <class Arch, class C>
void cosine(const float* query, const C* candidates, float* scores, size_t dim, size_t count) {
  using namespace cosine_detail;
  const double q_norm = trusted_norm<Arch>(query, dim);
  if (q_norm == 0) {
    ref::cosine_of(query, candidates, scores, dim, count);
    return;
  }
  const bool prefetch = prefetch_for(active_prefetch_rule(), count * dim * sizeof(C));
  size_t j = 0;
  for (; j + cosine_block <= count; j += cosine_block) {
    score_block<Arch, cosine_block>(query, q_norm, candidates + j * dim, scores + j, dim, prefetch);
  }
  for (; j < count; ++j)
    score_block<Arch, 1>(query, q_norm, candidates + j * dim, scores + j, dim, false);
}

}  // namespace ek::kern
