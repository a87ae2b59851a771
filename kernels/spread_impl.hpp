// PLACEHOLDER until the optimized spreading lands: forwards to the reference.
#pragma once
#include "reference/spread.hpp"
namespace ek::kern {
template <class Arch>
void spread(const graph& g, float* a, const engram_spread_params& p) { ref::spread(g, a, p); }
}  // namespace ek::kern
