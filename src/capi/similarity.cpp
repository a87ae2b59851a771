// similarity.cpp — engram_vector_similarity, engram_vector_similarity_batch, engram_vector_topk
// and the bfloat16 / int8 forms of the first and last: validate buffers and sizes, then run the
// active ISA's kernel. One validation per call shape, for every candidate type.
#include <cstdint>
#include <optional>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"
#include "src/capi/validate.hpp"

namespace {

using ek::capi::checked_mul;
using ek::capi::overlaps;

// engram_vector_similarity and its compact forms: candidates of C, run by kernel.
template <class C, class Kernel>
engram_status similarity(const float* query, const C* candidates, float* scores, size_t dim,
                         size_t num_candidates, Kernel kernel) {
  return ek::capi::guarded([&] {
    if ((query == nullptr && dim != 0) ||
        (candidates == nullptr && dim != 0 && num_candidates != 0) ||
        (scores == nullptr && num_candidates != 0))
      return ENGRAM_ERR_NULL_POINTER;
    const auto elements = checked_mul(dim, num_candidates);
    const auto candidate_bytes = elements ? checked_mul(*elements, sizeof(C)) : std::nullopt;
    const auto query_bytes = checked_mul(dim, sizeof(float));
    const auto score_bytes = checked_mul(num_candidates, sizeof(float));
    if (!candidate_bytes || !query_bytes || !score_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(scores, *score_bytes, query, *query_bytes) ||
        overlaps(scores, *score_bytes, candidates, *candidate_bytes))
      return ENGRAM_ERR_OVERLAP;
    kernel(query, candidates, scores, dim, num_candidates);
    return ENGRAM_OK;
  });
}

// The byte sizes of a many-query call's inputs, or nullopt when one overflows (validate.hpp).
struct batch_bytes {
  size_t queries, candidates;
};
template <class C>
std::optional<batch_bytes> batch_sizes(size_t num_queries, size_t num_candidates, size_t dim) {
  const auto q = checked_mul(num_queries, dim);
  const auto c = checked_mul(num_candidates, dim);
  const auto q_bytes = q ? checked_mul(*q, sizeof(float)) : std::nullopt;
  const auto c_bytes = c ? checked_mul(*c, sizeof(C)) : std::nullopt;
  if (!q_bytes || !c_bytes) return std::nullopt;
  return batch_bytes{*q_bytes, *c_bytes};
}

// engram_vector_topk and its compact forms.
template <class C, class Kernel>
engram_status topk(const float* queries, size_t num_queries, const C* candidates,
                   size_t num_candidates, size_t dim, size_t k, uint32_t* out_index,
                   float* out_score, Kernel kernel) {
  return ek::capi::guarded([&] {
    const bool has_output = num_queries != 0 && k != 0;
    if ((queries == nullptr && num_queries != 0 && dim != 0) ||
        (candidates == nullptr && num_candidates != 0 && dim != 0) ||
        (has_output && (out_index == nullptr || out_score == nullptr)))
      return ENGRAM_ERR_NULL_POINTER;
    const auto in = batch_sizes<C>(num_queries, num_candidates, dim);
    const auto out = checked_mul(num_queries, k);
    const auto index_bytes = out ? checked_mul(*out, sizeof(uint32_t)) : std::nullopt;
    const auto score_bytes = out ? checked_mul(*out, sizeof(float)) : std::nullopt;
    // Candidate indices are uint32_t.
    if (!in || !index_bytes || !score_bytes || num_candidates > UINT32_MAX)
      return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(out_index, *index_bytes, queries, in->queries) ||
        overlaps(out_index, *index_bytes, candidates, in->candidates) ||
        overlaps(out_score, *score_bytes, queries, in->queries) ||
        overlaps(out_score, *score_bytes, candidates, in->candidates) ||
        overlaps(out_index, *index_bytes, out_score, *score_bytes))
      return ENGRAM_ERR_OVERLAP;
    if (!has_output) return ENGRAM_OK;
    kernel(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score);
    return ENGRAM_OK;
  });
}

}  // namespace

extern "C" engram_status engram_vector_similarity(const float* query, const float* candidates,
                                                  float* scores, size_t query_len,
                                                  size_t num_candidates) {
  return similarity(query, candidates, scores, query_len, num_candidates,
                    ek::kern::active().cosine);
}

extern "C" engram_status engram_vector_similarity_bf16(const float* query,
                                                       const uint16_t* candidates, float* scores,
                                                       size_t dim, size_t num_candidates) {
  return similarity(query, candidates, scores, dim, num_candidates,
                    ek::kern::active().lowp.cosine_bf16);
}

extern "C" engram_status engram_vector_similarity_i8(const float* query, const int8_t* candidates,
                                                     float* scores, size_t dim,
                                                     size_t num_candidates) {
  return similarity(query, candidates, scores, dim, num_candidates,
                    ek::kern::active().lowp.cosine_i8);
}

extern "C" engram_status engram_vector_similarity_batch(const float* queries, size_t num_queries,
                                                        const float* candidates,
                                                        size_t num_candidates, size_t dim,
                                                        float* scores) {
  return ek::capi::guarded([&] {
    // A pointer may be NULL exactly when its buffer has no bytes.
    if ((queries == nullptr && num_queries != 0 && dim != 0) ||
        (candidates == nullptr && num_candidates != 0 && dim != 0) ||
        (scores == nullptr && num_queries != 0 && num_candidates != 0))
      return ENGRAM_ERR_NULL_POINTER;
    const auto in = batch_sizes<float>(num_queries, num_candidates, dim);
    const auto out = checked_mul(num_queries, num_candidates);
    const auto score_bytes = out ? checked_mul(*out, sizeof(float)) : std::nullopt;
    if (!in || !score_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(scores, *score_bytes, queries, in->queries) ||
        overlaps(scores, *score_bytes, candidates, in->candidates))
      return ENGRAM_ERR_OVERLAP;
    ek::kern::active().cosine_batch(queries, num_queries, candidates, num_candidates, dim, scores);
    return ENGRAM_OK;
  });
}

extern "C" engram_status engram_vector_topk(const float* queries, size_t num_queries,
                                            const float* candidates, size_t num_candidates,
                                            size_t dim, size_t k, uint32_t* out_index,
                                            float* out_score) {
  return topk(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score,
              ek::kern::active().topk);
}

extern "C" engram_status engram_vector_topk_bf16(const float* queries, size_t num_queries,
                                                 const uint16_t* candidates, size_t num_candidates,
                                                 size_t dim, size_t k, uint32_t* out_index,
                                                 float* out_score) {
  return topk(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score,
              ek::kern::active().lowp.topk_bf16);
}

extern "C" engram_status engram_vector_topk_i8(const float* queries, size_t num_queries,
                                               const int8_t* candidates, size_t num_candidates,
                                               size_t dim, size_t k, uint32_t* out_index,
                                               float* out_score) {
  return topk(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score,
              ek::kern::active().lowp.topk_i8);
}
