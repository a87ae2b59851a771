// tiebreak_tables.cpp — SELF-TEST ONLY (fuzz_topk_planted): the real tables plus a planted top-k
// whose scores are the reference's and whose selection lets a later candidate pass an earlier one
// of equal score (`>=` where the tie-break needs `>`), so equal scores go to the higher index.
// Never linked into the library.
#include <cstdint>
#include <limits>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "reference/topk.hpp"

namespace {

void tiebreak_topk(const float* queries, size_t num_queries, const float* candidates,
                   size_t num_candidates, size_t dim, size_t k, uint32_t* out_index,
                   float* out_score) {
  if (k == 0 || num_queries == 0) return;
  std::vector<float> scores(num_candidates);
  for (size_t i = 0; i < num_queries; ++i) {
    ek::ref::cosine_batch(queries + i * dim, 1, candidates, num_candidates, dim, scores.data());
    uint32_t* index = out_index + i * k;
    float* score = out_score + i * k;
    // Insertion into the best k so far, best first.
    size_t kept = 0;
    for (size_t j = 0; j < num_candidates; ++j) {
      const float s = scores[j];
      size_t r = kept;
      while (r > 0 && s >= score[r - 1]) --r;  // the bug: `>=` moves j above an equal score
      if (r >= k) continue;
      const size_t last = kept < k ? kept : k - 1;
      for (size_t m = last; m > r; --m) {
        index[m] = index[m - 1];
        score[m] = score[m - 1];
      }
      index[r] = static_cast<uint32_t>(j);
      score[r] = s;
      if (kept < k) ++kept;
    }
    for (size_t r = kept; r < k; ++r) {
      index[r] = std::numeric_limits<uint32_t>::max();
      score[r] = -std::numeric_limits<float>::infinity();
    }
  }
}

}  // namespace

namespace ek::fuzz {

// The reference's cosine and batch stay: the planted table's own batch scores are the ones its
// selection is held to.
std::span<const kernel_table> tables_under_test() {
  static const std::vector<kernel_table> tables =
      with_planted("planted_tiebreak", [](kernel_table& t) { t.topk = &tiebreak_topk; });
  return tables;
}

}  // namespace ek::fuzz
