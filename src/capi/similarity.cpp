// similarity.cpp — engram_vector_similarity, engram_vector_similarity_batch and
// engram_vector_topk: validate buffers and sizes, then run the active ISA's kernel.
#include <cstdint>
#include <optional>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"
#include "src/capi/validate.hpp"

extern "C" engram_status engram_vector_similarity(const float* query, const float* candidates,
                                                  float* scores, size_t query_len,
                                                  size_t num_candidates) {
  using namespace ek::capi;
  return guarded([&] {
    if ((query == nullptr && query_len != 0) ||
        (candidates == nullptr && query_len != 0 && num_candidates != 0) ||
        (scores == nullptr && num_candidates != 0))
      return ENGRAM_ERR_NULL_POINTER;
    const auto elements = checked_mul(query_len, num_candidates);
    const auto candidate_bytes = elements ? checked_mul(*elements, sizeof(float)) : std::nullopt;
    const auto query_bytes = checked_mul(query_len, sizeof(float));
    const auto score_bytes = checked_mul(num_candidates, sizeof(float));
    if (!candidate_bytes || !query_bytes || !score_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(scores, *score_bytes, query, *query_bytes) ||
        overlaps(scores, *score_bytes, candidates, *candidate_bytes))
      return ENGRAM_ERR_OVERLAP;
    ek::kern::active().cosine(query, candidates, scores, query_len, num_candidates);
    return ENGRAM_OK;
  });
}

namespace {

// The byte sizes of a batch call's buffers, or nullopt when one overflows (validate.hpp).
struct batch_bytes {
  size_t queries, candidates;
};
std::optional<batch_bytes> batch_sizes(size_t num_queries, size_t num_candidates, size_t dim) {
  using ek::capi::checked_mul;
  const auto q = checked_mul(num_queries, dim);
  const auto c = checked_mul(num_candidates, dim);
  const auto q_bytes = q ? checked_mul(*q, sizeof(float)) : std::nullopt;
  const auto c_bytes = c ? checked_mul(*c, sizeof(float)) : std::nullopt;
  if (!q_bytes || !c_bytes) return std::nullopt;
  return batch_bytes{*q_bytes, *c_bytes};
}

}  // namespace

extern "C" engram_status engram_vector_similarity_batch(const float* queries, size_t num_queries,
                                                        const float* candidates,
                                                        size_t num_candidates, size_t dim,
                                                        float* scores) {
  using namespace ek::capi;
  return guarded([&] {
    // A pointer may be NULL exactly when its buffer has no bytes.
    if ((queries == nullptr && num_queries != 0 && dim != 0) ||
        (candidates == nullptr && num_candidates != 0 && dim != 0) ||
        (scores == nullptr && num_queries != 0 && num_candidates != 0))
      return ENGRAM_ERR_NULL_POINTER;
    const auto in = batch_sizes(num_queries, num_candidates, dim);
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
  using namespace ek::capi;
  return guarded([&] {
    const bool has_output = num_queries != 0 && k != 0;
    if ((queries == nullptr && num_queries != 0 && dim != 0) ||
        (candidates == nullptr && num_candidates != 0 && dim != 0) ||
        (has_output && (out_index == nullptr || out_score == nullptr)))
      return ENGRAM_ERR_NULL_POINTER;
    const auto in = batch_sizes(num_queries, num_candidates, dim);
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
    ek::kern::active().topk(queries, num_queries, candidates, num_candidates, dim, k, out_index,
                            out_score);
    return ENGRAM_OK;
  });
}
