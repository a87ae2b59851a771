// topk_test.cpp — the multi-query cosine and fused top-k of every runnable ISA against their
// contract (kernels/topk.hpp): batch scores bit-identical to the same ISA's single-query kernel
// (and so within cosine_error_bound of ek::ref::cosine), top-k bit-identical to the batch on the
// pairs it selects and exact under ek::ref::ranks_before; guard pages; the selection itself on
// NaN, infinities and ties.
#include "kernels/topk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/arena.hpp"
#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/per_isa_test.hpp"
#include "kernels/topk_selection.hpp"
#include "reference/cosine.hpp"
#include "reference/topk.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/ulp.hpp"

namespace {

using ek::harness::cosine_batch_workload;
using ek::harness::cosine_family;
using ek::harness::same_bits;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();

class OptimizedTopk : public ek::kern::test::per_isa_suite {
 protected:
  // The batch against the same table's single-query kernel (bit for bit) and the reference
  // (within the bound); returns the batch scores.
  std::vector<float> check_batch(const float* queries, size_t nq, const float* candidates, size_t n,
                                 size_t dim, const std::string& what) {
    std::vector<float> batch(nq * n, -7.0f), single(n), ref(n);
    table().cosine_batch(queries, nq, candidates, n, dim, batch.data());
    for (size_t i = 0; i < nq; ++i) {
      table().cosine(queries + i * dim, candidates, single.data(), dim, n);
      ek::ref::cosine(queries + i * dim, candidates, ref.data(), dim, n);
      for (size_t j = 0; j < n; ++j) {
        const float s = batch[i * n + j];
        EXPECT_TRUE(same_bits(s, single[j]))
            << what << " dim " << dim << " query " << i << "/" << nq << " candidate " << j << "/"
            << n << ": " << s << " vs single " << single[j];
        EXPECT_LE(std::abs(double(s) - double(ref[j])), cosine_bound(dim))
            << what << " dim " << dim;
      }
    }
    return batch;
  }

  // The top-k against select_topk of the same table's batch scores: the same indices and bits.
  void check_topk(const float* queries, size_t nq, const float* candidates, size_t n, size_t dim,
                  size_t k, const std::string& what) {
    std::vector<float> batch(nq * n);
    table().cosine_batch(queries, nq, candidates, n, dim, batch.data());
    std::vector<uint32_t> index(nq * k + 1, 0xA5A5A5A5u), want_index(k);
    std::vector<float> score(nq * k + 1, -7.0f), want_score(k);
    table().topk(queries, nq, candidates, n, dim, k, index.data(), score.data());
    for (size_t i = 0; i < nq; ++i) {
      ek::ref::select_topk(batch.data() + i * n, n, k, want_index.data(), want_score.data());
      for (size_t r = 0; r < k; ++r) {
        ASSERT_EQ(index[i * k + r], want_index[r]) << what << " dim " << dim << " n " << n << " k "
                                                   << k << " query " << i << " rank " << r;
        ASSERT_TRUE(same_bits(score[i * k + r], want_score[r]))
            << what << " dim " << dim << " n " << n << " k " << k << " query " << i << " rank " << r
            << ": " << score[i * k + r] << " vs " << want_score[r];
      }
    }
    EXPECT_EQ(index[nq * k], 0xA5A5A5A5u) << what << ": wrote past its rows";
    EXPECT_EQ(score[nq * k], -7.0f) << what << ": wrote past its rows";
  }
  void check_topk(const cosine_batch_workload& w, size_t k, const std::string& what) {
    check_topk(w.queries.data(), w.num_queries, w.candidates.data(), w.count, w.dim, k, what);
  }
};

std::vector<size_t> test_dims() {
  std::vector<size_t> dims;
  for (size_t d = 0; d <= 67; ++d) dims.push_back(d);
  dims.push_back(768);
  return dims;
}

TEST_P(OptimizedTopk, BatchIsTheSingleQueryKernelOnEveryFamilyAndDim) {
  size_t i = 0;
  for (cosine_family family : ek::harness::all_cosine_families) {
    for (size_t dim : test_dims()) {
      const size_t nq = 1 + i % 9, n = 1 + (i * 7) % 23;
      const auto w = ek::harness::make_cosine_batch(family, dim, nq, n, 500 + i, i % 2 == 0);
      check_batch(w.queries.data(), nq, w.candidates.data(), n, dim,
                  ek::harness::to_string(family));
      ++i;
    }
  }
  // Many queries and candidates of the common size, unaligned candidate rows.
  const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, 768, 19, 37, 9, true);
  check_batch(w.queries.data(), w.num_queries, w.candidates.data(), w.count, 768, "q19 n37");
  std::vector<float> shifted(w.candidates.size() + 3);
  std::copy(w.candidates.begin(), w.candidates.end(), shifted.begin() + 3);
  check_batch(w.queries.data(), w.num_queries, shifted.data() + 3, w.count, 768, "unaligned");
}

TEST_P(OptimizedTopk, BatchSpecialQueriesAndCandidatesScorePositiveZero) {
  for (size_t dim : {1, 5, 8, 17, 768}) {
    auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, 7, 11, dim);
    w.queries[2 * dim] = kNaN;                             // a NaN query
    std::fill_n(w.queries.begin() + 4 * dim, dim, -0.0f);  // a zero query
    w.candidates[3 * dim + dim / 2] = kInf;                // an infinite candidate
    std::fill_n(w.candidates.begin() + 10 * dim, dim, 0.0f);
    const auto s = check_batch(w.queries.data(), 7, w.candidates.data(), 11, dim, "special");
    for (size_t j = 0; j < 11; ++j) {
      EXPECT_TRUE(same_bits(s[2 * 11 + j], 0.0f) && same_bits(s[4 * 11 + j], 0.0f));
    }
    for (size_t i = 0; i < 7; ++i) {
      EXPECT_TRUE(same_bits(s[i * 11 + 3], 0.0f) && same_bits(s[i * 11 + 10], 0.0f));
    }
  }
}

TEST_P(OptimizedTopk, TopkIsTheExactSelectionOfTheBatchScores) {
  size_t seed = 0;
  for (cosine_family family : ek::harness::all_cosine_families) {
    for (size_t dim : {0, 1, 3, 8, 13, 33, 768}) {
      for (size_t nq : {1, 2, 5}) {
        const size_t n = 1 + (seed * 11) % 41;
        const auto w = ek::harness::make_cosine_batch(family, dim, nq, n, 900 + seed, true);
        for (size_t k : {size_t{1}, size_t{3}, n - 1, n, n + 5}) {
          if (k == 0) continue;
          check_topk(w, k, ek::harness::to_string(family));
        }
        ++seed;
      }
    }
  }
  // More candidates than one tile, with a tail, and many queries (blocks of 4 and a remainder).
  for (size_t dim : {67, 768}) {
    const size_t n = 2 * ek::kern::batch_tile(dim) + 37;
    const auto w = ek::harness::make_cosine_batch(cosine_family::integer, dim, 17, n, dim, true);
    for (size_t k : {size_t{1}, size_t{10}, size_t{100}, n - 3, n + 1})
      check_topk(w, k, "tiles of " + std::to_string(ek::kern::batch_tile(dim)));
    check_batch(w.queries.data(), 17, w.candidates.data(), n, dim, "tiles");
  }
}

TEST_P(OptimizedTopk, TiesGoToTheLowerIndexAndShortRowsArePadded) {
  // Every candidate the same vector: every score ties, so the order is the index order.
  const size_t dim = 9, n = 300;
  std::vector<float> q(dim, 1.0f), c(n * dim);
  for (size_t j = 0; j < n; ++j) std::fill_n(c.begin() + j * dim, dim, 0.5f + float(j % 2 == 0));
  std::vector<uint32_t> index(n + 2);
  std::vector<float> score(n + 2);
  table().topk(q.data(), 1, c.data(), n, dim, n + 2, index.data(), score.data());
  for (uint32_t r = 0; r < n; ++r) EXPECT_EQ(index[r], r) << "rank " << r;
  EXPECT_EQ(index[n], kNoIndex);
  EXPECT_EQ(index[n + 1], kNoIndex);
  EXPECT_EQ(score[n + 1], -kInf);
  table().topk(q.data(), 1, c.data(), n, dim, 5, index.data(), score.data());
  for (uint32_t r = 0; r < 5; ++r) EXPECT_EQ(index[r], r) << "rank " << r;
  // No candidate: every slot is padding.
  table().topk(q.data(), 1, c.data(), 0, dim, 3, index.data(), score.data());
  for (size_t r = 0; r < 3; ++r) EXPECT_TRUE(index[r] == kNoIndex && score[r] == -kInf);
}

TEST_P(OptimizedTopk, ZeroKOrZeroQueriesWriteNothing) {
  const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, 8, 3, 5, 1);
  std::vector<uint32_t> index(16, 7);
  std::vector<float> score(16, -7.0f), batch(16, -7.0f);
  table().topk(w.queries.data(), 3, w.candidates.data(), 5, 8, 0, index.data(), score.data());
  table().topk(w.queries.data(), 0, w.candidates.data(), 5, 8, 4, index.data(), score.data());
  table().cosine_batch(w.queries.data(), 0, w.candidates.data(), 5, 8, batch.data());
  table().cosine_batch(w.queries.data(), 3, w.candidates.data(), 0, 8, batch.data());
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(index[i], 7u);
    EXPECT_EQ(score[i], -7.0f);
    EXPECT_EQ(batch[i], -7.0f);
  }
}

TEST_P(OptimizedTopk, NeverTouchesBytesOutsideItsBuffers) {
  using ek::harness::guard_side;
  for (const char* rule : ek::kern::test::prefetch_rules) {
    const ek::kern::test::forced_prefetch forced(rule);
    for (guard_side side : {guard_side::after, guard_side::before}) {
      for (size_t dim : {0, 1, 3, 7, 8, 9, 16, 17, 31, 67}) {
        for (size_t n : {1, 3, 5, 9}) {
          const size_t nq = 1 + (dim + n) % 6, k = 1 + (dim * n) % (n + 2);
          const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, nq, n, dim);
          auto q = ek::harness::guarded_copy<float>(w.queries, side, true);
          auto c = ek::harness::guarded_copy<float>(w.candidates, side, true);
          ek::harness::guarded_buffer s(nq * n * sizeof(float), side);
          ek::harness::guarded_buffer idx(nq * k * sizeof(uint32_t), side);
          ek::harness::guarded_buffer top(nq * k * sizeof(float), side);
          const float* qp = q.as<const float>().data();
          const float* cp = c.as<const float>().data();
          table().cosine_batch(qp, nq, cp, n, dim, s.as<float>().data());
          table().topk(qp, nq, cp, n, dim, k, idx.as<uint32_t>().data(), top.as<float>().data());
          std::vector<float> single(n);
          for (size_t i = 0; i < nq; ++i) {
            // The same candidates pointer: the single-query kernel's heads follow its alignment.
            table().cosine(qp + i * dim, cp, single.data(), dim, n);
            for (size_t j = 0; j < n; ++j)
              EXPECT_TRUE(same_bits(s.as<float>()[i * n + j], single[j])) << dim << " " << j;
            const uint32_t best = idx.as<uint32_t>()[i * k];
            ASSERT_LT(best, n);
            EXPECT_TRUE(same_bits(top.as<float>()[i * k], single[best]));
          }
        }
      }
    }
  }
}

TEST_P(OptimizedTopk, QueriesAtEveryOffsetFromTheCandidatesGiveTheSameBits) {
  // The scan reads a copy of the queries aligned like the candidates when dim is a multiple of
  // the vector width (queries_aligned_like): the copy must change no bit, and must be taken
  // exactly when the query rows sit at another offset within a vector than the candidate rows.
  constexpr size_t max_width = 16;
  for (size_t dim : {64, 768, 21}) {
    const size_t nq = ek::kern::batch_query_block + 1, n = 13, k = 5;
    const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, nq, n, dim);
    std::vector<float> queries(w.queries.size() + max_width);
    std::vector<float> candidates(w.candidates.size() + max_width);
    for (size_t c_off : {size_t{0}, size_t{3}}) {
      std::copy(w.candidates.begin(), w.candidates.end(), candidates.begin() + c_off);
      for (size_t q_off = 0; q_off < max_width; ++q_off) {
        std::copy(w.queries.begin(), w.queries.end(), queries.begin() + q_off);
        const float* q = queries.data() + q_off;
        const float* c = candidates.data() + c_off;
        const std::string what = "q+" + std::to_string(q_off) + " c+" + std::to_string(c_off);
        ek::kern::release_thread_arena();
        check_batch(q, nq, c, n, dim, what);
        const bool copied = ek::kern::thread_arena_stats().bytes_reserved != 0;
        const size_t width = table().cosine_lanes;  // 0: the reference, which copies nothing
        const bool apart = width != 0 && reinterpret_cast<uintptr_t>(q) % (width * 4) !=
                                             reinterpret_cast<uintptr_t>(c) % (width * 4);
        EXPECT_EQ(copied, apart && dim % width == 0) << what << " dim " << dim;
        check_topk(q, nq, c, n, dim, k, what);
      }
    }
  }
}

TEST_P(OptimizedTopk, EveryPrefetchRuleGivesTheSameBits) {
  // Two query blocks and a remainder across two tiles of dim 64 (batch_tile: 256 rows there).
  for (size_t dim : {17, 64, 768}) {
    const size_t nq = 2 * ek::kern::batch_query_block + 1, n = dim == 64 ? 600 : 45, k = 7;
    const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, nq, n, dim);
    std::vector<float> scores[2], top[2];
    std::vector<uint32_t> index[2];
    for (size_t r = 0; r < 2; ++r) {
      const ek::kern::test::forced_prefetch forced(ek::kern::test::prefetch_rules[r]);
      scores[r].resize(nq * n);
      top[r].resize(nq * k);
      index[r].resize(nq * k);
      table().cosine_batch(w.queries.data(), nq, w.candidates.data(), n, dim, scores[r].data());
      table().topk(w.queries.data(), nq, w.candidates.data(), n, dim, k, index[r].data(),
                   top[r].data());
    }
    for (size_t s = 0; s < nq * n; ++s)
      EXPECT_TRUE(same_bits(scores[0][s], scores[1][s])) << "dim " << dim << " score " << s;
    EXPECT_EQ(index[0], index[1]) << "dim " << dim;
    for (size_t s = 0; s < nq * k; ++s)
      EXPECT_TRUE(same_bits(top[0][s], top[1][s])) << "dim " << dim << " slot " << s;
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, OptimizedTopk, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

// ---- the selection alone, on scores no cosine kernel produces ---------------------------------

struct test_arch {};  // the selection uses its Arch only to keep ISA objects' copies apart

TEST(TopkSelection, TotalOrderOnNaNInfinitiesAndSignedZeros) {
  const float specials[] = {kNaN, -kNaN, kInf, -kInf, 0.0f, -0.0f, 1.0f, -1.0f, 0.5f};
  std::vector<float> scores;
  for (size_t j = 0; j < 200; ++j)
    scores.push_back(specials[(j * 7 + j / 9) % std::size(specials)]);
  for (size_t k : {1, 2, 5, 17, 50, 199, 200, 203}) {
    std::vector<uint32_t> index(k), want_index(k);
    std::vector<float> score(k), want_score(k);
    ek::kern::topk_detail::selection<test_arch> s(index.data(), score.data(),
                                                  std::min(k, scores.size()));
    for (size_t j = 0; j < scores.size(); ++j) s.offer(scores[j], static_cast<uint32_t>(j));
    s.finish(k);
    ek::ref::select_topk(scores.data(), scores.size(), k, want_index.data(), want_score.data());
    for (size_t r = 0; r < k; ++r) {
      ASSERT_EQ(index[r], want_index[r]) << "k " << k << " rank " << r;
      ASSERT_TRUE(same_bits(score[r], want_score[r])) << "k " << k << " rank " << r;
    }
    // The order itself: +Inf first, NaN last, -0 and +0 tied (so by index).
    EXPECT_EQ(score[0], kInf);
    if (k >= 200) {
      EXPECT_TRUE(std::isnan(score[199]));
    }
  }
}

TEST(TopkSelection, RanksBeforeIsAStrictTotalOrder) {
  const float values[] = {kNaN, -kInf, -1.0f, -0.0f, 0.0f, 1.0f, kInf};
  for (float a : values) {
    for (float b : values) {
      for (uint32_t ia : {0u, 1u}) {
        for (uint32_t ib : {0u, 1u}) {
          const bool ab = ek::ref::ranks_before(a, ia, b, ib);
          const bool ba = ek::ref::ranks_before(b, ib, a, ia);
          EXPECT_FALSE(ab && ba) << a << " " << b;  // asymmetric
          const bool same =
              ia == ib && (same_bits(a, b) || (a == b) || (std::isnan(a) && std::isnan(b)));
          EXPECT_EQ(ab || ba, !same) << a << "/" << ia << " " << b << "/" << ib;  // total
        }
      }
    }
  }
  EXPECT_TRUE(ek::ref::ranks_before(1.0f, 9, 1.0f, 10));  // ties to the lower index
  EXPECT_FALSE(ek::ref::ranks_before(1.0f, 10, 1.0f, 9));
  EXPECT_TRUE(ek::ref::ranks_before(-kInf, 9, kNaN, 0));  // NaN below every number
}

}  // namespace
