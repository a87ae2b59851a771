// cosine.hpp — the reference batch cosine similarity: the definition of every score.
#pragma once

#include <cstddef>

namespace ek::ref {

/// scores[j] = clamp(dot(q, c_j) / (|q| |c_j|), -1, 1), accumulated in double in index order.
/// A vector that is empty, all ±0, or holds a NaN or ±Inf has no direction: its score is 0 (for a
/// bad query, every score is 0). Double accumulation keeps every finite f32 input, subnormal to
/// FLT_MAX, safe from overflow and underflow.
void cosine(const float* query, const float* candidates, float* scores, size_t dim, size_t count);

/// dot(q, c) accumulated in double in index order (the quantity whose exactness the integer
/// workloads check).
double dot(const float* a, const float* b, size_t dim);

}  // namespace ek::ref
