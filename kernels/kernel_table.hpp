// kernel_table.hpp — one table of kernel entry points per ISA. The C ABI validates arguments and
// then calls through the active table; every function here trusts its arguments.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engram_kern.h"
#include "reference/graph.hpp"

namespace ek {

/// scores[j] = cosine(query, candidates[j]); see engram_vector_similarity.
using cosine_fn = void (*)(const float* query, const float* candidates, float* scores, size_t dim,
                           size_t count);
/// In-place decay with validated, defaulted params; see engram_apply_decay.
using decay_fn = void (*)(float* strengths, const uint64_t* ages, size_t count,
                          const engram_decay_params& params);
/// In-place spreading with validated params and activations. May throw std::bad_alloc, but only
/// before the first write to activations.
using spread_fn = void (*)(const graph& g, float* activations, const engram_spread_params& params);

struct kernel_table {
  const char* isa;  // "reference", "sse4_2", "avx2", "avx512", "neon"
  cosine_fn cosine;
  decay_fn decay;
  spread_fn spread;
};

namespace kern {
/// Built in kernels/isa/<isa>.cpp by explicit instantiation (kernel_table_impl.hpp).
template <class Arch>
kernel_table make_kernel_table();
}  // namespace kern

}  // namespace ek
