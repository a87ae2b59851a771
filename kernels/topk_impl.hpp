// topk_impl.hpp — the optimized multi-query cosine and fused top-k, written once over an xsimd
// Arch and instantiated per ISA in kernels/isa/<isa>.cpp. Contract: kernels/topk.hpp; algorithm:
// docs/kernel-topk.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "kernels/arena.hpp"
#include "kernels/cosine.hpp"
#include "kernels/cosine_impl.hpp"
#include "kernels/topk.hpp"
#include "kernels/topk_selection.hpp"
#include "reference/cosine.hpp"

namespace ek::kern {

namespace topk_detail {

using cosine_detail::block_sums;
using cosine_detail::fbatch;
using cosine_detail::finish_score;
using cosine_detail::head_of;
using cosine_detail::trusted_candidate_norm;

// Candidates per micro-kernel call for a block of Q queries: the Q·B dot accumulators, B norm
// accumulators and B candidate batches fit 16 vector registers (sse4_2 and avx2 have 16).
template <size_t Q>
inline constexpr size_t candidates_per_call = Q <= 2 ? 4 : 2;

// Scores one tile of candidates [c, c + len·dim) against Q consecutive queries into
// out[i·stride + j]. The tile starts a cosine_block of the whole call (a multiple of
// cosine_block from the first candidate), so every block of cosine_block candidates here is one
// of cosine<Arch>'s and shares its first row's head: the sums, and so the scores, are that
// kernel's bits. With norms, the candidates' sums of squares are computed in the same pass and
// their norms kept in tile_norm; without, tile_norm holds them from an earlier query block of the
// same tile (a square root per candidate, not per pair: the divider is the scarce unit).
template <class Arch, size_t Q, class C>
void score_tile(const float* q, const double* q_norm, const C* c, size_t len, size_t dim,
                bool with_norms, bool prefetch, double* tile_norm, float* out, size_t stride) {
  constexpr size_t B = candidates_per_call<Q>;
  static_assert(cosine_block % B == 0);
  auto run = [&](size_t j, size_t h, auto b_const) {
    constexpr size_t nb = decltype(b_const)::value;
    float dot[Q][nb], cc[nb];
    const C* row = c + j * dim;
    if (with_norms) {
      block_sums<Arch, Q, nb, true>(q, row, dim, h, prefetch, dot, cc);
      for (size_t b = 0; b < nb; ++b) tile_norm[j + b] = trusted_candidate_norm<Arch>(cc[b]);
    } else {
      block_sums<Arch, Q, nb, false>(q, row, dim, h, false, dot, cc);
    }
    for (size_t i = 0; i < Q; ++i) {
      if (q_norm[i] == 0) continue;  // the reference scores this query's row below
      for (size_t b = 0; b < nb; ++b)
        out[i * stride + j + b] = finish_score<Arch>(q + i * dim, q_norm[i], row + b * dim,
                                                     dot[i][b], tile_norm[j + b], dim);
    }
  };
  size_t j = 0;
  for (; j + cosine_block <= len; j += cosine_block) {
    const size_t h = head_of<Arch>(c + j * dim);
    for (size_t b = 0; b < cosine_block; b += B) run(j + b, h, std::integral_constant<size_t, B>{});
  }
  // The call's last candidates after its whole blocks: each its own head, as in cosine<Arch>.
  for (; j < len; ++j) run(j, head_of<Arch>(c + j * dim), std::integral_constant<size_t, 1>{});
  for (size_t i = 0; i < Q; ++i)
    if (q_norm[i] == 0) ref::cosine_of(q + i * dim, c, out + i * stride, dim, len);
}

// The queries as the scan reads them: a copy in the thread arena placed so that the query loads
// are aligned wherever the candidate loads are (after the candidates' head), when every candidate
// row has the same head (dim a multiple of the width). Each query row is loaded for every pair of
// candidates; a load that splits a cache line costs two. The values, and so the sums, are the
// same. Without memory for the copy the scan reads the caller's rows.
template <class Arch, class C>
const float* queries_aligned_like(arena_scope& scope, const float* queries, size_t num_queries,
                                  const C* candidates, size_t dim) {
  constexpr size_t width_bytes = fbatch<Arch>::size * sizeof(float);
  // Query element h (the candidates' head) must start a vector: the row at -h floats.
  const uintptr_t offset = (width_bytes - head_of<Arch>(candidates) * sizeof(float)) % width_bytes;
  if (num_queries == 0 || dim % fbatch<Arch>::size != 0 ||
      reinterpret_cast<uintptr_t>(queries) % width_bytes == offset)
    return queries;
  const size_t bytes = num_queries * dim * sizeof(float);  // the C ABI checked the product
  try {
    auto* copy = static_cast<unsigned char*>(scope.take(bytes + width_bytes, 1)) + offset;
    std::memcpy(copy, queries, bytes);
    return reinterpret_cast<const float*>(copy);
  } catch (const std::bad_alloc&) {
    return queries;
  }
}

// The scan both kernels share: candidate tiles outer (each read from memory once for all
// queries), blocks of batch_query_block queries inner (the tile stays in L2, the query block in
// L1). sink(i0, nq, t0, len, rows, stride) receives each block's scores after they are written to
// rows(i0, t0), a pointer with a row stride.
template <class Arch, class C, class Rows, class Sink>
void scan(const float* caller_queries, size_t num_queries, const C* candidates,
          size_t num_candidates, size_t dim, Rows&& rows, Sink&& sink) {
  arena_scope scope;
  const float* queries =
      queries_aligned_like<Arch>(scope, caller_queries, num_queries, candidates, dim);
  const size_t tile = batch_tile(dim);
  // Only the first query block of a tile reads it from memory; the later ones find it in L2.
  const bool prefetch = prefetch_for(active_prefetch_rule(), num_candidates * dim * sizeof(C));
  alignas(64) double tile_norm[batch_max_tile];
  for (size_t t0 = 0; t0 < num_candidates; t0 += tile) {
    const size_t len = num_candidates - t0 < tile ? num_candidates - t0 : tile;
    const C* c = candidates + t0 * dim;
    for (size_t i0 = 0; i0 < num_queries; i0 += batch_query_block) {
      const size_t nq = num_queries - i0 < batch_query_block ? num_queries - i0 : batch_query_block;
      const float* q = queries + i0 * dim;
      double q_norm[batch_query_block];
      // From the caller's rows: the norm's head follows the query's own address.
      for (size_t i = 0; i < nq; ++i)
        q_norm[i] = cosine_detail::trusted_norm<Arch>(caller_queries + (i0 + i) * dim, dim);
      // Plain locals, not a structured binding: clang 14 (the fuzz preset) cannot capture a
      // binding in the lambda below.
      const auto row = rows(i0, t0);
      float* const out = row.out;
      const size_t stride = row.stride;
      const bool with_norms = i0 == 0;
      [&]<size_t... Q>(std::index_sequence<Q...>) {
        // One instantiation per block size 1 ... batch_query_block (the last block's remainder).
        ((nq == Q + 1 ? score_tile<Arch, Q + 1>(q, q_norm, c, len, dim, with_norms,
                                                with_norms && prefetch, tile_norm, out, stride)
                      : void()),
         ...);
      }
      (std::make_index_sequence<batch_query_block>{});
      sink(i0, nq, t0, len, out, stride);
    }
  }
}

}  // namespace topk_detail

/// scores[i][j] = cosine<Arch>(queries[i], candidates[j]), bit for bit (kernels/topk.hpp).
template <class Arch, class C>
void cosine_batch(const float* queries, size_t num_queries, const C* candidates,
                  size_t num_candidates, size_t dim, float* scores) {
  struct row_span {
    float* out;
    size_t stride;
  };
  topk_detail::scan<Arch>(
      queries, num_queries, candidates, num_candidates, dim,
      [&](size_t i0, size_t t0) {
        return row_span{scores + i0 * num_candidates + t0, num_candidates};
      },
      [](size_t, size_t, size_t, size_t, const float*, size_t) {});
}

/// Per query the k best candidates of cosine_batch<Arch>'s scores (kernels/topk.hpp), selected
/// as each tile is scored: the scores of one tile for one query block are all that is held.
/// Candidates of type C as in cosine<Arch, C>.
template <class Arch, class C>
void topk(const float* queries, size_t num_queries, const C* candidates, size_t num_candidates,
          size_t dim, size_t k, uint32_t* out_index, float* out_score) {
  if (k == 0) return;
  using vec = topk_detail::fbatch<Arch>;
  const size_t capacity = k < num_candidates ? k : num_candidates;
  alignas(64) float tile_scores[batch_query_block * batch_max_tile];
  struct row_span {
    float* out;
    size_t stride;
  };
  topk_detail::scan<Arch>(
      queries, num_queries, candidates, num_candidates, dim,
      [&](size_t, size_t) {
        return row_span{tile_scores, batch_max_tile};
      },
      [&](size_t i0, size_t nq, size_t t0, size_t len, const float* rows, size_t stride) {
        for (size_t i = 0; i < nq; ++i) {
          // Every candidate before t0 was offered, and each entered while the heap had room.
          topk_detail::selection<Arch> best(out_index + (i0 + i) * k, out_score + (i0 + i) * k,
                                            capacity, t0 < capacity ? t0 : capacity);
          const float* s = rows + i * stride;
          const auto offer = [&](size_t j) { best.offer(s[j], static_cast<uint32_t>(t0 + j)); };
          size_t j = 0;
          for (; j < len && !best.full(); ++j) offer(j);
          // A newcomer's index is above every kept one, so it enters a full heap iff its score
          // is above the root's when that is a number (ties keep the lower index, NaN ranks
          // last): a vector of scores none of which is above it is skipped with one compare.
          for (; j + vec::size <= len; j += vec::size) {
            const float worst = best.worst_score();
            if (worst == worst && !xsimd::any(vec::load_unaligned(s + j) > vec(worst))) continue;
            for (size_t l = 0; l < vec::size; ++l) offer(j + l);
          }
          for (; j < len; ++j) offer(j);
          if (t0 + len == num_candidates) best.finish(k);
        }
      });
  // No candidate: nothing was scanned, every slot is padding.
  if (num_candidates == 0)
    for (size_t i = 0; i < num_queries; ++i)
      topk_detail::selection<Arch>(out_index + i * k, out_score + i * k, 0, 0).finish(k);
}

}  // namespace ek::kern
