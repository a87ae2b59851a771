// cases.hpp — what verify runs: per kernel, a seeded sweep of cases over every generator family,
// sizes around the vector widths (0–67, 768, 1536, a few large ones), start offsets of 0–15
// floats and every parameter variant (for batch and top-k also query counts around the query
// block, candidate counts past one tile, and k from 0 to past the candidates; the bf16 and int8
// kinds the same over 0–67, 768 and 1536, start offsets of 0–15 elements); case i of a sweep
// depends only on (kernel, seed, i).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "src/harness/generators.hpp"
#include "src/harness/workload_file.hpp"

namespace ek::verify {

using harness::kernel_kind;  // names and parsing: src/harness/workload_file.hpp
inline constexpr kernel_kind all_kernels[] = {
    kernel_kind::cosine,    kernel_kind::decay,     kernel_kind::spread,
    kernel_kind::batch,     kernel_kind::topk,      kernel_kind::cosine_bf16,
    kernel_kind::cosine_i8, kernel_kind::topk_bf16, kernel_kind::topk_i8};

/// One input of one kernel. Only the workload of `kernel` is used. The decay workload's
/// params.tau_per_memory is always null: whoever runs a case points it at the per-memory τ it
/// runs with (the workload's own through call_params(), or a guarded copy).
struct test_case {
  kernel_kind kernel = kernel_kind::cosine;
  std::string family;   // the generator family and variant, for reports ("gaussian", ...)
  uint64_t seed = 0;    // the generator seed of this case
  uint32_t offset = 0;  // start offset of the misaligned placement, 0–15 elements of each buffer
                        // (floats for the wider types: a u64 array stays 8-byte aligned)
  harness::cosine_workload cosine;
  harness::decay_workload decay;
  harness::graph_workload spread;
  harness::cosine_batch_workload batch;  // batch and topk (topk also reads its k)
  harness::compact_workload compact;     // cosine_bf16, cosine_i8 (one query), topk_bf16, topk_i8

  /// "cosine gaussian dim=5 count=3 offset=2", "spread dense uniform nodes=9 edges=30 steps=2",
  /// "topk zero+duplicates dim=3 queries=7 count=9 k=2 offset=0", "cosine_i8 zero dim=4 count=2
  /// offset=9", …
  std::string summary() const;
};

/// The sizes a sweep cycles through (dimension, memories or nodes): 0–67, 768, 1536 and two
/// large ones per kernel.
std::span<const size_t> swept_sizes(kernel_kind k);

/// Case `index` of the sweep of `kernel` under `seed`. Every (size, variant) pair comes up within
/// one run of swept_sizes().size() × variants cases, and every variant within the first few dozen.
test_case make_case(kernel_kind kernel, uint64_t seed, uint64_t index);

}  // namespace ek::verify
