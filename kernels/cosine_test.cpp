// cosine_test.cpp — the optimized cosine of every runnable ISA against ek::ref::cosine: every
// generator family, dims 0–67 and 768/1536, unaligned starts, guard pages, extreme magnitudes,
// special values, and exact sums on integer inputs; within cosine_error_bound (kernels/cosine.hpp).
#include "kernels/cosine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "kernels/dispatch.hpp"
#include "kernels/per_isa_test.hpp"
#include "reference/cosine.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/ulp.hpp"

namespace {

using ek::harness::cosine_family;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr size_t kLargeDims[] = {768, 1536};

bool is_positive_zero(float x) { return x == 0.0f && !std::signbit(x); }

// The reference's special-value rule, decided from the input alone: no direction (empty, all ±0)
// or a NaN/Inf element.
bool has_no_direction(std::span<const float> v) {
  bool nonzero = false;
  for (float x : v) {
    if (!std::isfinite(x)) return true;
    nonzero = nonzero || x != 0.0f;
  }
  return !nonzero;
}

// The largest |optimized − reference| seen: as a fraction of the bound, and at the common sizes.
struct error_tracker {
  double worst_ratio = 0;
  double worst_error = 0;
  size_t worst_dim = 0;
  double worst_large_dim_error = 0;  // dim >= 768
  size_t scores = 0;

  void add(double error, double bound, size_t dim) {
    ++scores;
    if (error / bound > worst_ratio) {
      worst_ratio = error / bound;
      worst_error = error;
      worst_dim = dim;
    }
    if (dim >= 768) worst_large_dim_error = std::max(worst_large_dim_error, error);
  }
  void report(const std::string& what) const {
    std::printf(
        "[ max error ] %s: %zu scores; worst %.3g at dim %zu = %.3f of its bound; "
        "worst at dim >= 768: %.3g\n",
        what.c_str(), scores, worst_error, worst_dim, worst_ratio, worst_large_dim_error);
  }
};

class OptimizedCosine : public ek::kern::test::per_isa_suite {
 protected:
  // Runs both kernels on the same buffers and checks every score: +0 bit for bit where an input
  // has no direction, otherwise within the bound. Returns the optimized scores.
  std::vector<float> check(const float* q, const float* c, size_t dim, size_t count,
                           const std::string& what, error_tracker* errors = nullptr) {
    std::vector<float> expected(count, -7.0f), actual(count, -7.0f);
    ek::ref::cosine(q, c, expected.data(), dim, count);
    table().cosine(q, c, actual.data(), dim, count);
    const bool bad_query = has_no_direction({q, dim});
    for (size_t j = 0; j < count; ++j) {
      if (bad_query || has_no_direction({c + j * dim, dim})) {
        EXPECT_TRUE(is_positive_zero(actual[j]))
            << what << " dim " << dim << " candidate " << j << ": " << actual[j];
        continue;
      }
      const double error = std::abs(double(actual[j]) - double(expected[j]));
      EXPECT_LE(error, cosine_bound(dim)) << what << " dim " << dim << " candidate " << j << ": "
                                          << actual[j] << " vs " << expected[j];
      if (errors) errors->add(error, cosine_bound(dim), dim);
    }
    return actual;
  }

  std::vector<float> check(const ek::harness::cosine_workload& w, const std::string& what,
                           error_tracker* errors = nullptr) {
    return check(w.query.data(), w.candidates.data(), w.dim, w.count, what, errors);
  }
};

std::vector<size_t> test_dims() {
  std::vector<size_t> dims;
  for (size_t d = 0; d <= 67; ++d) dims.push_back(d);
  dims.insert(dims.end(), std::begin(kLargeDims), std::end(kLargeDims));
  return dims;
}

// Counts around the candidate block: 1 ... 2·block + 3, never only multiples of it.
size_t count_for(size_t i) { return 1 + i % (2 * ek::kern::cosine_block + 3); }

TEST_P(OptimizedCosine, MatchesReferenceOnEveryFamilyAndDim) {
  error_tracker errors;
  size_t i = 0;
  for (cosine_family family : ek::harness::all_cosine_families) {
    for (size_t dim : test_dims()) {
      const auto w = ek::harness::make_cosine(family, dim, count_for(i), 1000 + i);
      check(w, ek::harness::to_string(family), &errors);
      ++i;
    }
    // Many candidates of the common sizes: enough scores to see the error distribution's tail.
    for (size_t dim : kLargeDims) {
      check(ek::harness::make_cosine(family, dim, 203, 77), ek::harness::to_string(family),
            &errors);
    }
  }
  errors.report(GetParam() + " all families");
}

TEST_P(OptimizedCosine, UnalignedStartsOfQueryAndCandidates) {
  // A 64-byte aligned base, then every start offset 0–15 floats for query and candidates.
  const size_t kAlignFloats = 16;
  error_tracker errors;
  for (size_t dim : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 67, 768}) {
    const size_t count = 2 * ek::kern::cosine_block + 1;
    const auto w = ek::harness::make_cosine(cosine_family::gaussian, dim, count, dim);
    std::vector<float> q_store(dim + 2 * kAlignFloats), c_store(dim * count + 2 * kAlignFloats);
    auto aligned = [&](std::vector<float>& v) {
      float* p = v.data();
      while (reinterpret_cast<uintptr_t>(p) % 64 != 0) ++p;
      return p;
    };
    for (size_t q_off = 0; q_off < kAlignFloats; ++q_off) {
      for (size_t c_off = 0; c_off < kAlignFloats; ++c_off) {
        float* q = aligned(q_store) + q_off;
        float* c = aligned(c_store) + c_off;
        std::copy(w.query.begin(), w.query.end(), q);
        std::copy(w.candidates.begin(), w.candidates.end(), c);
        check(q, c, dim, count, "offsets " + std::to_string(q_off) + "/" + std::to_string(c_off),
              &errors);
      }
    }
  }
  errors.report(GetParam() + " unaligned");
}

TEST_P(OptimizedCosine, NeverTouchesBytesOutsideItsBuffers) {
  // Inputs read-only and flush against a PROT_NONE page at either end; scores likewise. A read
  // or write one float past (or before) any buffer faults.
  // Under each prefetch rule: a prefetch of the rows after the last block points past the
  // candidates, into the guard page, and must not fault.
  using ek::harness::guard_side;
  for (const char* rule : ek::kern::test::prefetch_rules) {
    const ek::kern::test::forced_prefetch forced(rule);
    for (guard_side side : {guard_side::after, guard_side::before}) {
      for (size_t dim = 0; dim <= 67; ++dim) {
        for (size_t count : {size_t{1}, size_t{3}, ek::kern::cosine_block + 1}) {
          const auto w = ek::harness::make_cosine(cosine_family::gaussian, dim, count, dim + count);
          auto q = ek::harness::guarded_copy<float>(w.query, side, true);
          auto c = ek::harness::guarded_copy<float>(w.candidates, side, true);
          ek::harness::guarded_buffer s(count * sizeof(float), side);
          table().cosine(q.as<const float>().data(), c.as<const float>().data(),
                         s.as<float>().data(), dim, count);
          std::vector<float> expected(count);
          ek::ref::cosine(w.query.data(), w.candidates.data(), expected.data(), dim, count);
          for (size_t j = 0; j < count; ++j) {
            EXPECT_LE(std::abs(s.as<float>()[j] - expected[j]), cosine_bound(dim))
                << rule << " " << dim << " " << j;
          }
        }
      }
    }
  }
}

TEST_P(OptimizedCosine, EveryPrefetchRuleGivesTheSameBits) {
  size_t i = 0;
  for (cosine_family family : ek::harness::all_cosine_families) {
    for (size_t dim : test_dims()) {
      const auto w = ek::harness::make_cosine(family, dim, count_for(i) + 8, 3000 + i);
      std::vector<float> never(w.count), always(w.count);
      {
        const ek::kern::test::forced_prefetch forced("never");
        table().cosine(w.query.data(), w.candidates.data(), never.data(), dim, w.count);
      }
      {
        const ek::kern::test::forced_prefetch forced("always");
        table().cosine(w.query.data(), w.candidates.data(), always.data(), dim, w.count);
      }
      for (size_t j = 0; j < w.count; ++j)
        EXPECT_TRUE(ek::harness::same_bits(never[j], always[j]))
            << ek::harness::to_string(family) << " dim " << dim << " candidate " << j;
      ++i;
    }
  }
}

TEST_P(OptimizedCosine, ExtremeMagnitudesHoldTheBound) {
  // Whole vectors scaled by 2^k: squares overflow f32 from about 2^64 up and underflow below
  // 2^-64, so k sweeps both sides of the fast path's trusted range and of FLT_MAX / subnormals.
  error_tracker errors;
  const int ks[] = {-149, -140, -126, -100, -75, -70, -66, -64, -62, -40, 0,
                    40,   60,   62,   63,   64,  66,  70,  100, 120, 126};
  for (size_t dim : {1, 5, 16, 67, 768}) {
    const auto w = ek::harness::make_cosine(cosine_family::gaussian, dim, 2, dim);
    for (int kq : ks) {
      for (int kc : ks) {
        std::vector<float> q(w.query), c(w.candidates);
        for (float& x : q) x = std::ldexp(x, kq);
        // Candidate 0 scaled; candidate 1 scaled except one element at the query's scale, so the
        // magnitudes also mix within one vector.
        for (float& x : c) x = std::ldexp(x, kc);
        c[dim] = std::ldexp(w.candidates[dim], kq);
        check(q.data(), c.data(), dim, 2, "2^" + std::to_string(kq) + " vs 2^" + std::to_string(kc),
              &errors);
      }
    }
  }
  // FLT_MAX-sized and smallest-subnormal elements.
  for (size_t dim : {1, 4, 17, 768}) {
    std::vector<float> q(dim, std::numeric_limits<float>::max());
    std::vector<float> c(2 * dim, std::numeric_limits<float>::denorm_min());
    c[dim] = -std::numeric_limits<float>::max();
    const auto s = check(q.data(), c.data(), dim, 2, "FLT_MAX vs denorm_min", &errors);
    EXPECT_EQ(s[0], 1.0f) << dim;
  }
  for (cosine_family family : {cosine_family::extreme, cosine_family::cauchy}) {
    for (size_t dim : {7, 64, 768}) {
      check(ek::harness::make_cosine(family, dim, 41, 5), ek::harness::to_string(family), &errors);
    }
  }
  errors.report(GetParam() + " extreme magnitudes");
}

TEST_P(OptimizedCosine, SpecialValuesScorePositiveZeroWithoutPoisoningOthers) {
  for (size_t dim : {1, 2, 3, 4, 5, 8, 15, 16, 17, 33, 768}) {
    const size_t count = 2 * ek::kern::cosine_block + 1;
    const auto w = ek::harness::make_cosine(cosine_family::gaussian, dim, count, 3);
    // Every position of the bad element, so it lands in whole batches and in every tail lane.
    for (size_t pos = 0; pos < dim; pos += (dim > 40 ? 97 : 1)) {
      for (float bad : {kNaN, kInf, -kInf}) {
        std::vector<float> c(w.candidates);
        c[1 * dim + pos] = bad;
        c[(count - 1) * dim + pos] = bad;  // in the candidates after the last whole block
        const auto s = check(w.query.data(), c.data(), dim, count, "bad candidate");
        EXPECT_TRUE(is_positive_zero(s[1]) && is_positive_zero(s[count - 1]));
        std::vector<float> q(w.query);
        q[pos] = bad;
        for (float x : check(q.data(), w.candidates.data(), dim, count, "bad query"))
          EXPECT_TRUE(is_positive_zero(x));
      }
    }
    std::vector<float> c(w.candidates);
    std::fill_n(c.begin() + 2 * dim, dim, -0.0f);
    EXPECT_TRUE(is_positive_zero(check(w.query.data(), c.data(), dim, count, "zero")[2]));
    const std::vector<float> zero_q(dim, -0.0f);
    for (float x : check(zero_q.data(), w.candidates.data(), dim, count, "zero query"))
      EXPECT_TRUE(is_positive_zero(x));
  }
  // Empty vectors: every score +0 (and the kernel reads no candidate byte).
  std::vector<float> s(5, -7.0f);
  const float one = 1.0f;
  table().cosine(&one, &one, s.data(), 0, s.size());
  for (float x : s) EXPECT_TRUE(is_positive_zero(x));
}

TEST_P(OptimizedCosine, IntegerInputsGiveExactSumsAndTheReferenceBits) {
  // Integers in [-32, 32]: every partial sum of q·c, q·q and c·c is an integer below 2^24, so the
  // kernel's f32 sums are exact in any order and equal ek::ref::dot. The quotient is finished in
  // double exactly as the reference does, so the scores must be bit-identical. That equality is
  // a test of the raw sums: a dot product off by one integer would move the score by at least
  // one float ULP, which the premise check below proves for every candidate.
  for (size_t dim : test_dims()) {
    const auto w = ek::harness::make_cosine(cosine_family::integer, dim, 13, dim);
    const auto s = check(w, "integer");
    std::vector<float> expected(w.count);
    ek::ref::cosine(w.query.data(), w.candidates.data(), expected.data(), dim, w.count);
    const double q_norm = std::sqrt(ek::ref::dot(w.query.data(), w.query.data(), dim));
    for (size_t j = 0; j < w.count; ++j) {
      EXPECT_EQ(s[j], expected[j]) << "dim " << dim << " candidate " << j;
      const float* c = w.candidates.data() + j * dim;
      const double cc = ek::ref::dot(c, c, dim);
      if (q_norm == 0 || cc == 0) continue;
      const double d = ek::ref::dot(w.query.data(), c, dim);
      ASSERT_LT(std::abs(d), 0x1p24) << "premise: the sums are exact in f32";
      for (double off : {-1.0, 1.0}) {
        const double moved = std::clamp((d + off) / (q_norm * std::sqrt(cc)), -1.0, 1.0);
        if (std::abs(moved) < 1) {
          EXPECT_NE(float(moved), expected[j]) << "premise: dim " << dim;
        }
      }
    }
  }
}

TEST(CosineErrorBound, IsTheDerivedFormula) {
  using ek::kern::cosine_error_bound;
  // docs/kernel-cosine.md §3: about 2·γ_N(2^-24) + 2^-24, N = ceil(dim/W) + 1 + log2(W); the double
  // roundings (finish and reference) add less than 2^-48 per element.
  for (size_t lanes : {4, 8, 16}) {
    for (size_t dim : {0, 1, 5, 768, 1536, 100000}) {
      const size_t chain_length = (dim + lanes - 1) / lanes;
      const double n = double(chain_length) + 1 + std::log2(double(lanes));
      const double gamma = n * 0x1p-24 / (1 - n * 0x1p-24);
      EXPECT_GE(cosine_error_bound(dim, lanes), 2 * gamma + 0x1p-24);
      EXPECT_LE(cosine_error_bound(dim, lanes),
                2 * gamma / (1 - gamma) + 0x1p-24 + 0x1p-48 * (4 + double(dim)));
    }
  }
  // The ISA-free bound covers every width at every dim.
  for (size_t dim = 0; dim <= 2048; ++dim) {
    for (size_t lanes : {4, 8, 16}) {
      EXPECT_GE(cosine_error_bound(dim), cosine_error_bound(dim, lanes)) << dim << " " << lanes;
    }
  }
  EXPECT_EQ(cosine_error_bound(768), cosine_error_bound(768, 4));
  EXPECT_EQ(cosine_error_bound(1), cosine_error_bound(1, 16));
  EXPECT_LT(cosine_error_bound(768, 16), cosine_error_bound(768, 8));
  EXPECT_LT(cosine_error_bound(764), cosine_error_bound(768));
  static_assert(ek::kern::cosine_error_bound(768) < 2.5e-5);  // usable: a few 1e-5 at most
}

INSTANTIATE_TEST_SUITE_P(Isa, OptimizedCosine, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

}  // namespace
