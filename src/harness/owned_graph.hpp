// owned_graph.hpp — the one owner of an engram_graph* outside the library: freed with
// engram_graph_destroy when the handle goes, on every path out.
#pragma once

#include <memory>

#include "engram_kern.h"

namespace ek::harness {

struct graph_deleter {
  void operator()(engram_graph* g) const { engram_graph_destroy(g); }
};
using owned_graph = std::unique_ptr<engram_graph, graph_deleter>;

/// engram_graph_create into a handle: `out` owns the graph on ENGRAM_OK and is empty otherwise.
inline engram_status create_graph(size_t num_nodes, const uint64_t* row_offsets,
                                  const uint32_t* targets, const float* weights, size_t num_edges,
                                  owned_graph& out) {
  engram_graph* raw = nullptr;
  const engram_status s =
      engram_graph_create(num_nodes, row_offsets, targets, weights, num_edges, &raw);
  out.reset(raw);
  return s;
}

}  // namespace ek::harness
