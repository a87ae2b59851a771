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

/// The in-CSR as a sliced ELLPACK for the optimized kernels' pull loops (vectorized across
/// target nodes): built by ek::kern::build_layouts (kernels/graph_layout.hpp), empty until then.
struct sliced_ell {
  static constexpr uint32_t height = 16;  // slots per slice: a multiple of every vector width
  std::vector<uint64_t> slice_offsets;    // num_slices + 1, in elements (width * height each)
  std::vector<int32_t> node;              // per slot: its node; padding slots: num_nodes
  std::vector<int32_t> source;            // [offset + k * height + lane]: the lane's k-th in-edge
  std::vector<float> weight;              // padding entries: source num_nodes, weight 0
};

struct graph {
  uint32_t num_nodes = 0;
  uint64_t num_edges = 0;
  csr out;  // as given: the push order and the definition of "CSR edge order"
  csr in;   // in-edges of each node, ascending source, CSR order for equal sources (canonical)
  sliced_ell in_sell;  // kernel layout of `in` (may be empty)
};

/// Checks every CSR rule of engram_graph_create (see engram_kern.h) without touching memory
/// beyond the arrays' stated sizes. Returns ENGRAM_OK or the status naming the first failure.
engram_status validate_csr(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                           const float* weights, size_t num_edges);

/// Copies a validated CSR and builds the transposed one. Throws std::bad_alloc.
graph build_graph(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                  const float* weights, size_t num_edges);

}  // namespace ek
