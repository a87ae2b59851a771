// spread.cpp — engram_spread_activation and its defaults: validates the graph handle, the
// parameters and the input activations, then runs the active ISA's spreading kernel in place.
#include <cmath>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"
#include "src/capi/graph_handle.hpp"
#include "src/capi/validate.hpp"

namespace {

bool params_in_range(const engram_spread_params& p) {
  // threshold is checked in dense mode too, where it is unused: a garbage value is a caller bug
  // whichever mode it is passed with. Each test is written so that NaN fails it.
  return (p.mode == ENGRAM_SPREAD_FRONTIER || p.mode == ENGRAM_SPREAD_DENSE) && p.hop_decay > 0 &&
         p.hop_decay <= 1 && std::isfinite(p.threshold) && p.threshold >= 0;
}

}  // namespace

extern "C" engram_spread_params engram_spread_params_default(void) {
  return {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, 3, 0.5f, 0.01f};
}

extern "C" engram_status engram_spread_activation(const engram_graph* graph, float* activations,
                                                  const engram_spread_params* params) {
  return ek::capi::guarded([&] {
    if (graph == nullptr) return ENGRAM_ERR_NULL_POINTER;
    const size_t n = graph->g.num_nodes;
    if (activations == nullptr && n != 0) return ENGRAM_ERR_NULL_POINTER;
    // Sizes cannot overflow (n <= UINT32_MAX) and the graph's arrays are the library's own
    // copies, which a caller's activations cannot legitimately overlap.
    if (params != nullptr && params->struct_size < sizeof(engram_spread_params))
      return ENGRAM_ERR_INVALID_PARAM;
    const engram_spread_params p = params != nullptr ? *params : engram_spread_params_default();
    if (!params_in_range(p)) return ENGRAM_ERR_INVALID_PARAM;
    for (size_t v = 0; v < n; ++v)
      if (!(activations[v] >= 0 && activations[v] <= 1)) return ENGRAM_ERR_INVALID_INPUT;
    // The kernel throws std::bad_alloc, if at all, before its first write to activations.
    ek::kern::active().spread(graph->g, activations, p);
    return ENGRAM_OK;
  });
}
