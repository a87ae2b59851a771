// kernel_table.hpp — one table of kernel entry points per ISA. The C ABI validates arguments and
// then calls through the active table; every function here trusts its arguments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "engram_kern.h"
#include "kernels/cosine.hpp"
#include "kernels/lowp.hpp"
#include "kernels/spread.hpp"
#include "reference/cosine.hpp"
#include "reference/graph.hpp"
#include "reference/lowp.hpp"
#include "reference/topk.hpp"

namespace ek {

/// scores[j] = cosine(query, candidates[j]) for candidates stored as C (float; uint16_t holding
/// bfloat16; int8_t); see engram_vector_similarity and its _bf16 and _i8 forms.
template <class C>
using cosine_of_fn = void (*)(const float* query, const C* candidates, float* scores, size_t dim,
                              size_t count);
using cosine_fn = cosine_of_fn<float>;
/// scores[i][j] = cosine(queries[i], candidates[j]); see engram_vector_similarity_batch.
using cosine_batch_fn = void (*)(const float* queries, size_t num_queries, const float* candidates,
                                 size_t num_candidates, size_t dim, float* scores);
/// For each query its k best candidates, best first; see engram_vector_topk (and its _bf16 and
/// _i8 forms for C = uint16_t, int8_t). May throw std::bad_alloc, but only before the first write
/// to out_index or out_score.
template <class C>
using topk_of_fn = void (*)(const float* queries, size_t num_queries, const C* candidates,
                            size_t num_candidates, size_t dim, size_t k, uint32_t* out_index,
                            float* out_score);
using topk_fn = topk_of_fn<float>;
/// out[i] = bfloat16 of in[i]; see engram_convert_f32_to_bf16.
using convert_bf16_fn = void (*)(const float* in, uint16_t* out, size_t count);
/// Per-row int8 quantization; false (nothing written) on a non-finite element; see
/// engram_quantize_i8. May throw std::bad_alloc, before writing anything.
using quantize_i8_fn = bool (*)(const float* rows, size_t dim, size_t num_rows, int8_t* out,
                                float* row_scales);

/// The kernels over compact candidates (bfloat16, int8) and the conversions to them: an ISA's
/// optimized ones, or (the default) the reference's.
struct lowp_kernels {
  cosine_of_fn<uint16_t> cosine_bf16 = &ref::cosine_bf16;
  cosine_of_fn<int8_t> cosine_i8 = &ref::cosine_i8;
  topk_of_fn<uint16_t> topk_bf16 = &ref::topk_bf16;
  topk_of_fn<int8_t> topk_i8 = &ref::topk_i8;
  convert_bf16_fn convert_bf16 = &ref::convert_to_bf16;
  quantize_i8_fn quantize_i8 = &ref::quantize_i8;

  /// The similarity and top-k of candidates stored as C (uint16_t: bfloat16, or int8_t), for code
  /// written once over C.
  template <class C>
  cosine_of_fn<C> cosine_of() const {
    if constexpr (std::is_same_v<C, uint16_t>)
      return cosine_bf16;
    else
      return cosine_i8;
  }
  template <class C>
  topk_of_fn<C> topk_of() const {
    if constexpr (std::is_same_v<C, uint16_t>)
      return topk_bf16;
    else
      return topk_i8;
  }
};
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
/// The process's quotient rule for the int8 quantization (kernels/lowp.hpp), lock-free.
quotient_rule active_quotient_rule();
}  // namespace kern

struct kernel_table {
  using spread_fns = std::array<spread_fn, kern::gather_policy_count>;
  /// An ISA's table (make_kernel_table).
  constexpr kernel_table(const char* isa_name, size_t cosine_width, cosine_fn cosine_kernel,
                         cosine_batch_fn cosine_batch_kernel, topk_fn topk_kernel,
                         decay_fn decay_kernel, spread_fns spread_kernels,
                         lowp_kernels lowp_kernels = {})
      : isa(isa_name),
        cosine_lanes(cosine_width),
        cosine(cosine_kernel),
        cosine_batch(cosine_batch_kernel),
        topk(topk_kernel),
        decay(decay_kernel),
        spread_by_gather(spread_kernels),
        lowp(lowp_kernels) {}
  /// A table whose spreading does not depend on the gather policy (reference, test tables); its
  /// batch, top-k and compact-candidate kernels are the reference's unless given.
  constexpr kernel_table(const char* isa_name, cosine_fn cosine_kernel, decay_fn decay_kernel,
                         spread_fn spread_kernel,
                         cosine_batch_fn cosine_batch_kernel = &ref::cosine_batch,
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
  /// bfloat16 and int8 candidates: the same contract and bound as cosine / topk on the widened
  /// values (kernels/lowp.hpp); the conversions give the reference's bits.
  lowp_kernels lowp;

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

/// The table of registry entry Isa, defined in kernels/kernel_table_impl.hpp and instantiated in
/// kernels/isa/<isa>.cpp. Constant-initialized: its entries are link-time addresses, so building
/// the list of tables (kernels/dispatch.cpp, baseline flags) runs no instruction of an ISA object,
/// which a CPU without that ISA could not execute.
template <isa_id Isa>
struct isa_kernels {
  static const kernel_table table;
};

}  // namespace kern
}  // namespace ek
