// cosine.hpp — the reference batch cosine similarity: the definition of every score.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ek::ref {

/// scores[j] = clamp(dot(q, c_j) / (|q| |c_j|), -1, 1), accumulated in double in index order.
/// A vector that is empty, all ±0, or holds a NaN or ±Inf has no direction: its score is 0 (for a
/// bad query, every score is 0). Double accumulation keeps every finite f32 input, subnormal to
/// FLT_MAX, safe from overflow and underflow.
void cosine(const float* query, const float* candidates, float* scores, size_t dim, size_t count);

/// ek::ref::cosine on candidates stored as bfloat16 (ek::ref::widen_bf16) or int8, each element
/// widened exactly to float first: the definition of engram_vector_similarity_bf16 and _i8.
/// cosine_of<C> is the same three functions by stored type (float, uint16_t holding bfloat16,
/// int8_t), for code written once over C; defined and instantiated for those in cosine.cpp.
template <class C>
void cosine_of(const float* query, const C* candidates, float* scores, size_t dim, size_t count);
void cosine_bf16(const float* query, const uint16_t* candidates, float* scores, size_t dim,
                 size_t count);
void cosine_i8(const float* query, const int8_t* candidates, float* scores, size_t dim,
               size_t count);

/// dot(q, c) accumulated in double in index order (the quantity whose exactness the integer
/// workloads check).
double dot(const float* a, const float* b, size_t dim);

}  // namespace ek::ref
