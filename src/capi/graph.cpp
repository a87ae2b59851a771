// graph.cpp — engram_graph_create / destroy / size queries: the C handle around ek::graph,
// validated with ek::validate_csr, built (copied and transposed) with ek::build_graph, plus the
// optimized kernels' layouts (ek::kern::build_layouts), all once, at creation.
#include <memory>

#include "engram_kern.h"
#include "kernels/graph_layout.hpp"
#include "src/capi/graph_handle.hpp"
#include "src/capi/validate.hpp"

extern "C" engram_status engram_graph_create(size_t num_nodes, const uint64_t* row_offsets,
                                             const uint32_t* targets, const float* weights,
                                             size_t num_edges, engram_graph** out) {
  if (out == nullptr) return ENGRAM_ERR_NULL_POINTER;
  // The header promises *out == NULL on every error, so a caller never holds a stale handle.
  *out = nullptr;
  return ek::capi::guarded([&]() -> engram_status {
    const engram_status status =
        ek::validate_csr(num_nodes, row_offsets, targets, weights, num_edges);
    if (status != ENGRAM_OK) return status;
    auto handle = std::make_unique<engram_graph>(
        engram_graph{ek::kern::make_graph(num_nodes, row_offsets, targets, weights, num_edges)});
    *out = handle.release();
    return ENGRAM_OK;
  });
}

extern "C" void engram_graph_destroy(engram_graph* graph) { delete graph; }

extern "C" size_t engram_graph_num_nodes(const engram_graph* graph) {
  return graph != nullptr ? graph->g.num_nodes : 0;
}

extern "C" size_t engram_graph_num_edges(const engram_graph* graph) {
  return graph != nullptr ? graph->g.num_edges : 0;
}
