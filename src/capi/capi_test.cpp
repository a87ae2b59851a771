// capi_test.cpp — the C ABI: argument validation with each failure's own status and the
// documented precedence, output bytes untouched on every error, graph handles, status names,
// version, ISA controls and arena statistics.
#include "engram_kern.h"

#include "src/harness/owned_graph.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

/// A buffer filled with a sentinel byte pattern, and a check that no byte of it changed.
template <class T>
struct sentinel_buffer {
  explicit sentinel_buffer(size_t n) : data(n) { std::memset(data.data(), 0xA5, n * sizeof(T)); }
  bool untouched() const {
    std::vector<unsigned char> pattern(data.size() * sizeof(T), 0xA5);
    return std::memcmp(data.data(), pattern.data(), pattern.size()) == 0;
  }
  std::vector<T> data;
};

// ---- cosine ------------------------------------------------------------------------------------

TEST(CapiSimilarity, EveryErrorHasItsStatusAndWritesNothing) {
  const std::vector<float> q{1, 2}, c{1, 0, 0, 1, 3, 4};
  sentinel_buffer<float> s(3);
  const size_t huge = SIZE_MAX / 2;
  const struct {
    const char* what;
    const float* q;
    const float* c;
    float* s;
    size_t len, n;
    engram_status want;
  } cases[] = {
      {"null query", nullptr, c.data(), s.data.data(), 2, 3, ENGRAM_ERR_NULL_POINTER},
      {"null candidates", q.data(), nullptr, s.data.data(), 2, 3, ENGRAM_ERR_NULL_POINTER},
      {"null beats overflow", nullptr, c.data(), s.data.data(), huge, huge,
       ENGRAM_ERR_NULL_POINTER},
      {"len * n overflows", q.data(), c.data(), s.data.data(), huge, 3, ENGRAM_ERR_SIZE_OVERFLOW},
      {"len * 4 overflows", q.data(), c.data(), s.data.data(), SIZE_MAX / 4 + 1, 1,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"n * 4 overflows", q.data(), c.data(), s.data.data(), 1, SIZE_MAX / 4 + 1,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"beyond PTRDIFF_MAX", q.data(), c.data(), s.data.data(), 1, size_t{PTRDIFF_MAX} / 4 + 1,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"overflow beats overlap", q.data(), c.data(), const_cast<float*>(q.data()), huge, 3,
       ENGRAM_ERR_SIZE_OVERFLOW},
  };
  for (const auto& k : cases) {
    EXPECT_EQ(engram_vector_similarity(k.q, k.c, k.s, k.len, k.n), k.want) << k.what;
    EXPECT_TRUE(s.untouched()) << k.what;
  }
  EXPECT_EQ(engram_vector_similarity(q.data(), c.data(), nullptr, 2, 3), ENGRAM_ERR_NULL_POINTER);
}

TEST(CapiSimilarity, ScoresMustNotOverlapAnyInput) {
  // One buffer holds query, candidates and scores; every overlapping placement is refused.
  sentinel_buffer<float> buf(16);
  float* b = buf.data.data();
  EXPECT_EQ(engram_vector_similarity(b, b + 4, b, 2, 3), ENGRAM_ERR_OVERLAP);      // = query
  EXPECT_EQ(engram_vector_similarity(b, b + 4, b + 1, 2, 3), ENGRAM_ERR_OVERLAP);  // query tail
  EXPECT_EQ(engram_vector_similarity(b, b + 4, b + 6, 2, 3), ENGRAM_ERR_OVERLAP);  // inside cands
  EXPECT_EQ(engram_vector_similarity(b, b + 4, b + 9, 2, 3), ENGRAM_ERR_OVERLAP);  // cands' last
  EXPECT_EQ(engram_vector_similarity(b, b + 4, b + 2, 2, 3), ENGRAM_ERR_OVERLAP);  // into cands
  EXPECT_TRUE(buf.untouched());
}

TEST(CapiSimilarity, AdjacentBuffersAndEmptySizesAreValid) {
  std::vector<float> buf{1, 0, 0, 1, 0, 0, -7, -7};  // query | two candidates | two scores
  EXPECT_EQ(engram_vector_similarity(buf.data(), buf.data() + 2, buf.data() + 6, 2, 2), ENGRAM_OK);
  EXPECT_EQ(buf[6], 0.0f);  // orthogonal
  EXPECT_EQ(buf[7], 0.0f);  // zero candidate
  EXPECT_EQ(engram_vector_similarity(nullptr, nullptr, nullptr, 0, 0), ENGRAM_OK);
  EXPECT_EQ(engram_vector_similarity(nullptr, nullptr, nullptr, 5, 0), ENGRAM_ERR_NULL_POINTER);
  std::vector<float> s(3, -7.0f);
  EXPECT_EQ(engram_vector_similarity(nullptr, nullptr, s.data(), 0, 3), ENGRAM_OK);
  for (float x : s) EXPECT_TRUE(x == 0.0f && !std::signbit(x));
}

// ---- compact candidates: bfloat16 and int8 -----------------------------------------------------

TEST(CapiCompact, SimilarityAndTopkValidateLikeTheFloatForms) {
  const std::vector<float> q{1, 2};
  const std::vector<uint16_t> bf{0x3f80, 0, 0, 0x3f80, 0x4040, 0x4080};  // (1,0) (0,1) (3,4)
  const std::vector<int8_t> i8{1, 0, 0, 1, 3, 4};
  sentinel_buffer<float> s(3);
  const size_t huge = SIZE_MAX / 2;
  EXPECT_EQ(engram_vector_similarity_bf16(nullptr, bf.data(), s.data.data(), 2, 3),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_vector_similarity_i8(q.data(), nullptr, s.data.data(), 2, 3),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_vector_similarity_bf16(q.data(), bf.data(), s.data.data(), huge, 3),
            ENGRAM_ERR_SIZE_OVERFLOW);
  // n * dim elements of one byte fit where four bytes each would not: the int8 form checks its
  // own element size (PTRDIFF_MAX / 2 + 1 int8 candidates of dim 1 still overflow the scores).
  EXPECT_EQ(engram_vector_similarity_i8(q.data(), i8.data(), s.data.data(), 1,
                                        size_t{PTRDIFF_MAX} / 4 + 1),
            ENGRAM_ERR_SIZE_OVERFLOW);
  float* overlap = reinterpret_cast<float*>(const_cast<uint16_t*>(bf.data()));
  EXPECT_EQ(engram_vector_similarity_bf16(q.data(), bf.data(), overlap, 2, 3), ENGRAM_ERR_OVERLAP);
  EXPECT_TRUE(s.untouched());
  EXPECT_EQ(engram_vector_similarity_bf16(q.data(), bf.data(), s.data.data(), 2, 3), ENGRAM_OK);
  EXPECT_FLOAT_EQ(s.data[0], 1 / std::sqrt(5.0f));
  EXPECT_FLOAT_EQ(s.data[2], 11 / (5 * std::sqrt(5.0f)));
  EXPECT_EQ(engram_vector_similarity_i8(q.data(), i8.data(), s.data.data(), 2, 3), ENGRAM_OK);
  EXPECT_FLOAT_EQ(s.data[1], 2 / std::sqrt(5.0f));

  sentinel_buffer<uint32_t> idx(4);
  sentinel_buffer<float> top(4);
  EXPECT_EQ(engram_vector_topk_bf16(q.data(), 2, bf.data(), 3, 1, 2, idx.data.data(), nullptr),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_vector_topk_i8(q.data(), 1, i8.data(), size_t{UINT32_MAX} + 1, 0, 2,
                                  idx.data.data(), top.data.data()),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(engram_vector_topk_i8(q.data(), 1, i8.data(), 3, 2, 2, idx.data.data(),
                                  reinterpret_cast<float*>(idx.data.data())),
            ENGRAM_ERR_OVERLAP);
  EXPECT_TRUE(idx.untouched() && top.untouched());
  EXPECT_EQ(
      engram_vector_topk_i8(q.data(), 1, i8.data(), 3, 2, 2, idx.data.data(), top.data.data()),
      ENGRAM_OK);
  EXPECT_EQ(idx.data[0], 2u);  // (3,4): 11/(5 sqrt 5) = 0.984 beats (0,1): 0.894
  EXPECT_EQ(idx.data[1], 1u);
  EXPECT_EQ(
      engram_vector_topk_bf16(q.data(), 1, bf.data(), 3, 2, 4, idx.data.data(), top.data.data()),
      ENGRAM_OK);
  EXPECT_EQ(idx.data[3], UINT32_MAX);
  EXPECT_EQ(top.data[3], -kInf);
}

TEST(CapiCompact, ConversionsValidateAndRefuseNonFiniteWithoutWriting) {
  const std::vector<float> x{1.0f, -2.5f, 0.0f, 3.0f, 254.0f, -127.0f};
  sentinel_buffer<uint16_t> bf(6);
  EXPECT_EQ(engram_convert_f32_to_bf16(nullptr, bf.data.data(), 6), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_convert_f32_to_bf16(x.data(), bf.data.data(), SIZE_MAX / 2),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(engram_convert_f32_to_bf16(
                x.data(), reinterpret_cast<uint16_t*>(const_cast<float*>(x.data() + 1)), 2),
            ENGRAM_ERR_OVERLAP);
  EXPECT_TRUE(bf.untouched());
  EXPECT_EQ(engram_convert_f32_to_bf16(nullptr, nullptr, 0), ENGRAM_OK);
  EXPECT_EQ(engram_convert_f32_to_bf16(x.data(), bf.data.data(), 6), ENGRAM_OK);
  EXPECT_EQ(bf.data[0], 0x3f80);
  EXPECT_EQ(bf.data[1], 0xc020);

  sentinel_buffer<int8_t> q(6);
  sentinel_buffer<float> scales(2);
  std::vector<float> bad = x;
  bad[5] = kNaN;
  EXPECT_EQ(engram_quantize_i8(bad.data(), 3, 2, q.data.data(), scales.data.data()),
            ENGRAM_ERR_INVALID_INPUT);
  bad[5] = -kInf;
  EXPECT_EQ(engram_quantize_i8(bad.data(), 3, 2, q.data.data(), nullptr), ENGRAM_ERR_INVALID_INPUT);
  EXPECT_EQ(engram_quantize_i8(x.data(), 3, 2, nullptr, scales.data.data()),
            ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_quantize_i8(x.data(), 3, SIZE_MAX / 2, q.data.data(), nullptr),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(engram_quantize_i8(nullptr, SIZE_MAX, 2, nullptr, nullptr), ENGRAM_ERR_NULL_POINTER)
      << "NULL is reported before an overflow";
  EXPECT_EQ(
      engram_quantize_i8(x.data(), 3, 2, q.data.data(), reinterpret_cast<float*>(q.data.data())),
      ENGRAM_ERR_OVERLAP);
  EXPECT_TRUE(q.untouched() && scales.untouched());
  EXPECT_EQ(engram_quantize_i8(x.data(), 3, 2, q.data.data(), scales.data.data()), ENGRAM_OK);
  // Row 0: max 2.5, scale 2.5/127; 1 -> 50.8 -> 51, -2.5 -> -127. Row 1: max 254, scale 2.
  EXPECT_EQ(q.data[0], 51);
  EXPECT_EQ(q.data[1], -127);
  EXPECT_EQ(q.data[2], 0);
  EXPECT_EQ(q.data[3], 2);  // 3 / 2 = 1.5 -> 2 (ties to even)
  EXPECT_EQ(q.data[4], 127);
  EXPECT_EQ(q.data[5], -64);  // -63.5 -> -64 (even)
  EXPECT_EQ(scales.data[1], 2.0f);
  EXPECT_EQ(engram_quantize_i8(nullptr, 0, 2, nullptr, scales.data.data()), ENGRAM_OK);
  EXPECT_EQ(scales.data[0], 0.0f);
}

// ---- batch cosine and top-k --------------------------------------------------------------------

TEST(CapiBatch, EveryErrorHasItsStatusAndWritesNothing) {
  const std::vector<float> q{1, 2, 3, 4}, c{1, 0, 0, 1, 3, 4};  // 2 queries, 3 candidates, dim 2
  sentinel_buffer<float> s(6);
  const size_t huge = SIZE_MAX / 2;
  float* out = s.data.data();
  const struct {
    const char* what;
    const float* q;
    size_t nq;
    const float* c;
    size_t n, dim;
    float* s;
    engram_status want;
  } cases[] = {
      {"null queries", nullptr, 2, c.data(), 3, 2, out, ENGRAM_ERR_NULL_POINTER},
      {"null candidates", q.data(), 2, nullptr, 3, 2, out, ENGRAM_ERR_NULL_POINTER},
      {"null scores", q.data(), 2, c.data(), 3, 2, nullptr, ENGRAM_ERR_NULL_POINTER},
      {"null beats overflow", nullptr, huge, c.data(), huge, huge, out, ENGRAM_ERR_NULL_POINTER},
      {"nq * dim overflows", q.data(), huge, c.data(), 3, 4, out, ENGRAM_ERR_SIZE_OVERFLOW},
      {"n * dim overflows", q.data(), 2, c.data(), huge, 4, out, ENGRAM_ERR_SIZE_OVERFLOW},
      {"nq * n overflows", q.data(), huge, c.data(), huge, 1, out, ENGRAM_ERR_SIZE_OVERFLOW},
      {"scores beyond PTRDIFF_MAX", q.data(), size_t{PTRDIFF_MAX} / 8 + 1, c.data(), 2, 1, out,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"overflow beats overlap", q.data(), huge, c.data(), 3, 4, const_cast<float*>(q.data()),
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"scores over queries", q.data(), 2, c.data(), 3, 2, const_cast<float*>(q.data() + 3),
       ENGRAM_ERR_OVERLAP},
      {"scores over candidates", q.data(), 2, c.data(), 3, 2, const_cast<float*>(c.data()),
       ENGRAM_ERR_OVERLAP},
  };
  for (const auto& k : cases) {
    EXPECT_EQ(engram_vector_similarity_batch(k.q, k.nq, k.c, k.n, k.dim, k.s), k.want) << k.what;
    EXPECT_TRUE(s.untouched()) << k.what;
  }
  // Valid: each row is what the single-query call gives.
  ASSERT_EQ(engram_vector_similarity_batch(q.data(), 2, c.data(), 3, 2, out), ENGRAM_OK);
  for (size_t i = 0; i < 2; ++i) {
    float single[3];
    ASSERT_EQ(engram_vector_similarity(q.data() + 2 * i, c.data(), single, 2, 3), ENGRAM_OK);
    for (size_t j = 0; j < 3; ++j) EXPECT_EQ(out[3 * i + j], single[j]);
  }
  // Empty shapes need no buffers; dim 0 scores +0.
  EXPECT_EQ(engram_vector_similarity_batch(nullptr, 0, nullptr, 0, 0, nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_vector_similarity_batch(nullptr, 0, c.data(), 3, 2, nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_vector_similarity_batch(q.data(), 2, nullptr, 0, 2, nullptr), ENGRAM_OK);
  std::vector<float> zero(6, -7.0f);
  EXPECT_EQ(engram_vector_similarity_batch(nullptr, 2, nullptr, 3, 0, zero.data()), ENGRAM_OK);
  for (float x : zero) EXPECT_TRUE(x == 0.0f && !std::signbit(x));
}

TEST(CapiTopk, EveryErrorHasItsStatusAndWritesNothing) {
  const std::vector<float> q{1, 2, 3, 4}, c{1, 0, 0, 1, 3, 4};  // 2 queries, 3 candidates, dim 2
  sentinel_buffer<uint32_t> idx(8);
  sentinel_buffer<float> sc(8);
  const size_t huge = SIZE_MAX / 2;
  uint32_t* i_out = idx.data.data();
  float* s_out = sc.data.data();
  const struct {
    const char* what;
    const float* q;
    size_t nq;
    const float* c;
    size_t n, dim, k;
    uint32_t* idx;
    float* sc;
    engram_status want;
  } cases[] = {
      {"null queries", nullptr, 2, c.data(), 3, 2, 2, i_out, s_out, ENGRAM_ERR_NULL_POINTER},
      {"null candidates", q.data(), 2, nullptr, 3, 2, 2, i_out, s_out, ENGRAM_ERR_NULL_POINTER},
      {"null index", q.data(), 2, c.data(), 3, 2, 2, nullptr, s_out, ENGRAM_ERR_NULL_POINTER},
      {"null score", q.data(), 2, c.data(), 3, 2, 2, i_out, nullptr, ENGRAM_ERR_NULL_POINTER},
      {"null beats overflow", nullptr, huge, c.data(), 3, huge, 2, i_out, s_out,
       ENGRAM_ERR_NULL_POINTER},
      {"nq * dim overflows", q.data(), huge, c.data(), 3, 4, 2, i_out, s_out,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"n * dim overflows", q.data(), 2, c.data(), huge, 4, 2, i_out, s_out,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"nq * k overflows", q.data(), huge, c.data(), 3, 1, huge, i_out, s_out,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"k * 4 beyond PTRDIFF_MAX", q.data(), 1, c.data(), 3, 2, size_t{PTRDIFF_MAX} / 4 + 1, i_out,
       s_out, ENGRAM_ERR_SIZE_OVERFLOW},
      {"n > UINT32_MAX", q.data(), 1, c.data(), size_t{UINT32_MAX} + 1, 1, 2, i_out, s_out,
       ENGRAM_ERR_SIZE_OVERFLOW},
      {"overflow beats overlap", q.data(), huge, c.data(), 3, 4, 2,
       reinterpret_cast<uint32_t*>(const_cast<float*>(q.data())), s_out, ENGRAM_ERR_SIZE_OVERFLOW},
      {"index over queries", q.data(), 2, c.data(), 3, 2, 2,
       reinterpret_cast<uint32_t*>(const_cast<float*>(q.data() + 2)), s_out, ENGRAM_ERR_OVERLAP},
      {"index over candidates", q.data(), 2, c.data(), 3, 2, 2,
       reinterpret_cast<uint32_t*>(const_cast<float*>(c.data() + 5)), s_out, ENGRAM_ERR_OVERLAP},
      {"score over queries", q.data(), 2, c.data(), 3, 2, 2, i_out, const_cast<float*>(q.data()),
       ENGRAM_ERR_OVERLAP},
      {"score over candidates", q.data(), 2, c.data(), 3, 2, 2, i_out,
       const_cast<float*>(c.data() + 2), ENGRAM_ERR_OVERLAP},
      {"index over score", q.data(), 2, c.data(), 3, 2, 2, i_out,
       reinterpret_cast<float*>(i_out + 3), ENGRAM_ERR_OVERLAP},
  };
  for (const auto& t : cases) {
    EXPECT_EQ(engram_vector_topk(t.q, t.nq, t.c, t.n, t.dim, t.k, t.idx, t.sc), t.want) << t.what;
    EXPECT_TRUE(idx.untouched()) << t.what;
    EXPECT_TRUE(sc.untouched()) << t.what;
  }
  // k = 0 and num_queries = 0 are valid, need no output buffers and write nothing.
  EXPECT_EQ(engram_vector_topk(q.data(), 2, c.data(), 3, 2, 0, nullptr, nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_vector_topk(q.data(), 0, c.data(), 3, 2, 4, nullptr, nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_vector_topk(q.data(), 2, c.data(), 3, 2, 0, i_out, s_out), ENGRAM_OK);
  EXPECT_EQ(engram_vector_topk(q.data(), 0, c.data(), 3, 2, 4, i_out, s_out), ENGRAM_OK);
  EXPECT_TRUE(idx.untouched() && sc.untouched());
}

TEST(CapiTopk, BestFirstTiesToTheLowerIndexAndPaddingPastN) {
  // Query (1, 0): candidates (1, 0) and (2, 0) both score 1, (0, 1) scores 0, (-1, 0) scores -1.
  const std::vector<float> q{1, 0}, c{0, 1, 2, 0, -1, 0, 1, 0};
  std::vector<uint32_t> idx(6);
  std::vector<float> sc(6);
  ASSERT_EQ(engram_vector_topk(q.data(), 1, c.data(), 4, 2, 6, idx.data(), sc.data()), ENGRAM_OK);
  const uint32_t want_idx[] = {1, 3, 0, 2, UINT32_MAX, UINT32_MAX};
  const float want_sc[] = {1, 1, 0, -1, -kInf, -kInf};
  for (size_t r = 0; r < 6; ++r) {
    EXPECT_EQ(idx[r], want_idx[r]) << r;
    EXPECT_EQ(sc[r], want_sc[r]) << r;
  }
  // A NaN candidate scores 0 like every vector without a direction, and ranks as a 0.
  const std::vector<float> c2{kNaN, 1, -1, 0, 0, 1};
  ASSERT_EQ(engram_vector_topk(q.data(), 1, c2.data(), 3, 2, 3, idx.data(), sc.data()), ENGRAM_OK);
  EXPECT_EQ(idx[0], 0u);  // 0 ties with candidate 2's 0 and wins by index
  EXPECT_EQ(idx[1], 2u);
  EXPECT_EQ(idx[2], 1u);
}

// ---- decay -------------------------------------------------------------------------------------

TEST(CapiDecay, DefaultsAreTheDocumentedOnes) {
  const engram_decay_params d = engram_decay_params_default();
  EXPECT_EQ(d.struct_size, sizeof(engram_decay_params));
  EXPECT_EQ(d.family, uint32_t{ENGRAM_DECAY_EXPONENTIAL});
  EXPECT_EQ(d.tau_seconds, 86400.0);
  EXPECT_EQ(d.beta, 1.0);
  EXPECT_EQ(d.switch_seconds, 86400.0);
  EXPECT_EQ(d.floor, 0.0);
  EXPECT_EQ(d.tau_per_memory, nullptr);
  // NULL params means exactly these.
  std::vector<float> a{1, 0.5f, -1, 0.25f}, b = a;
  const std::vector<uint64_t> ages{0, 3600, 86400, 10000000};
  ASSERT_EQ(engram_apply_decay(a.data(), ages.data(), a.size(), nullptr), ENGRAM_OK);
  ASSERT_EQ(engram_apply_decay(b.data(), ages.data(), b.size(), &d), ENGRAM_OK);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a[0], 1.0f);
  EXPECT_LT(a[1], 0.5f);
}

TEST(CapiDecay, EveryInvalidParameterIsRefusedBeforeAnyWrite) {
  sentinel_buffer<float> s(4);
  const std::vector<uint64_t> ages{1, 2, 3, 4};
  auto expect_refused = [&](const engram_decay_params& p, const char* what) {
    EXPECT_EQ(engram_apply_decay(s.data.data(), ages.data(), 4, &p), ENGRAM_ERR_INVALID_PARAM)
        << what;
    EXPECT_TRUE(s.untouched()) << what;
  };
  const engram_decay_params d = engram_decay_params_default();
  engram_decay_params p = d;
  p.struct_size = sizeof(engram_decay_params) - 1;
  expect_refused(p, "struct_size");
  p = d;
  p.family = 3;
  expect_refused(p, "family");
  for (double bad : {0.0, -1.0, double(kNaN), double(kInf)}) {
    p = d;
    p.tau_seconds = bad;
    expect_refused(p, "tau");
  }
  for (double bad : {-1e-9, double(kNaN), double(kInf)}) {
    p = d;
    p.beta = bad;
    expect_refused(p, "beta");
    p = d;
    p.switch_seconds = bad;
    expect_refused(p, "switch");
  }
  for (double bad : {-0.1, 1.0000001, double(kNaN)}) {
    p = d;
    p.floor = bad;
    expect_refused(p, "floor");
  }
  for (float bad : {0.0f, -0.0f, -1.0f, kNaN, kInf}) {
    const std::vector<float> taus{1.0f, 2.0f, 3.0f, bad};
    p = d;
    p.tau_per_memory = taus.data();
    expect_refused(p, "tau_per_memory");
  }
}

TEST(CapiDecay, NullSizeAndOverlapErrorsInPrecedenceOrder) {
  sentinel_buffer<float> s(4);
  std::vector<uint64_t> ages{1, 2, 3, 4};
  engram_decay_params bad = engram_decay_params_default();
  bad.tau_seconds = -1;
  EXPECT_EQ(engram_apply_decay(nullptr, ages.data(), 4, nullptr), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_apply_decay(s.data.data(), nullptr, 4, nullptr), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_apply_decay(s.data.data(), nullptr, SIZE_MAX, &bad), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_apply_decay(s.data.data(), ages.data(), SIZE_MAX / 8 + 1, nullptr),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(engram_apply_decay(s.data.data(), ages.data(), SIZE_MAX / 8 + 1, &bad),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_TRUE(s.untouched());
  EXPECT_EQ(engram_apply_decay(nullptr, nullptr, 0, nullptr), ENGRAM_OK);

  // Strengths overlapping the ages (the same bytes, or a partial overlap), and the per-memory
  // tau: OVERLAP, ahead of the invalid tau.
  sentinel_buffer<uint64_t> shared(4);
  auto* as_floats = reinterpret_cast<float*>(shared.data.data());
  EXPECT_EQ(engram_apply_decay(as_floats, shared.data.data(), 4, &bad), ENGRAM_ERR_OVERLAP);
  EXPECT_EQ(engram_apply_decay(as_floats + 1, shared.data.data(), 2, nullptr), ENGRAM_ERR_OVERLAP);
  EXPECT_TRUE(shared.untouched());
  engram_decay_params per_memory = bad;
  per_memory.tau_per_memory = s.data.data() + 2;
  EXPECT_EQ(engram_apply_decay(s.data.data(), ages.data(), 4, &per_memory), ENGRAM_ERR_OVERLAP);
  // struct_size gates every other field: a too-small struct is refused before its tau pointer
  // is even looked at.
  per_memory.struct_size = 8;
  EXPECT_EQ(engram_apply_decay(s.data.data(), ages.data(), 4, &per_memory),
            ENGRAM_ERR_INVALID_PARAM);
  EXPECT_TRUE(s.untouched());
}

TEST(CapiDecay, PerMemoryTauAndTheFloorAreApplied) {
  const std::vector<float> taus{1.0f, 2.0f};
  engram_decay_params p = engram_decay_params_default();
  p.tau_per_memory = taus.data();
  std::vector<float> s{1.0f, 1.0f};
  const std::vector<uint64_t> ages{1000, 2000};  // 1000 tau each: R underflows to 0
  ASSERT_EQ(engram_apply_decay(s.data(), ages.data(), 2, &p), ENGRAM_OK);
  EXPECT_EQ(s, (std::vector<float>{0.0f, 0.0f}));
  p.floor = 0.5;
  s = {1.0f, -0.5f};
  ASSERT_EQ(engram_apply_decay(s.data(), ages.data(), 2, &p), ENGRAM_OK);
  EXPECT_EQ(s, (std::vector<float>{0.5f, -0.25f}));
}

// ---- graph and spreading -----------------------------------------------------------------------

using ek::harness::create_graph;
using ek::harness::owned_graph;

// 0 -> 1 (w 0.5), 0 -> 2 (w 0.3)
const std::vector<uint64_t> kOffsets{0, 2, 2, 2};
const std::vector<uint32_t> kTargets{1, 2};
const std::vector<float> kWeights{0.5f, 0.3f};

TEST(CapiGraph, CreateValidatesAndReportsSizes) {
  owned_graph h;
  ASSERT_EQ(create_graph(3, kOffsets.data(), kTargets.data(), kWeights.data(), 2, h), ENGRAM_OK);
  ASSERT_NE(h.get(), nullptr);
  EXPECT_EQ(engram_graph_num_nodes(h.get()), 3u);
  EXPECT_EQ(engram_graph_num_edges(h.get()), 2u);
  EXPECT_EQ(engram_graph_num_nodes(nullptr), 0u);
  EXPECT_EQ(engram_graph_num_edges(nullptr), 0u);
  engram_graph_destroy(nullptr);
}

TEST(CapiGraph, EveryInvalidGraphIsRefusedWithANullHandle) {
  EXPECT_EQ(engram_graph_create(3, kOffsets.data(), kTargets.data(), kWeights.data(), 2, nullptr),
            ENGRAM_ERR_NULL_POINTER);
  auto refused = [](size_t n, const uint64_t* off, const uint32_t* t, const float* w, size_t e) {
    engram_graph* out = reinterpret_cast<engram_graph*>(uintptr_t{0xA5A5A5A5});
    const engram_status status = engram_graph_create(n, off, t, w, e, &out);
    EXPECT_EQ(out, nullptr);  // the header's promise: *out is NULL on every error
    return status;
  };
  EXPECT_EQ(refused(3, nullptr, kTargets.data(), kWeights.data(), 2), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(refused(0, nullptr, nullptr, nullptr, 0), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(refused(3, kOffsets.data(), nullptr, kWeights.data(), 2), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(refused(3, kOffsets.data(), kTargets.data(), nullptr, 2), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(refused(size_t{UINT32_MAX} + 1, kOffsets.data(), kTargets.data(), kWeights.data(), 2),
            ENGRAM_ERR_SIZE_OVERFLOW);
  EXPECT_EQ(refused(3, kOffsets.data(), kTargets.data(), kWeights.data(), SIZE_MAX),
            ENGRAM_ERR_SIZE_OVERFLOW);
  const std::vector<uint64_t> first_not_zero{1, 2, 2, 2}, decreasing{0, 2, 1, 2},
      short_end{0, 2, 2, 1};
  EXPECT_EQ(refused(3, first_not_zero.data(), kTargets.data(), kWeights.data(), 2),
            ENGRAM_ERR_INVALID_GRAPH);
  EXPECT_EQ(refused(3, decreasing.data(), kTargets.data(), kWeights.data(), 2),
            ENGRAM_ERR_INVALID_GRAPH);
  EXPECT_EQ(refused(3, short_end.data(), kTargets.data(), kWeights.data(), 2),
            ENGRAM_ERR_INVALID_GRAPH);
  const std::vector<uint32_t> out_of_range{1, 3};
  EXPECT_EQ(refused(3, kOffsets.data(), out_of_range.data(), kWeights.data(), 2),
            ENGRAM_ERR_INVALID_GRAPH);
  for (float bad : {kNaN, kInf, -kInf}) {
    const std::vector<float> w{0.5f, bad};
    EXPECT_EQ(refused(3, kOffsets.data(), kTargets.data(), w.data(), 2), ENGRAM_ERR_INVALID_GRAPH);
  }
}

engram_spread_params spread_params(uint32_t mode, uint32_t steps, float decay, float threshold) {
  return {sizeof(engram_spread_params), mode, steps, decay, threshold};
}

TEST(CapiSpread, DefaultsAndAHandComputedHop) {
  const engram_spread_params d = engram_spread_params_default();
  EXPECT_EQ(d.struct_size, sizeof(engram_spread_params));
  EXPECT_EQ(d.mode, uint32_t{ENGRAM_SPREAD_FRONTIER});
  EXPECT_EQ(d.steps, 3u);
  EXPECT_EQ(d.hop_decay, 0.5f);
  EXPECT_EQ(d.threshold, 0.01f);
  owned_graph h;
  ASSERT_EQ(create_graph(3, kOffsets.data(), kTargets.data(), kWeights.data(), 2, h), ENGRAM_OK);
  std::vector<float> a{1, 0, 0};
  const engram_spread_params one_hop = spread_params(ENGRAM_SPREAD_FRONTIER, 1, 1.0f, 0.0f);
  ASSERT_EQ(engram_spread_activation(h.get(), a.data(), &one_hop), ENGRAM_OK);
  EXPECT_EQ(a, (std::vector<float>{1, 0.5f, 0.3f}));
  a = {1, 0, 0};
  ASSERT_EQ(engram_spread_activation(h.get(), a.data(), nullptr), ENGRAM_OK);
  EXPECT_EQ(a, (std::vector<float>{1, 0.5f * 0.5f, 0.3f * 0.5f}));
}

TEST(CapiSpread, EveryErrorHasItsStatusAndWritesNothing) {
  owned_graph h;
  ASSERT_EQ(create_graph(3, kOffsets.data(), kTargets.data(), kWeights.data(), 2, h), ENGRAM_OK);
  const engram_spread_params good = spread_params(ENGRAM_SPREAD_FRONTIER, 2, 0.5f, 0.0f);
  std::vector<float> a{1, 0.5f, 0};
  EXPECT_EQ(engram_spread_activation(nullptr, a.data(), &good), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_spread_activation(h.get(), nullptr, &good), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(a, (std::vector<float>{1, 0.5f, 0}));

  std::vector<engram_spread_params> bad_params;
  engram_spread_params p = good;
  p.struct_size = sizeof(engram_spread_params) - 4;
  bad_params.push_back(p);
  p = good;
  p.mode = 2;
  bad_params.push_back(p);
  for (float decay : {0.0f, -0.5f, 1.0000001f, kNaN, kInf}) {
    p = good;
    p.hop_decay = decay;
    bad_params.push_back(p);
  }
  for (float threshold : {-0.01f, kNaN, kInf}) {
    for (uint32_t mode : {0u, 1u}) {
      p = spread_params(mode, 2, 0.5f, threshold);
      bad_params.push_back(p);
    }
  }
  // The activations are invalid too: parameters are judged first.
  std::vector<float> bad_input{1, kNaN, 0};
  for (const engram_spread_params& q : bad_params) {
    const std::vector<float> before = a;
    EXPECT_EQ(engram_spread_activation(h.get(), a.data(), &q), ENGRAM_ERR_INVALID_PARAM);
    EXPECT_EQ(engram_spread_activation(h.get(), bad_input.data(), &q), ENGRAM_ERR_INVALID_PARAM);
    EXPECT_EQ(std::memcmp(a.data(), before.data(), sizeof(float) * 3), 0);
  }
  for (float bad : {kNaN, kInf, -kInf, -1e-30f, 1.0000001f, 2.0f}) {
    for (uint32_t mode : {0u, 1u}) {
      std::vector<float> input{1, 0.5f, bad};
      const std::vector<float> copy = input;
      const engram_spread_params q = spread_params(mode, 2, 0.5f, 0.0f);
      EXPECT_EQ(engram_spread_activation(h.get(), input.data(), &q), ENGRAM_ERR_INVALID_INPUT)
          << bad;
      EXPECT_EQ(std::memcmp(input.data(), copy.data(), sizeof(float) * 3), 0) << bad;
    }
  }
}

TEST(CapiSpread, NegativeZeroIsAValidActivationAndAnEmptyGraphNeedsNoBuffer) {
  owned_graph h;
  ASSERT_EQ(create_graph(3, kOffsets.data(), kTargets.data(), kWeights.data(), 2, h), ENGRAM_OK);
  std::vector<float> a{-0.0f, 0, 1};
  EXPECT_EQ(engram_spread_activation(h.get(), a.data(), nullptr), ENGRAM_OK);
  const uint64_t zero = 0;
  owned_graph empty;
  ASSERT_EQ(create_graph(0, &zero, nullptr, nullptr, 0, empty), ENGRAM_OK);
  EXPECT_EQ(engram_spread_activation(empty.get(), nullptr, nullptr), ENGRAM_OK);
}

// ---- status names, version ---------------------------------------------------------------------

TEST(CapiStatus, EveryCodeHasItsOwnName) {
  std::set<std::string> names;
  for (engram_status s = ENGRAM_OK; s <= ENGRAM_ERR_OUT_OF_MEMORY; ++s) {
    ASSERT_NE(engram_status_string(s), nullptr);
    names.insert(engram_status_string(s));
  }
  EXPECT_EQ(names.size(), size_t{ENGRAM_ERR_OUT_OF_MEMORY} + 1);
  EXPECT_EQ(names.count("unknown status"), 0u);
  EXPECT_STREQ(engram_status_string(ENGRAM_OK), "ok");
  for (engram_status s : {-1, ENGRAM_ERR_OUT_OF_MEMORY + 1, INT32_MAX, INT32_MIN})
    EXPECT_STREQ(engram_status_string(s), "unknown status");
}

TEST(CapiVersion, MatchesTheHeaderMacros) {
  EXPECT_EQ(engram_version(), (uint32_t{ENGRAM_KERN_VERSION_MAJOR} << 16) |
                                  (uint32_t{ENGRAM_KERN_VERSION_MINOR} << 8) |
                                  uint32_t{ENGRAM_KERN_VERSION_PATCH});
  EXPECT_EQ(std::string(engram_version_string()), std::to_string(ENGRAM_KERN_VERSION_MAJOR) + "." +
                                                      std::to_string(ENGRAM_KERN_VERSION_MINOR) +
                                                      "." +
                                                      std::to_string(ENGRAM_KERN_VERSION_PATCH));
}

// ---- ISA controls, arena -----------------------------------------------------------------------

TEST(CapiIsa, ForcingListingAndRefusing) {
  size_t count = 0;
  ASSERT_EQ(engram_runnable_isas(nullptr, 0, &count), ENGRAM_OK);
  ASSERT_GE(count, 1u);
  std::vector<const char*> names(count + 2, nullptr);
  size_t again = 0;
  ASSERT_EQ(engram_runnable_isas(names.data(), names.size(), &again), ENGRAM_OK);
  EXPECT_EQ(again, count);
  EXPECT_STREQ(names[0], "reference");
  EXPECT_EQ(names[count], nullptr);  // nothing written past the count
  EXPECT_EQ(engram_runnable_isas(names.data(), 1, nullptr), ENGRAM_ERR_NULL_POINTER);
  EXPECT_EQ(engram_runnable_isas(nullptr, 1, &count), ENGRAM_ERR_NULL_POINTER);

  const std::string before = engram_active_isa();
  EXPECT_EQ(engram_set_isa("avx512x"), ENGRAM_ERR_UNKNOWN_ISA);
  EXPECT_EQ(engram_set_isa(""), ENGRAM_ERR_UNKNOWN_ISA);
  EXPECT_EQ(before, engram_active_isa());  // a refused name changes nothing

  for (size_t i = 0; i < count; ++i) {
    ASSERT_EQ(engram_set_isa(names[i]), ENGRAM_OK) << names[i];
    EXPECT_STREQ(engram_active_isa(), names[i]);
    EXPECT_EQ(engram_active_isa_source(), ENGRAM_ISA_API);
  }
  ASSERT_EQ(engram_set_isa("reference"), ENGRAM_OK);
  EXPECT_STREQ(engram_active_isa(), "reference");
  ASSERT_EQ(engram_set_isa(nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_active_isa_source(), ENGRAM_ISA_AUTO);
  EXPECT_STREQ(engram_active_isa(), names[count - 1]);  // detection picks the best runnable ISA
}

TEST(CapiGather, ForcingRefusingAndReturningToTheCpuChoice) {
  const std::string chosen = engram_active_gather_policy();
  EXPECT_TRUE(chosen == "hardware" || chosen == "lanes" || chosen == "by-size") << chosen;
  EXPECT_EQ(engram_set_gather_policy("gather"), ENGRAM_ERR_INVALID_PARAM);
  EXPECT_EQ(engram_set_gather_policy(""), ENGRAM_ERR_INVALID_PARAM);
  EXPECT_EQ(chosen, engram_active_gather_policy());  // a refused name changes nothing
  for (const char* name : {"hardware", "lanes", "by-size"}) {
    ASSERT_EQ(engram_set_gather_policy(name), ENGRAM_OK) << name;
    EXPECT_STREQ(engram_active_gather_policy(), name);
    EXPECT_EQ(engram_active_gather_policy_source(), ENGRAM_ISA_API);
  }
  ASSERT_EQ(engram_set_gather_policy(nullptr), ENGRAM_OK);
  EXPECT_EQ(engram_active_gather_policy_source(), ENGRAM_ISA_AUTO);
  EXPECT_EQ(chosen, engram_active_gather_policy());
}

TEST(CapiArena, StatisticsAndRelease) {
  engram_arena_stats stats{};
  stats.struct_size = sizeof(engram_arena_stats);
  engram_arena_release();
  ASSERT_EQ(engram_arena_get_stats(&stats), ENGRAM_OK);
  EXPECT_EQ(stats.bytes_reserved, 0u);  // released: the calling thread holds nothing
  EXPECT_EQ(engram_arena_get_stats(nullptr), ENGRAM_ERR_NULL_POINTER);
  sentinel_buffer<engram_arena_stats> small(1);
  small.data[0].struct_size = 0;
  const engram_arena_stats copy = small.data[0];
  EXPECT_EQ(engram_arena_get_stats(small.data.data()), ENGRAM_ERR_INVALID_PARAM);
  EXPECT_EQ(std::memcmp(&copy, small.data.data(), sizeof copy), 0);
}

}  // namespace
