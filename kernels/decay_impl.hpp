// PLACEHOLDER until the optimized decay lands: forwards to the reference.
#pragma once
#include "reference/decay.hpp"
namespace ek::kern {
template <class Arch>
void decay(float* s, const uint64_t* a, size_t n, const engram_decay_params& p) { ref::decay(s, a, n, p); }
}  // namespace ek::kern
