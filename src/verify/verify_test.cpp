// verify_test.cpp — the engine's parts on their own: sweeps cover what they promise and repeat
// per seed, the fault trap, the shrinker on a known failure, case files and the report forms, and
// every runnable table passing a short sweep.
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>
#include <span>

#include <gtest/gtest.h>

#include "kernels/dispatch.hpp"
#include "kernels/topk.hpp"
#include "src/harness/guard_pages.hpp"
#include "src/harness/safetensors.hpp"
#include "src/verify/case_file.hpp"
#include "src/verify/compare.hpp"
#include "src/verify/fault_trap.hpp"
#include "src/verify/report.hpp"
#include "src/verify/shrink.hpp"
#include "src/verify/verify.hpp"

namespace ek::verify {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

TEST(Cases, OneLapVisitsEverySizeAndEveryVariant) {
  for (kernel_kind k : all_kernels) {
    const auto sizes = swept_sizes(k);
    // The bf16 and int8 kinds sweep 0–67, 768 and 1536 only.
    ASSERT_EQ(sizes.size(), harness::compact_type(k) ? 70u : 72u);
    EXPECT_EQ(sizes[67], 67u);
    EXPECT_EQ(sizes[68], 768u);
    EXPECT_EQ(sizes[69], 1536u);
    std::set<std::string> families;
    std::set<uint32_t> offsets;
    for (uint64_t i = 0; i < sizes.size(); ++i) {
      const test_case c = make_case(k, 7, i);
      families.insert(c.family.substr(0, c.family.find('+')) +
                      (k == kernel_kind::spread ? std::to_string(c.spread.params.mode) : ""));
      offsets.insert(c.offset);
      if (k == kernel_kind::cosine) {
        EXPECT_EQ(c.cosine.dim, sizes[i]);
      } else if (k == kernel_kind::decay) {
        EXPECT_EQ(c.decay.strengths.size(), sizes[i]);
      } else if (k == kernel_kind::batch || k == kernel_kind::topk) {
        EXPECT_EQ(c.batch.dim, sizes[i]);
      } else if (harness::compact_type(k)) {
        EXPECT_EQ(c.compact.dim, sizes[i]);
        EXPECT_EQ(c.compact.type, *harness::compact_type(k));
        if (!harness::is_topk(k)) {
          EXPECT_EQ(c.compact.num_queries, 1u);
        }
      }
    }
    // cosine families, decay families, graph × mode, cosine families (batch, top-k, and the bf16
    // and int8 kinds)
    const size_t variants[] = {10, 3, 12, 10, 10, 10, 10, 10, 10};
    EXPECT_EQ(families.size(), variants[static_cast<int>(k)]) << harness::to_string(k);
    EXPECT_EQ(offsets.size(), 16u);
  }
}

// What docs/verify.md promises for batch and top-k, within ten laps of the sizes: query counts of
// 0, 1, one past a query block and several blocks; candidates past one tile; k of 0, 1, below, at
// and above the candidate count; duplicated candidates.
TEST(Cases, MultiQuerySweepReachesEveryShape) {
  constexpr size_t block = kern::batch_query_block;
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 10 * 72; ++i) {
    for (kernel_kind k : {kernel_kind::batch, kernel_kind::topk}) {
      const test_case c = make_case(k, 7, i);
      const auto& w = c.batch;
      ASSERT_EQ(w.queries.size(), w.num_queries * w.dim);
      ASSERT_EQ(w.candidates.size(), w.count * w.dim);
      if (w.num_queries == 0) seen.insert("no query");
      if (w.num_queries == 1) seen.insert("one query");
      if (w.num_queries == block + 1) seen.insert("one past a block");
      if (w.num_queries > 2 * block && w.num_queries % block != 0) seen.insert("partial block");
      if (w.count > kern::batch_tile(w.dim)) seen.insert(w.dim == 768 ? "tiles 768" : "tiles");
      if (c.family.find("+duplicates") != std::string::npos) seen.insert("duplicates");
      if (k != kernel_kind::topk) continue;
      if (w.k == 0) seen.insert("k 0");
      if (w.k == 1 && w.count > 1) seen.insert("k 1");
      if (w.k > 1 && w.k < w.count) seen.insert("k < n");
      if (w.k == w.count && w.count > 1) seen.insert("k n");
      if (w.k > w.count) seen.insert("k > n");
    }
  }
  EXPECT_EQ(seen, (std::set<std::string>{"no query", "one query", "one past a block",
                                         "partial block", "tiles", "tiles 768", "duplicates", "k 0",
                                         "k 1", "k < n", "k n", "k > n"}));
}

// The bf16 and int8 sweeps within ten laps of their sizes: bfloat16 rows keep NaN and ±Inf, int8
// rows have none (and -128 never comes from quantization), zero rows in both, top-k's k shapes.
TEST(Cases, CompactSweepReachesEveryShape) {
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 10 * 70; ++i) {
    for (kernel_kind k : {kernel_kind::cosine_bf16, kernel_kind::cosine_i8, kernel_kind::topk_bf16,
                          kernel_kind::topk_i8}) {
      const test_case c = make_case(k, 7, i);
      const auto& w = c.compact;
      const std::string type = harness::to_string(w.type);
      ASSERT_EQ(w.queries.size(), w.num_queries * w.dim);
      ASSERT_EQ(w.type == harness::element_type::bf16 ? w.bf16.size() : w.i8.size(),
                w.count * w.dim);
      const std::vector<float> rows = harness::widened_candidates(w);
      for (size_t j = 0; j < w.count && w.dim > 0; ++j) {
        const auto row = std::span(rows).subspan(j * w.dim, w.dim);
        if (std::any_of(row.begin(), row.end(), [](float x) { return !std::isfinite(x); }))
          seen.insert(type + " nonfinite row");
        if (std::all_of(row.begin(), row.end(), [](float x) { return x == 0.0f; }))
          seen.insert(type + " zero row");
        if (w.type == harness::element_type::i8 &&
            std::any_of(row.begin(), row.end(), [](float x) { return x == -128.0f; }))
          seen.insert("i8 -128");
      }
      if (!harness::is_topk(k)) continue;
      if (w.k == 0) seen.insert("k 0");
      if (w.k > 1 && w.k < w.count) seen.insert("k < n");
      if (w.k > w.count) seen.insert("k > n");
      if (w.num_queries > 2 * kern::batch_query_block) seen.insert("several query blocks");
    }
  }
  EXPECT_EQ(seen, (std::set<std::string>{"bf16 nonfinite row", "bf16 zero row", "i8 zero row",
                                         "k 0", "k < n", "k > n", "several query blocks"}));
}

TEST(Cases, SameSeedSameCaseOtherSeedOtherCase) {
  const test_case a = make_case(kernel_kind::cosine, 1, 12);
  const test_case b = make_case(kernel_kind::cosine, 1, 12);
  const test_case c = make_case(kernel_kind::cosine, 2, 12);
  EXPECT_EQ(a.cosine.candidates, b.cosine.candidates);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_NE(a.seed, c.seed);
}

TEST(FaultTrap, TurnsAGuardPageHitIntoAResult) {
  harness::guarded_buffer b(sizeof(float) * 3, harness::guard_side::after);
  const auto* past_end = reinterpret_cast<const volatile float*>(b.data()) + 3;
  const void* address = nullptr;
  auto over_read = [&] { (void)*past_end; };
  EXPECT_FALSE(run_trapping_faults(over_read, &address));
  EXPECT_EQ(address, const_cast<const float*>(past_end));
  auto in_bounds = [&] { (void)*(past_end - 1); };
  EXPECT_TRUE(run_trapping_faults(in_bounds, &address));
}

TEST(Check, ReportsAWriteIntoAReadOnlyInput) {
  const kernel_table writes_query{
      "writes_query",
      [](const float* q, const float*, float* s, size_t dim, size_t count) {
        if (dim > 0) const_cast<float*>(q)[0] = 0.0f;
        std::fill(s, s + count, 0.0f);
      },
      nullptr, nullptr};
  test_case c;
  c.cosine = harness::make_cosine(harness::cosine_family::gaussian, 5, 2, 1);
  const check_result r = check(writes_query, prepare(c));
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.reason.find("read-only input 'query'"), std::string::npos) << r.reason;
}

TEST(Check, ReferencePassesWithZeroError) {
  const test_case c = make_case(kernel_kind::decay, 3, 40);
  const check_result r = check(*kern::runnable_table("reference"), prepare(c));
  EXPECT_FALSE(r.failed) << r.reason;
  EXPECT_EQ(r.ulp.max, 0u);
  EXPECT_EQ(r.max_abs_error, 0.0);
}

TEST(Shrink, ReducesToTheSmallestFailingCase) {
  // Fails while the query has at least 3 elements and element 2 is non-zero.
  test_case c = make_case(kernel_kind::cosine, 5, 40);
  ASSERT_EQ(c.cosine.dim, 40u);
  c.cosine.query[2] = 0.5f;
  const auto fails = [](const test_case& x) { return x.cosine.dim >= 3 && x.cosine.query[2] != 0; };
  const test_case s = shrink(c, fails);
  EXPECT_EQ(s.cosine.dim, 3u);
  EXPECT_EQ(s.cosine.count, 0u);
  EXPECT_EQ(s.cosine.query, (std::vector<float>{0.0f, 0.0f, 1.0f}));
}

TEST(Shrink, DroppingColumnsOfABatchKeepsQueriesAndCandidatesAligned) {
  test_case c = make_case(kernel_kind::batch, 5, 40);
  ASSERT_EQ(c.batch.dim, 40u);
  const auto fails = [](const test_case& x) {
    const auto& w = x.batch;
    EXPECT_EQ(w.queries.size(), w.num_queries * w.dim);
    EXPECT_EQ(w.candidates.size(), w.count * w.dim);
    return w.dim >= 2 && w.num_queries >= 1 && w.count >= 1;
  };
  const test_case s = shrink(c, fails);
  EXPECT_EQ(s.batch.dim, 2u);
  EXPECT_EQ(s.batch.num_queries, 1u);
  EXPECT_EQ(s.batch.count, 1u);
}

TEST(Shrink, DroppingNodesAndEdgesKeepsAValidGraph) {
  const test_case c = make_case(kernel_kind::spread, 9, 30);
  ASSERT_GT(c.spread.targets.size(), 10u);
  size_t calls = 0;
  const auto fails = [&calls](const test_case& x) {
    ++calls;
    const auto& g = x.spread;
    EXPECT_EQ(validate_csr(g.nodes, g.row_offsets.data(), g.targets.data(), g.weights.data(),
                           g.targets.size()),
              ENGRAM_OK);
    return g.targets.size() >= 2;
  };
  const test_case s = shrink(c, fails);
  EXPECT_EQ(s.spread.targets.size(), 2u);
  EXPECT_GT(calls, 0u);
}

TEST(CaseFile, RoundTripsAndRejectsBadFiles) {
  const test_case c = make_case(kernel_kind::decay, 11, 75);
  const std::string path = temp_path("verify-roundtrip.safetensors");
  save_case(path, c, {"avx2", "because", 11, 75, {1.0f}, {2.0f}});
  const test_case back = load_case(path);
  EXPECT_EQ(back.decay.strengths.size(), c.decay.strengths.size());
  EXPECT_EQ(0, std::memcmp(back.decay.strengths.data(), c.decay.strengths.data(),
                           c.decay.strengths.size() * sizeof(float)));
  EXPECT_EQ(back.decay.ages, c.decay.ages);
  EXPECT_EQ(back.offset, c.offset);
  EXPECT_EQ(back.summary(), c.summary());

  // A top-k case keeps its matrices and its k.
  const test_case t = make_case(kernel_kind::topk, 11, 70);
  save_case(path, t, {"avx2", "because", 11, 70, {}, {}});
  const test_case t_back = load_case(path);
  EXPECT_EQ(t_back.kernel, kernel_kind::topk);
  EXPECT_EQ(t_back.batch.k, t.batch.k);
  EXPECT_EQ(0, std::memcmp(t_back.batch.queries.data(), t.batch.queries.data(),
                           t.batch.queries.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(t_back.batch.candidates.data(), t.batch.candidates.data(),
                           t.batch.candidates.size() * sizeof(float)));
  EXPECT_EQ(t_back.summary(), t.summary());

  EXPECT_THROW(load_case(temp_path("does-not-exist.safetensors")), harness::input_error);
  test_case bad = c;
  bad.decay.params.tau_seconds = -1;  // the C ABI rejects it: the loader must too
  save_case(path, bad, {"avx2", "", 0, 0, {}, {}});
  EXPECT_THROW(load_case(path), harness::input_error);
}

TEST(Report, JsonHasTheDocumentedKeys) {
  report r;
  r.seed = 42;
  r.results.push_back({.kernel = kernel_kind::spread, .isa = "avx2", .cases = 3, .failures = 1});
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["seed"], 42);
  EXPECT_EQ(j["passed"], false);
  const auto& e = j["results"][0];
  for (const char* key : {"kernel", "isa", "cases", "failures", "max_abs_error", "max_ulp",
                          "mean_ulp", "failures_saved"})
    EXPECT_TRUE(e.contains(key)) << key;
  EXPECT_EQ(e["kernel"], "spread");
}

TEST(Run, EveryRunnableTablePassesAShortSweep) {
  options o;
  o.kernels = {std::begin(all_kernels), std::end(all_kernels)};
  for (const std::string& isa : kern::runnable_isas())
    o.tables.push_back(kern::runnable_table(isa));
  o.seed = 1;
  o.cases = 80;
  const report r = run(o);
  ASSERT_EQ(r.results.size(), std::size(all_kernels) * o.tables.size());
  for (const kernel_result& k : r.results) {
    EXPECT_EQ(k.cases, 80u);
    EXPECT_EQ(k.failures, 0u) << harness::to_string(k.kernel) << " " << k.isa << ": "
                              << k.first_failure;
  }
  EXPECT_TRUE(r.passed());
}

}  // namespace
}  // namespace ek::verify
