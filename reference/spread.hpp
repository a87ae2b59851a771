// spread.hpp — the reference spreading activation (frontier and dense modes), summing every
// node's contributions in the canonical order: f32, from +0, ascending source, CSR order.
#pragma once

#include "engram_kern.h"
#include "reference/graph.hpp"

namespace ek::ref {

/// Params and activations are validated (finite, in [0, 1]). See docs/kernels.md for the
/// pseudo-code and for what happens when extreme weights overflow to ±Inf or NaN.
void spread(const graph& g, float* activations, const engram_spread_params& params);

}  // namespace ek::ref
