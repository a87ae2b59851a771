// topk.hpp — numerics of the optimized multi-query cosine and top-k kernels
// (kernels/topk_impl.hpp). Algorithm and proofs: docs/kernel-topk.md.
//
// The contract, checked by the per-ISA tests, verify and the fuzzer:
// - batch: every score is bit-identical to the same ISA's single-query cosine kernel called once
//   per query on the same candidates pointer, so it obeys that kernel's bound against
//   ek::ref::cosine (cosine_error_bound, kernels/cosine.hpp) and its special values (exactly +0
//   for an empty, zero or non-finite vector);
// - top-k: every score is bit-identical to the same ISA's batch score of that pair, and the
//   selection is exact on those scores under ek::ref::ranks_before (higher score first, ties to
//   the lower index, NaN below every number); slots past num_candidates hold UINT32_MAX and
//   -INFINITY.
#pragma once

#include <cstddef>

#include "kernels/cosine.hpp"

namespace ek::kern {

/// Queries scored together against each candidate tile: each candidate batch loaded feeds this
/// many FMA chains (the micro-kernel of kernels/topk_impl.hpp).
inline constexpr size_t batch_query_block = 6;

/// Candidate bytes per tile: the tile is read from memory once, by the first query block, and
/// from L2 by the others (256 KiB of a 512 KiB to 2 MiB L2, beside the queries).
inline constexpr size_t batch_tile_bytes = size_t{256} << 10;

/// The most candidates in one tile: bounds the stack buffers of the tile's norms and (top-k) its
/// scores; small dims reach it.
inline constexpr size_t batch_max_tile = 256;

/// Candidates per tile for rows of `dim` floats: a multiple of cosine_block (so the tile's
/// blocks are the single-query kernel's, and their scores its bits), at least one block.
constexpr size_t batch_tile(size_t dim) {
  const size_t fit = dim == 0 ? batch_max_tile : batch_tile_bytes / (dim * sizeof(float));
  const size_t capped = fit < batch_max_tile ? fit : batch_max_tile;
  const size_t blocks = capped / cosine_block;
  return (blocks == 0 ? 1 : blocks) * cosine_block;
}

}  // namespace ek::kern
