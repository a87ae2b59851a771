// graph_layout.cpp — the SELL-C-sigma layout of the in-edges (see graph_layout.hpp). Built with
// baseline flags: it is plain data movement, done once per graph.
#include "kernels/graph_layout.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace ek::kern {

void build_layouts(graph& g) {
  g.in_sell = sliced_ell{};
  const uint32_t n = g.num_nodes;
  if (n == 0 || n >= uint32_t{INT32_MAX}) return;
  constexpr uint32_t h = sliced_ell::height;
  static_assert(sell_sort_window % h == 0, "a slice must not straddle two sort windows");
  const uint64_t* in_offsets = g.in.offsets.data();
  auto degree = [&](uint32_t v) { return in_offsets[v + 1] - in_offsets[v]; };

  sliced_ell sell;
  const size_t slices = (size_t{n} + h - 1) / h;
  sell.node.assign(slices * h, static_cast<int32_t>(n));
  for (uint32_t start = 0; start < n; start += std::min(sell_sort_window, n - start)) {
    const uint32_t end = start + std::min(sell_sort_window, n - start);
    std::iota(sell.node.begin() + start, sell.node.begin() + end, static_cast<int32_t>(start));
    std::stable_sort(sell.node.begin() + start, sell.node.begin() + end,
                     [&](int32_t a, int32_t b) { return degree(a) > degree(b); });
  }

  sell.slice_offsets.assign(slices + 1, 0);
  for (size_t s = 0; s < slices; ++s) {
    uint64_t width = 0;
    for (uint32_t lane = 0; lane < h; ++lane) {
      const auto v = static_cast<uint32_t>(sell.node[s * h + lane]);
      if (v < n) width = std::max(width, degree(v));
    }
    sell.slice_offsets[s + 1] = sell.slice_offsets[s] + width * h;
  }

  sell.source.assign(sell.slice_offsets[slices], static_cast<int32_t>(n));
  sell.weight.assign(sell.slice_offsets[slices], 0.0f);
  for (size_t s = 0; s < slices; ++s) {
    for (uint32_t lane = 0; lane < h; ++lane) {
      const auto v = static_cast<uint32_t>(sell.node[s * h + lane]);
      if (v >= n) continue;
      for (uint64_t k = 0; k < degree(v); ++k) {
        const uint64_t at = sell.slice_offsets[s] + k * h + lane;
        sell.source[at] = static_cast<int32_t>(g.in.index[in_offsets[v] + k]);
        sell.weight[at] = g.in.weights[in_offsets[v] + k];
      }
    }
  }
  g.in_sell = std::move(sell);
}

graph make_graph(size_t num_nodes, const uint64_t* row_offsets, const uint32_t* targets,
                 const float* weights, size_t num_edges) {
  graph g = build_graph(num_nodes, row_offsets, targets, weights, num_edges);
  build_layouts(g);
  return g;
}

}  // namespace ek::kern
