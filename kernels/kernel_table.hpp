// kernel_table.hpp — one table of kernel entry points per ISA. The C ABI validates arguments and
// then calls through the active table; every function here trusts its arguments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "engram_kern.h"
#include "kernels/cosine.hpp"
#include "kernels/spread.hpp"
#include "reference/graph.hpp"
#include "reference/topk.hpp"

namespace ek {

/// scores[j] = cosine(query, candidates[j]); see engram_vector_similarity.
using cosine_fn = void (*)(const float* query, const float* candidates, float* scores, size_t dim,
                           size_t count);
/// scores[i][j] = cosine(queries[i], candidates[j]); see engram_vector_similarity_batch.
using cosine_batch_fn = void (*)(const float* queries, size_t num_queries, const float* candidates,
                                 size_t num_candidates, size_t dim, float* scores);
/// For each query its k best candidates, best first; see engram_vector_topk. May throw
/// std::bad_alloc, but only before the first write to out_index or out_score.
using topk_fn = void (*)(const float* queries, size_t num_queries, const float* candidates,
                         size_t num_candidates, size_t dim, size_t k, uint32_t* out_index,
                         float* out_score);
/// In-place decay with validated, defaulted params; see engram_apply_decay.
using decay_fn = void (*)(float* strengths, const uint64_t* ages, size_t count,
                          const engram_decay_params& params);
/// In-place spreading with validated params and activations. May throw std::bad_alloc, but only
/// before the first write to activations.
using spread_fn = void (*)(const graph& g, float* activations, const engram_spread_params& params);

namespace kern {
/// The process's gather rule (kernels/dispatch.hpp), lock-free.
gather_rule active_gather_rule();
/// The process's prefetch rule for the cosine family (kernels/cosine.hpp), lock-free.
prefetch_rule active_prefetch_rule();
}  // namespace kern

struct kernel_table {
  using spread_fns = std::array<spread_fn, kern::gather_policy_count>;
  /// An ISA's table (make_kernel_table).
  kernel_table(const char* isa_name, size_t cosine_width, cosine_fn cosine_kernel,
               cosine_batch_fn cosine_batch_kernel, topk_fn topk_kernel, decay_fn decay_kernel,
               spread_fns spread_kernels)
      : isa(isa_name),
        cosine_lanes(cosine_width),
        cosine(cosine_kernel),
        cosine_batch(cosine_batch_kernel),
        topk(topk_kernel),
        decay(decay_kernel),
        spread_by_gather(spread_kernels) {}
  /// A table whose spreading does not depend on the gather policy (reference, test tables); its
  /// batch and top-k are the reference's unless given.
  kernel_table(const char* isa_name, cosine_fn cosine_kernel, decay_fn decay_kernel,
               spread_fn spread_kernel, cosine_batch_fn cosine_batch_kernel = &ref::cosine_batch,
               topk_fn topk_kernel = &ref::topk)
      : kernel_table(isa_name, 0, cosine_kernel, cosine_batch_kernel, topk_kernel, decay_kernel,
                     spread_fns{spread_kernel, spread_kernel}) {}

  const char* isa;  // "reference", or a name of kernels/isa/registry.def
  /// The f32 partial sums the cosine kernel keeps (its vector width in floats), which its error
  /// bound depends on (kernels/cosine.hpp); 0 for a table without an optimized cosine.
  size_t cosine_lanes;
  cosine_fn cosine;
  /// Scores bit-identical to `cosine` called once per query on the same candidates
  /// (kernels/topk.hpp), so they share its bound.
  cosine_batch_fn cosine_batch;
  /// Scores bit-identical to `cosine_batch` on the selected pairs; selection exact on them under
  /// ref::ranks_before.
  topk_fn topk;
  decay_fn decay;
  /// Spreading under each gather policy, indexed by kern::gather_policy: bit-identical results.
  spread_fns spread_by_gather;

  /// The spreading kernel the process's gather rule picks for a graph of this size, as it is now.
  spread_fn spread_for(uint32_t num_nodes) const {
    return spread_by_gather[static_cast<size_t>(
        kern::gather_for(kern::active_gather_rule(), num_nodes))];
  }
  void spread(const graph& g, float* activations, const engram_spread_params& params) const {
    spread_for(g.num_nodes)(g, activations, params);
  }
};

namespace kern {
// Declared, not included (kernels/isa.hpp): a registry change then recompiles only the files that
// read the registry, not every user of the kernel table.
enum class isa_id : uint8_t;

/// Built in kernels/isa/<isa>.cpp by explicit instantiation (kernel_table_impl.hpp).
template <isa_id Isa>
kernel_table make_kernel_table();
}  // namespace kern

}  // namespace ek
