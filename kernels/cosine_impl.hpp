// PLACEHOLDER until the optimized cosine lands: forwards to the reference.
#pragma once
#include "reference/cosine.hpp"
namespace ek::kern {
template <class Arch>
void cosine(const float* q, const float* c, float* s, size_t dim, size_t n) { ref::cosine(q, c, s, dim, n); }
}  // namespace ek::kern
