// lowp_test.cpp — the kernels over compact candidates (bfloat16, int8) of every runnable ISA
// against their contract (kernels/lowp.hpp): similarity within cosine_error_bound of the
// reference on the widened values and +0 where it gives +0, exact on integer sums; top-k
// bit-identical to the same ISA's similarity and exact in its selection; guard pages; the
// conversions bit-identical to the reference on a 2^24-pattern sample and on every special value.
#include "kernels/lowp.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/dispatch.hpp"
#include "kernels/per_isa_test.hpp"
#include "reference/cosine.hpp"
#include "reference/lowp.hpp"
#include "reference/topk.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/prng.hpp"
#include "src/harness/ulp.hpp"

namespace {

using ek::harness::cosine_family;
using ek::harness::same_bits;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<size_t> test_dims() {
  std::vector<size_t> dims;
  for (size_t d = 0; d <= 67; ++d) dims.push_back(d);
  dims.push_back(768);
  return dims;
}

std::vector<uint16_t> to_bf16(const std::vector<float>& x) {
  std::vector<uint16_t> out(x.size());
  ek::ref::convert_to_bf16(x.data(), out.data(), x.size());
  return out;
}

// int8 rows from float rows: non-finite elements become 0 (int8 has no NaN), then the reference
// quantization.
std::vector<int8_t> to_i8(std::vector<float> x, size_t dim) {
  for (float& v : x) v = std::isfinite(v) ? v : 0.0f;
  std::vector<int8_t> out(x.size());
  const size_t rows = dim == 0 ? 0 : x.size() / dim;
  EXPECT_TRUE(ek::ref::quantize_i8(x.data(), dim, rows, out.data(), nullptr));
  return out;
}

class CompactCandidates : public ek::kern::test::per_isa_suite {
 protected:
  template <class C>
  auto kernel(const C*) const {
    return table().lowp.cosine_of<C>();
  }
  template <class C>
  auto topk_kernel(const C*) const {
    return table().lowp.topk_of<C>();
  }

  // Every score within the bound of the reference on the widened values, exactly +0 where the
  // reference gives +0 (a query or row without direction); returns the kernel's scores.
  template <class C>
  std::vector<float> check(const float* q, const C* c, size_t dim, size_t n,
                           const std::string& what) {
    std::vector<float> expected(n, -7.0f), actual(n + 1, -7.0f);
    ek::ref::cosine_of(q, c, expected.data(), dim, n);
    kernel(c)(q, c, actual.data(), dim, n);
    for (size_t j = 0; j < n; ++j) {
      if (same_bits(expected[j], 0.0f)) {
        // +0 from the reference may also be a genuine orthogonal pair: only a zero, empty or
        // non-finite input must give +0 exactly, and the kernel gives it exactly then.
        EXPECT_LE(std::abs(actual[j]), cosine_bound(dim)) << what << " dim " << dim << " " << j;
        continue;
      }
      EXPECT_LE(std::abs(double(actual[j]) - double(expected[j])), cosine_bound(dim))
          << what << " dim " << dim << " candidate " << j << ": " << actual[j] << " vs "
          << expected[j];
    }
    EXPECT_EQ(actual[n], -7.0f) << what << ": wrote past its scores";
    actual.pop_back();
    return actual;
  }

  // The top-k against select_topk of the same ISA's similarity scores: the same indices and bits.
  template <class C>
  void check_topk(const float* queries, size_t nq, const C* c, size_t n, size_t dim, size_t k,
                  const std::string& what) {
    std::vector<uint32_t> index(nq * k + 1, 0xA5A5A5A5u), want_index(k);
    std::vector<float> score(nq * k + 1, -7.0f), want_score(k), single(n);
    topk_kernel(c)(queries, nq, c, n, dim, k, index.data(), score.data());
    for (size_t i = 0; i < nq; ++i) {
      kernel(c)(queries + i * dim, c, single.data(), dim, n);
      ek::ref::select_topk(single.data(), n, k, want_index.data(), want_score.data());
      for (size_t r = 0; r < k; ++r) {
        ASSERT_EQ(index[i * k + r], want_index[r])
            << what << " dim " << dim << " n " << n << " k " << k << " query " << i;
        ASSERT_TRUE(same_bits(score[i * k + r], want_score[r]))
            << what << " dim " << dim << " query " << i << " rank " << r;
      }
    }
    EXPECT_EQ(index[nq * k], 0xA5A5A5A5u) << what << ": wrote past its rows";
  }
};

TEST_P(CompactCandidates, SimilarityMatchesTheReferenceOnEveryFamilyAndDim) {
  size_t i = 0;
  for (cosine_family family : ek::harness::all_cosine_families) {
    for (size_t dim : test_dims()) {
      const size_t n = 1 + i % 11;
      const auto w = ek::harness::make_cosine(family, dim, n, 3000 + i);
      const std::string what = ek::harness::to_string(family);
      check(w.query.data(), to_bf16(w.candidates).data(), dim, n, what + " bf16");
      check(w.query.data(), to_i8(w.candidates, dim).data(), dim, n, what + " i8");
      ++i;
    }
  }
}

TEST_P(CompactCandidates, NonFiniteZeroAndEmptyRowsScorePositiveZero) {
  for (size_t dim : {1, 7, 16, 17, 768}) {
    const auto w = ek::harness::make_cosine(cosine_family::gaussian, dim, 6, dim);
    auto bf = to_bf16(w.candidates);
    bf[1 * dim + dim / 2] = ek::ref::to_bf16(kNaN);
    bf[2 * dim] = ek::ref::to_bf16(-kInf);
    std::fill_n(bf.begin() + 3 * dim, dim, ek::ref::to_bf16(-0.0f));
    auto i8 = to_i8(w.candidates, dim);
    std::fill_n(i8.begin() + 3 * dim, dim, int8_t{0});
    const auto s_bf = check(w.query.data(), bf.data(), dim, 6, "special bf16");
    const auto s_i8 = check(w.query.data(), i8.data(), dim, 6, "special i8");
    for (size_t j : {1, 2, 3}) EXPECT_TRUE(same_bits(s_bf[j], 0.0f)) << "bf16 row " << j;
    EXPECT_TRUE(same_bits(s_i8[3], 0.0f));
    // A query without direction scores every row +0.
    std::vector<float> zero_query(dim, 0.0f), s(6, -7.0f);
    table().lowp.cosine_bf16(zero_query.data(), bf.data(), s.data(), dim, 6);
    for (float x : s) EXPECT_TRUE(same_bits(x, 0.0f));
    std::vector<float> nan_query(dim, 1.0f);
    nan_query[0] = kNaN;
    table().lowp.cosine_i8(nan_query.data(), i8.data(), s.data(), dim, 6);
    for (float x : s) EXPECT_TRUE(same_bits(x, 0.0f));
  }
  std::vector<float> s(3, -7.0f);
  const uint16_t none_bf = 0;
  table().lowp.cosine_bf16(nullptr, &none_bf, s.data(), 0, 3);
  for (float x : s) EXPECT_TRUE(same_bits(x, 0.0f)) << "empty vectors";
}

TEST_P(CompactCandidates, IntegerSumsGiveTheReferenceBits) {
  // Queries of integers in [-32, 32] and int8 rows: every f32 partial sum (|q c| <= 4064, 768
  // terms < 2^24) and every sum of squares (127^2 * 768 < 2^24) is exact, and the quotient is
  // finished in double as the reference does, so the scores are the reference's bits.
  ek::harness::prng rng(7);
  for (size_t dim : {1, 5, 16, 31, 64, 300, 768}) {
    const size_t n = 9;
    std::vector<float> q(dim);
    std::vector<int8_t> c(n * dim);
    for (float& x : q) x = float(int(rng.next() % 65) - 32);
    for (int8_t& x : c) x = int8_t(int(rng.next() % 255) - 127);
    std::vector<float> expected(n), actual(n);
    ek::ref::cosine_i8(q.data(), c.data(), expected.data(), dim, n);
    table().lowp.cosine_i8(q.data(), c.data(), actual.data(), dim, n);
    for (size_t j = 0; j < n; ++j)
      EXPECT_TRUE(same_bits(actual[j], expected[j]))
          << "dim " << dim << " " << j << ": " << actual[j] << " vs " << expected[j];
  }
}

TEST_P(CompactCandidates, TopkIsTheExactSelectionOfTheSimilarityScores) {
  size_t seed = 0;
  for (size_t dim : {3, 16, 17, 64, 768}) {
    for (size_t n : {1, 9, 300}) {
      for (size_t k : {1, 5, 300, 301}) {
        ++seed;
        const size_t nq = 1 + seed % 8;
        const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, nq, n, seed,
                                                      seed % 2 == 0);
        check_topk(w.queries.data(), nq, to_bf16(w.candidates).data(), n, dim, k, "bf16");
        check_topk(w.queries.data(), nq, to_i8(w.candidates, dim).data(), n, dim, k, "i8");
      }
    }
  }
}

TEST_P(CompactCandidates, NeverTouchesBytesOutsideItsBuffers) {
  using ek::harness::guard_side;
  for (const char* rule : ek::kern::test::prefetch_rules) {
    const ek::kern::test::forced_prefetch forced(rule);
    for (guard_side side : {guard_side::after, guard_side::before}) {
      for (size_t dim : {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 67}) {
        const size_t n = 1 + dim % 6, nq = 1 + dim % 3, k = 2;
        const auto w = ek::harness::make_cosine_batch(cosine_family::gaussian, dim, nq, n, dim);
        auto q = ek::harness::guarded_copy<float>(w.queries, side, true);
        const auto bf_values = to_bf16(w.candidates);
        const auto i8_values = to_i8(w.candidates, dim);
        auto bf = ek::harness::guarded_copy<uint16_t>(bf_values, side, true);
        auto i8 = ek::harness::guarded_copy<int8_t>(i8_values, side, true);
        ek::harness::guarded_buffer s(n * sizeof(float), side);
        ek::harness::guarded_buffer idx(nq * k * sizeof(uint32_t), side);
        ek::harness::guarded_buffer top(nq * k * sizeof(float), side);
        const float* qp = q.as<const float>().data();
        table().lowp.cosine_bf16(qp, bf.as<const uint16_t>().data(), s.as<float>().data(), dim, n);
        table().lowp.cosine_i8(qp, i8.as<const int8_t>().data(), s.as<float>().data(), dim, n);
        table().lowp.topk_bf16(qp, nq, bf.as<const uint16_t>().data(), n, dim, k,
                               idx.as<uint32_t>().data(), top.as<float>().data());
        table().lowp.topk_i8(qp, nq, i8.as<const int8_t>().data(), n, dim, k,
                             idx.as<uint32_t>().data(), top.as<float>().data());
      }
    }
  }
}

// ---- conversions -------------------------------------------------------------------------------

float from_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

TEST_P(CompactCandidates, Bf16ConversionIsTheReferenceOnA2To24Sample) {
  // 2^24 patterns: every upper half with the low halves that decide the rounding (0, 1, just
  // below, at and above the tie, all ones), then pseudo-random patterns; at odd offsets into the
  // buffers so every alignment of the vector loop meets them.
  std::vector<float> in;
  in.reserve(size_t{1} << 24);
  for (uint32_t hi = 0; hi < 0x10000; ++hi)
    for (uint32_t lo : {0x0000u, 0x0001u, 0x7fffu, 0x8000u, 0x8001u, 0xffffu})
      in.push_back(from_bits(hi << 16 | lo));
  ek::harness::prng rng(11);
  while (in.size() < (size_t{1} << 24)) in.push_back(from_bits(uint32_t(rng.next())));
  std::vector<uint16_t> got(in.size() + 2, 0xAAAA), want(in.size());
  ek::ref::convert_to_bf16(in.data(), want.data(), in.size());
  table().lowp.convert_bf16(in.data() + 1, got.data() + 1, in.size() - 1);
  EXPECT_EQ(got[0], 0xAAAA);
  EXPECT_EQ(got[in.size()], 0xAAAA);
  size_t wrong = 0;
  for (size_t i = 1; i < in.size(); ++i) wrong += got[i] != want[i];
  EXPECT_EQ(wrong, 0u);
}

TEST(Bf16Rounding, SpecialValuesAndTies) {
  using ek::ref::to_bf16;
  EXPECT_EQ(to_bf16(kInf), 0x7f80);
  EXPECT_EQ(to_bf16(-kInf), 0xff80);
  EXPECT_EQ(to_bf16(0.0f), 0x0000);
  EXPECT_EQ(to_bf16(-0.0f), 0x8000);
  EXPECT_EQ(to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(to_bf16(from_bits(0x3f808000)), 0x3f80);              // tie, even stays
  EXPECT_EQ(to_bf16(from_bits(0x3f818000)), 0x3f82);              // tie, odd rounds up to even
  EXPECT_EQ(to_bf16(from_bits(0x3f808001)), 0x3f81);              // above the tie
  EXPECT_EQ(to_bf16(std::numeric_limits<float>::max()), 0x7f80);  // past the largest: Inf
  EXPECT_EQ(to_bf16(from_bits(0x00000001)), 0x0000);              // least subnormal rounds to 0
  EXPECT_EQ(to_bf16(from_bits(0x00008000)), 0x0000);              // subnormal tie to even
  EXPECT_EQ(to_bf16(from_bits(0x00018000)), 0x0002);
  EXPECT_EQ(to_bf16(from_bits(0x7f800001)), 0x7fc0);  // signaling NaN, low payload: quiet
  EXPECT_EQ(to_bf16(from_bits(0xffa00000)), 0xffe0);  // signaling NaN: sign and payload kept
  EXPECT_EQ(to_bf16(kNaN) & 0x7fc0, 0x7fc0);
  for (uint32_t hi = 0; hi < 0x10000; ++hi)
    EXPECT_TRUE(same_bits(ek::ref::widen_bf16(uint16_t(hi)), from_bits(hi << 16)));
}

TEST_P(CompactCandidates, QuantizationIsTheReference) {
  for (const char* rule : ek::kern::test::quotient_rules) {
    const ek::kern::test::forced_quotient forced(rule);
    SCOPED_TRACE(rule);
    for (size_t dim : {0, 1, 5, 16, 17, 33, 768}) {
      for (cosine_family family : {cosine_family::gaussian, cosine_family::cauchy,
                                   cosine_family::extreme, cosine_family::zero}) {
        const size_t rows = 7;
        auto w = ek::harness::make_cosine(family, dim, rows, dim + 17);
        auto& x = w.candidates;
        // Ties: a row whose max is 127 has scale 1, so k + 0.5 must round to the even k.
        if (dim >= 4)
          for (size_t i = 0; i < dim; ++i) x[i] = i == 0 ? 127.0f : float(int(i % 9) - 4) + 0.5f;
        std::vector<int8_t> got(rows * dim + 1, 99), want(rows * dim);
        std::vector<float> got_scale(rows + 1, -1.0f), want_scale(rows);
        ASSERT_TRUE(ek::ref::quantize_i8(x.data(), dim, rows, want.data(), want_scale.data()));
        ASSERT_TRUE(table().lowp.quantize_i8(x.data(), dim, rows, got.data(), got_scale.data()));
        for (size_t i = 0; i < rows * dim; ++i)
          ASSERT_EQ(got[i], want[i]) << "dim " << dim << " element " << i;
        for (size_t r = 0; r < rows; ++r) EXPECT_TRUE(same_bits(got_scale[r], want_scale[r]));
        EXPECT_EQ(got[rows * dim], 99);
        EXPECT_EQ(got_scale[rows], -1.0f);
        if (dim >= 4) {  // 127, -2.5, -1.5, -0.5 with scale 1: ties go to the even integer
          EXPECT_EQ(want_scale[0], 1.0f);
          EXPECT_EQ(got[0], 127);
          EXPECT_EQ(got[1], -2);
          EXPECT_EQ(got[2], -2);
          EXPECT_EQ(got[3], 0);
        }
      }
    }
  }
}

// The conversions align their loads to the input (head_of): the head and the tail of every row
// (quantize) or call (bf16) take their own path. Inputs at every float offset within a vector,
// with dims around one and a few vectors, and for int8 a row whose scale is subnormal (the
// clamped element loop) among them.
TEST_P(CompactCandidates, ConversionsAtEveryAlignmentAreTheReference) {
  for (const char* rule : ek::kern::test::quotient_rules) {
    const ek::kern::test::forced_quotient forced(rule);
    SCOPED_TRACE(rule);
    constexpr size_t max_offset = 16;  // floats in the widest vector
    for (size_t dim : {1, 15, 16, 17, 31, 32, 33, 47, 100, 768}) {
      const size_t rows = 3;
      auto x = ek::harness::make_cosine(cosine_family::gaussian, dim, rows, dim).candidates;
      for (size_t i = 0; i < dim; ++i) x[dim + i] = std::ldexp(float(int(i % 11) - 5), -140);
      if (dim > 1) x[2 * dim + 1] = kNaN;  // for bf16; int8 gets its own copy without it
      std::vector<uint16_t> want_bf16(x.size());
      ek::ref::convert_to_bf16(x.data(), want_bf16.data(), x.size());
      std::vector<float> finite = x;
      for (float& v : finite) v = std::isfinite(v) ? v : 1.0f;
      std::vector<int8_t> want_i8(x.size());
      std::vector<float> want_scale(rows);
      ASSERT_TRUE(
          ek::ref::quantize_i8(finite.data(), dim, rows, want_i8.data(), want_scale.data()));
      for (size_t offset = 0; offset < max_offset; ++offset) {
        std::vector<float> in(x.size() + max_offset), in_finite(x.size() + max_offset);
        std::copy(x.begin(), x.end(), in.begin() + offset);
        std::copy(finite.begin(), finite.end(), in_finite.begin() + offset);
        std::vector<uint16_t> got_bf16(x.size() + 1, 0xAAAA);
        table().lowp.convert_bf16(in.data() + offset, got_bf16.data(), x.size());
        std::vector<int8_t> got_i8(x.size() + 1, 99);
        std::vector<float> got_scale(rows);
        ASSERT_TRUE(table().lowp.quantize_i8(in_finite.data() + offset, dim, rows, got_i8.data(),
                                             got_scale.data()));
        for (size_t i = 0; i < x.size(); ++i) {
          ASSERT_EQ(got_bf16[i], want_bf16[i])
              << "dim " << dim << " offset " << offset << " at " << i;
          ASSERT_EQ(got_i8[i], want_i8[i]) << "dim " << dim << " offset " << offset << " at " << i;
        }
        EXPECT_EQ(got_bf16[x.size()], 0xAAAA);
        EXPECT_EQ(got_i8[x.size()], 99);
        for (size_t r = 0; r < rows; ++r) EXPECT_TRUE(same_bits(got_scale[r], want_scale[r]));
      }
    }
  }
}

TEST_P(CompactCandidates, QuantizationRefusesNonFiniteAndWritesNothing) {
  for (const char* rule : ek::kern::test::quotient_rules) {
    const ek::kern::test::forced_quotient forced(rule);
    SCOPED_TRACE(rule);
    for (float bad : {kNaN, kInf, -kInf}) {
      std::vector<float> x(3 * 20, 0.5f);
      x[2 * 20 + 19] = bad;  // the last element of the last row
      std::vector<int8_t> out(x.size(), 99);
      std::vector<float> scales(3, -1.0f);
      EXPECT_FALSE(table().lowp.quantize_i8(x.data(), 20, 3, out.data(), scales.data()));
      for (int8_t v : out) EXPECT_EQ(v, 99);
      for (float s : scales) EXPECT_EQ(s, -1.0f);
    }
  }
}

// The CPU rule by vendor and family, the names, and the process-wide switch the tests force.
TEST(QuotientRule, TheCpuRuleByVendorAndFamilyAndTheSwitch) {
  using ek::kern::quotient_rule;
  ek::kern::cpu_info c;
  c.vendor = "AuthenticAMD";
  c.family = 26;  // Zen 5, where it was measured
  EXPECT_EQ(ek::kern::preferred_quotient_rule(c).rule, quotient_rule::divide);
  c.family = 25;  // Zen 3 and Zen 4
  EXPECT_EQ(ek::kern::preferred_quotient_rule(c).rule, quotient_rule::reciprocal);
  c.vendor = "GenuineIntel";
  c.family = 6;
  EXPECT_EQ(ek::kern::preferred_quotient_rule(c).rule, quotient_rule::reciprocal);
  EXPECT_EQ(ek::kern::parse_quotient_rule("divide"), quotient_rule::divide);
  EXPECT_EQ(ek::kern::parse_quotient_rule("reciprocal"), quotient_rule::reciprocal);
  EXPECT_FALSE(ek::kern::parse_quotient_rule("Divide"));
  for (const char* name : ek::kern::test::quotient_rules) {
    ASSERT_EQ(ek::kern::set_quotient_rule(name), ENGRAM_OK);
    EXPECT_STREQ(ek::kern::quotient_rule_name(ek::kern::active_quotient_rule()), name);
    EXPECT_EQ(ek::kern::active_quotient_source(), ENGRAM_ISA_API);
  }
  EXPECT_EQ(ek::kern::set_quotient_rule("fast"), ENGRAM_ERR_INVALID_PARAM);
  EXPECT_EQ(ek::kern::active_quotient_rule(), quotient_rule::divide);
  ASSERT_EQ(ek::kern::set_quotient_rule(nullptr), ENGRAM_OK);
  EXPECT_EQ(ek::kern::active_quotient_source(), ENGRAM_ISA_AUTO);
  EXPECT_EQ(ek::kern::active_quotient_rule(),
            ek::kern::preferred_quotient_rule(ek::kern::cpu()).rule);
}

INSTANTIATE_TEST_SUITE_P(Isa, CompactCandidates, ek::kern::test::runnable_isa_values(),
                         ek::kern::test::isa_name);

}  // namespace
