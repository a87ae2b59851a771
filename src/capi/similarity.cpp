// similarity.cpp — engram_vector_similarity: validates buffers and sizes, then runs the active
// ISA's cosine kernel.
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
