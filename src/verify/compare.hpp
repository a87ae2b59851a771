// compare.hpp — one case, one kernel table: run it on guard-page buffers and hold the output to
// the contract against ek::ref (cosine: the documented bound, exact on integer inputs; decay: the
// ULP budget; spreading: bit-identical; batch: cosine's contract per score; top-k: the exact
// selection of the same table's batch scores; special values exact; the bf16 and int8 kinds: the
// same on the exactly widened candidates, kernels/lowp.hpp), and measure the error.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernels/cosine.hpp"
#include "kernels/kernel_table.hpp"
#include "reference/graph.hpp"
#include "src/harness/ulp.hpp"
#include "src/verify/cases.hpp"

namespace ek::verify {

/// A case ready to run: its graph built (spreading) and its reference output computed once, for
/// every table it is compared on.
struct prepared_case {
  const test_case* source = nullptr;
  std::optional<graph> g;       // spreading only
  std::vector<float> expected;  // scores, decayed strengths or activations from ek::ref (batch
                                // and top-k: the reference's [queries][count] score matrix; the
                                // compact kinds the same, from ref::cosine_bf16 / cosine_i8)
  std::vector<float> widened;   // the compact kinds: the candidates widened exactly to float
};

/// Validates the case as the C ABI would (decay and spread params, activations, the CSR rules)
/// and runs the reference. Throws harness::input_error naming what the C ABI rejects: generated
/// cases are valid by construction, so only a loaded file can fail here.
prepared_case prepare(const test_case& c);

/// The verdict on one table for one case, over both placements (guard page after the last byte;
/// guard page before the first byte, shifted by the case's offset).
struct check_result {
  bool failed = false;
  std::string reason;         // the first violation, in words
  std::vector<float> actual;  // the output of the placement that failed (or of the last one);
                              // top-k: its scores, then its indices as float bit patterns
  double max_abs_error = 0;   // over finite output pairs
  harness::ulp_stats ulp;     // over finite output pairs
};

check_result check(const kernel_table& table, const prepared_case& p);

/// Cosine's bound when integer inputs in [-32, 32] make every sum exact (docs/contract.md §2.1):
/// only the final quotient differs, cosine_error_bound's derivation with ε = 0 on both sides.
inline constexpr double cosine_exact_sum_bound =
    2 * kern::cosine_numerics::quotient_error(0) + 0x1p-24;

/// Each kernel's contract, element by element: "" when `actual` keeps it against the reference
/// output `expected` for those inputs, else the first violation in words (index, both values,
/// the rule). The error statistics of the checked elements accumulate in `stats`. check() holds
/// every placement to these, bench every timed output, the fuzz harnesses every fuzzed one. They
/// allocate nothing until they find a violation.
/// Cosine: `candidates` holds expected.size() rows of query.size() floats.
std::string cosine_violation(std::span<const float> query, std::span<const float> candidates,
                             std::span<const float> expected, std::span<const float> actual,
                             check_result& stats);
/// Decay: `strengths` are the input strengths (what age 0 must keep bit for bit), one per age.
std::string decay_violation(std::span<const float> strengths, std::span<const uint64_t> ages,
                            std::span<const float> expected, std::span<const float> actual,
                            check_result& stats);
std::string spread_violation(std::span<const float> expected, std::span<const float> actual,
                             check_result& stats);
/// Batch: `queries` holds num_queries rows and `candidates` count rows of `dim` floats;
/// `expected` and `actual` are [num_queries][count]. Each row is held to cosine_violation.
std::string batch_violation(std::span<const float> queries, std::span<const float> candidates,
                            size_t num_queries, size_t dim, std::span<const float> expected,
                            std::span<const float> actual, check_result& stats);
/// Top-k (kernels/topk.hpp): `batch` is the same table's batch output [num_queries][count] on the
/// same inputs (for the bf16 and int8 kinds its similarity kernel of that type, query by query),
/// `index` and `score` the top-k output [num_queries][k]. Each query's list must be
/// ref::select_topk of its batch row, index for index and bit for bit: scores bit-identical to
/// the batch's on those pairs, best first, ties to the lower index, UINT32_MAX and -inf past the
/// candidates. The one statement of that rule (bench's table check calls it); it allocates k
/// slots per call. Checks no bound: batch_violation does, on `batch`.
std::string topk_violation(std::span<const float> batch, size_t num_queries, size_t count, size_t k,
                           std::span<const uint32_t> index, std::span<const float> score);

}  // namespace ek::verify
