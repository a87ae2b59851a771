// graph_layout.hpp — builds the kernel layouts of an ek::graph once, at graph creation: the
// sliced ELLPACK of the in-edges (ek::sliced_ell, SELL-C-sigma) that the pull loops vectorize.
#pragma once

#include <cstddef>
#include <cstdint>

#include "reference/graph.hpp"

namespace ek::kern {

/// Nodes are sorted by in-degree (descending, stable) within windows of this many nodes before
/// they are cut into slices, so the nodes of one slice have similar degrees and little padding;
/// a window of 4096 nodes keeps the slot -> node permutation within 16 KiB of activations.
inline constexpr uint32_t sell_sort_window = 4096;

/// Fills g.in_sell from g.in. Each lane of a slice walks its node's in-edges in canonical order
/// (the in-CSR's), so a pull that adds lane by lane sums in that order. Padding entries point at
/// source num_nodes with weight 0: kernels keep one extra, always +0, element at index num_nodes
/// of the arrays they gather from. Leaves g.in_sell empty when num_nodes is 0 or does not fit an
/// int32 gather index (>= 2^31 - 1); kernels then take their scalar paths. Throws std::bad_alloc.
void build_layouts(graph& g);

/// The graph every kernel table runs at full speed: ek::build_graph (the CSR copies and the
/// in-CSR) plus build_layouts. What engram_graph_create builds; verify, bench and the recall
/// scenario use it too, so they time and check the paths production takes. The CSR must be
/// valid (ek::validate_csr). Throws std::bad_alloc.
graph make_graph(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                 const float* weights, size_t num_edges);

}  // namespace ek::kern
