// topk.cpp — the reference multi-query cosine and top-k: ek::ref::cosine for every pair, then a
// selection on (score, index). Written for obviousness, not speed: it is the definition.
#include "reference/topk.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#include "reference/cosine.hpp"

namespace ek::ref {

void cosine_batch(const float* queries, size_t num_queries, const float* candidates,
                  size_t num_candidates, size_t dim, float* scores) {
  for (size_t i = 0; i < num_queries; ++i)
    cosine(queries + i * dim, candidates, scores + i * num_candidates, dim, num_candidates);
}

namespace {

// select_topk with caller-owned scratch (count entries), so topk allocates only before its first
// write.
void select_into(const float* scores, size_t count, size_t k, uint32_t* out_index, float* out_score,
                 std::vector<uint32_t>& order) {
  std::iota(order.begin(), order.end(), uint32_t{0});
  const size_t kept = std::min(k, count);
  // ranks_before is a strict total order on (score, index): the k first are unique.
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
      [&](uint32_t a, uint32_t b) { return ranks_before(scores[a], a, scores[b], b); });
  for (size_t r = 0; r < kept; ++r) {
    out_index[r] = order[r];
    out_score[r] = scores[order[r]];
  }
  std::fill(out_index + kept, out_index + k, std::numeric_limits<uint32_t>::max());
  std::fill(out_score + kept, out_score + k, -std::numeric_limits<float>::infinity());
}

}  // namespace

void select_topk(const float* scores, size_t count, size_t k, uint32_t* out_index,
                 float* out_score) {
  std::vector<uint32_t> order(count);
  select_into(scores, count, k, out_index, out_score, order);
}

namespace {

template <class C, class Cosine>
void topk_of(const float* queries, size_t num_queries, const C* candidates, size_t num_candidates,
             size_t dim, size_t k, uint32_t* out_index, float* out_score, Cosine cosine_fn) {
  if (k == 0 || num_queries == 0) return;
  std::vector<float> scores(num_candidates);
  std::vector<uint32_t> order(num_candidates);
  for (size_t i = 0; i < num_queries; ++i) {
    cosine_fn(queries + i * dim, candidates, scores.data(), dim, num_candidates);
    select_into(scores.data(), num_candidates, k, out_index + i * k, out_score + i * k, order);
  }
}

}  // namespace

void topk(const float* queries, size_t num_queries, const float* candidates, size_t num_candidates,
          size_t dim, size_t k, uint32_t* out_index, float* out_score) {
  topk_of(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score, cosine);
}
void topk_bf16(const float* queries, size_t num_queries, const uint16_t* candidates,
               size_t num_candidates, size_t dim, size_t k, uint32_t* out_index, float* out_score) {
  topk_of(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score,
          cosine_bf16);
}
void topk_i8(const float* queries, size_t num_queries, const int8_t* candidates,
             size_t num_candidates, size_t dim, size_t k, uint32_t* out_index, float* out_score) {
  topk_of(queries, num_queries, candidates, num_candidates, dim, k, out_index, out_score,
          cosine_i8);
}

}  // namespace ek::ref
