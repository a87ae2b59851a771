// graph.hpp — the validated, owned graph behind engram_graph: CSR of out-edges plus the
// transposed CSR (in-edges stably sorted by source), both built once by build_graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engram_kern.h"

namespace ek {

/// Compressed sparse rows: the edges of row r are [offsets[r], offsets[r + 1]).
struct csr {
  std::vector<uint64_t> offsets;  // num_nodes + 1 entries
  std::vector<uint32_t> index;    // out-CSR: targets; in-CSR: sources
  std::vector<float> weights;
};

struct graph {
  uint32_t num_nodes = 0;
  uint64_t num_edges = 0;
  csr out;  // as given: the push order and the definition of "CSR edge order"
  csr in;   // in-edges of each node, ascending source, CSR order for equal sources (canonical)
};

/// Checks every CSR rule of engram_graph_create (see engram_kern.h) without touching memory
/// beyond the arrays' stated sizes. Returns ENGRAM_OK or the status naming the first failure.
engram_status validate_csr(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                           const float* weights, size_t num_edges);

/// Copies a validated CSR and builds the transposed one. Throws std::bad_alloc.
graph build_graph(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                  const float* weights, size_t num_edges);

}  // namespace ek
