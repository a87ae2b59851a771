// topk.hpp — the reference multi-query cosine similarity and top-k selection: the definition of
// engram_vector_similarity_batch and engram_vector_topk (docs/kernel-topk.md).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ek::ref {

/// scores[i][j] = cosine(queries[i], candidates[j]) as ek::ref::cosine defines it; queries is
/// [num_queries][dim], candidates [num_candidates][dim], scores [num_queries][num_candidates].
void cosine_batch(const float* queries, size_t num_queries, const float* candidates,
                  size_t num_candidates, size_t dim, float* scores);

/// The selection order of every top-k, reference and kernels alike: higher score first, equal
/// scores by lower candidate index. A NaN score (which no cosine kernel produces: non-finite
/// inputs score 0) ranks below every number, NaNs among themselves by index, so the order stays a
/// strict total order on (score, index) whatever the scores are; -0 and +0 are equal scores.
/// Always inlined: the ISA objects use it too, and an out-of-line copy compiled with one ISA's
/// flags must not be shared with another object (scripts/odr_check.sh).
[[gnu::always_inline]] inline bool ranks_before(float a, uint32_t a_index, float b,
                                                uint32_t b_index) {
  const bool a_nan = std::isnan(a);
  const bool b_nan = std::isnan(b);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a != b) return a > b;
  return a_index < b_index;
}

/// The k best entries of scores[0, count) under ranks_before, best first, into out_index and
/// out_score [k]; slots past count hold UINT32_MAX and -INFINITY. count <= UINT32_MAX. May throw
/// std::bad_alloc before writing anything.
void select_topk(const float* scores, size_t count, size_t k, uint32_t* out_index,
                 float* out_score);

/// For each query, the k candidates with the highest reference cosine (select_topk of the
/// reference scores); out_index and out_score are [num_queries][k]. num_candidates <=
/// UINT32_MAX. May throw std::bad_alloc before writing anything.
void topk(const float* queries, size_t num_queries, const float* candidates, size_t num_candidates,
          size_t dim, size_t k, uint32_t* out_index, float* out_score);

/// ek::ref::topk on candidates stored as bfloat16 or int8 (ek::ref::cosine_bf16, cosine_i8): the
/// definition of engram_vector_topk_bf16 and _i8.
void topk_bf16(const float* queries, size_t num_queries, const uint16_t* candidates,
               size_t num_candidates, size_t dim, size_t k, uint32_t* out_index, float* out_score);
void topk_i8(const float* queries, size_t num_queries, const int8_t* candidates,
             size_t num_candidates, size_t dim, size_t k, uint32_t* out_index, float* out_score);

}  // namespace ek::ref
