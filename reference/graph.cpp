// graph.cpp — validation of caller CSR arrays and construction of the owned graph: a copy of the
// out-CSR plus its transpose, whose in-edges are stably sorted by source (the canonical order).
#include "reference/graph.hpp"

#include <cmath>
#include <cstdint>

namespace ek {

engram_status validate_csr(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                           const float* weights, size_t num_edges) {
  // row_offsets always has num_nodes + 1 entries, so it is required even for an empty graph.
  if (row_offsets == nullptr) return ENGRAM_ERR_NULL_POINTER;
  if (num_edges != 0 && (targets == nullptr || weights == nullptr)) return ENGRAM_ERR_NULL_POINTER;
  // Node ids are u32. With num_nodes bounded, (num_nodes + 1) * 8 cannot overflow; num_edges is
  // bounded by the largest object the address space can hold.
  if (num_nodes > UINT32_MAX || num_edges > PTRDIFF_MAX / sizeof(uint32_t))
    return ENGRAM_ERR_SIZE_OVERFLOW;

  // Offsets first: once they are known to run from 0 to num_edges without decreasing, every row
  // lies inside targets[0, num_edges) and weights[0, num_edges).
  if (row_offsets[0] != 0) return ENGRAM_ERR_INVALID_GRAPH;
  for (size_t r = 0; r < num_nodes; ++r)
    if (row_offsets[r + 1] < row_offsets[r]) return ENGRAM_ERR_INVALID_GRAPH;
  if (row_offsets[num_nodes] != num_edges) return ENGRAM_ERR_INVALID_GRAPH;
  for (size_t e = 0; e < num_edges; ++e)
    if (targets[e] >= num_nodes || !std::isfinite(weights[e])) return ENGRAM_ERR_INVALID_GRAPH;
  return ENGRAM_OK;
}

graph build_graph(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                  const float* weights, size_t num_edges) {
  graph g;
  g.num_nodes = static_cast<uint32_t>(num_nodes);
  g.num_edges = num_edges;
  g.out.offsets.assign(row_offsets, row_offsets + num_nodes + 1);
  g.out.index.assign(targets, targets + num_edges);
  g.out.weights.assign(weights, weights + num_edges);

  // Counting sort by target. Walking the sources in ascending order, each row in CSR order,
  // appends to every target's bucket in exactly the canonical order: the sort is stable.
  csr& in = g.in;
  in.offsets.assign(num_nodes + 1, 0);
  in.index.resize(num_edges);
  in.weights.resize(num_edges);
  for (size_t e = 0; e < num_edges; ++e) ++in.offsets[targets[e] + 1];
  for (size_t v = 0; v < num_nodes; ++v) in.offsets[v + 1] += in.offsets[v];
  std::vector<uint64_t> cursor(in.offsets.begin(), in.offsets.end() - 1);
  for (size_t u = 0; u < num_nodes; ++u) {
    for (uint64_t e = row_offsets[u]; e < row_offsets[u + 1]; ++e) {
      const uint64_t slot = cursor[targets[e]]++;
      in.index[slot] = static_cast<uint32_t>(u);
      in.weights[slot] = weights[e];
    }
  }
  return g;
}

}  // namespace ek
