// spread.cpp — the reference spreading activation: a push over the out-CSR, sources in ascending
// id and each row in CSR order, which adds every node's contributions in the canonical order.
#include "reference/spread.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace ek::ref {

namespace {

// NaN -> +0, -Inf -> +0, -0 -> +0, +Inf -> 1: written with comparisons that fail on NaN, because
// std::clamp (and vector min/max) would pass a NaN through.
float clamp01(float x) { return x > 0.0f ? (x < 1.0f ? x : 1.0f) : 0.0f; }

void spread_frontier(const graph& g, float* a, const engram_spread_params& p) {
  const size_t n = g.num_nodes;
  // All scratch is allocated before the first write to a, so std::bad_alloc leaves it untouched.
  std::vector<float> delta(n), next(n);
  std::vector<char> contributed(n);
  std::vector<uint32_t> frontier;
  frontier.reserve(n);
  for (uint32_t u = 0; u < n; ++u) {
    if (a[u] > p.threshold) {
      frontier.push_back(u);
      delta[u] = a[u];
    }
  }
  for (uint32_t hop = 0; hop < p.steps && !frontier.empty(); ++hop) {
    std::fill(next.begin(), next.end(), 0.0f);
    std::fill(contributed.begin(), contributed.end(), 0);
    for (const uint32_t u : frontier) {
      for (uint64_t e = g.out.offsets[u]; e < g.out.offsets[u + 1]; ++e) {
        const uint32_t v = g.out.index[e];
        next[v] = next[v] + (delta[u] * g.out.weights[e]) * p.hop_decay;
        contributed[v] = 1;
      }
    }
    // Scanning v upwards rebuilds the frontier in ascending id, as the next hop needs it.
    frontier.clear();
    for (uint32_t v = 0; v < n; ++v) {
      if (!contributed[v]) continue;
      a[v] = clamp01(a[v] + next[v]);
      if (next[v] > p.threshold) {  // NaN fails, +Inf passes
        frontier.push_back(v);
        delta[v] = next[v];
      }
    }
  }
}

void spread_dense(const graph& g, float* a, const engram_spread_params& p) {
  const size_t n = g.num_nodes;
  std::vector<float> sum(n), updated(n);
  for (uint32_t it = 0; it < p.steps; ++it) {
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (uint32_t u = 0; u < n; ++u)
      for (uint64_t e = g.out.offsets[u]; e < g.out.offsets[u + 1]; ++e)
        sum[g.out.index[e]] = sum[g.out.index[e]] + g.out.weights[e] * a[u];
    // The maximum starts at -Inf and takes x only when x > max, so a NaN never wins.
    float max = -std::numeric_limits<float>::infinity();
    for (size_t v = 0; v < n; ++v) {
      updated[v] = a[v] + p.hop_decay * sum[v];
      if (updated[v] > max) max = updated[v];
    }
    // A true division, not a multiplication by 1 / max: the optimized kernel must match it bit
    // for bit, and the two differ in the last place.
    if (max > 1.0f)
      for (size_t v = 0; v < n; ++v) updated[v] = updated[v] / max;
    std::copy(updated.begin(), updated.end(), a);
  }
}

}  // namespace

void spread(const graph& g, float* activations, const engram_spread_params& params) {
  if (params.mode == ENGRAM_SPREAD_DENSE)
    spread_dense(g, activations, params);
  else
    spread_frontier(g, activations, params);
}

}  // namespace ek::ref
