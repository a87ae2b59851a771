// compare.hpp — one case, one kernel table: run it on guard-page buffers and hold the output to
// the contract against ek::ref (cosine: the documented bound, exact on integer inputs; decay: the
// ULP budget; spreading: bit-identical; special values exact), and measure the error.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  std::vector<float> expected;  // scores, decayed strengths or activations from ek::ref
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
  std::vector<float> actual;  // the output of the placement that failed (or of the last one)
  double max_abs_error = 0;   // over finite output pairs
  harness::ulp_stats ulp;     // over finite output pairs
};

check_result check(const kernel_table& table, const prepared_case& p);

/// Each kernel's contract, element by element: "" when `actual` keeps it against the reference
/// output `expected` of that workload, else the first violation in words (index, both values,
/// the rule). The error statistics of the checked elements accumulate in `stats`. check() holds
/// every placement to these; bench holds every timed output to them.
std::string cosine_violation(const harness::cosine_workload& w, const std::vector<float>& expected,
                             const std::vector<float>& actual, check_result& stats);
std::string decay_violation(const harness::decay_workload& w, const std::vector<float>& expected,
                            const std::vector<float>& actual, check_result& stats);
std::string spread_violation(const std::vector<float>& expected, const std::vector<float>& actual,
                             check_result& stats);

}  // namespace ek::verify
