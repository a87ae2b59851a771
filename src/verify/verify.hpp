// verify.hpp — the differential testing engine behind `engram-kern verify`: runs seeded sweeps of
// cases (cases.hpp) through any list of kernel tables against ek::ref, holds each output to its
// contract (compare.hpp), shrinks the first failure of each kernel × table (shrink.hpp), saves it
// as a workload file (case_file.hpp) and says in one line how to replay it.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "src/verify/cases.hpp"

namespace ek::verify {

/// The budget of a default run, shared by every kernel tested: with nine kernels and four tables it
/// finishes in well under a minute on a 2-core machine and still runs hundreds to thousands of
/// cases per kernel and table.
inline constexpr double default_time_budget_seconds = 20;

struct options {
  std::vector<kernel_kind> kernels;         // tested in this order; each gets an equal time share
  std::vector<const kernel_table*> tables;  // each is compared to ek::ref (the "reference" table
                                            // too: it then runs on guarded buffers)
  uint64_t seed = 0;
  uint64_t cases = 0;  // per kernel; 0 = run until time_budget_seconds is spent
  double time_budget_seconds = default_time_budget_seconds;
  std::string save_dir;           // shrunk failures are written here (created if missing)
  std::ostream* log = nullptr;    // progress, failures and reproduce lines; nullptr = silent
  size_t shrink_attempts = 3000;  // per failure (see shrink.hpp)
};

struct saved_failure {
  std::string file;       // the workload file holding the shrunk case
  std::string summary;    // test_case::summary() of the shrunk case
  std::string reason;     // how the shrunk case fails
  std::string reproduce;  // engram-kern verify --replay FILE --isa NAME
};

/// One kernel × table.
struct kernel_result {
  kernel_kind kernel = kernel_kind::cosine;
  std::string isa{};
  uint64_t cases = 0;
  uint64_t failures = 0;
  double max_abs_error = 0;  // over finite outputs of passing and failing cases
  uint64_t max_ulp = 0;
  double ulp_sum = 0;  // mean_ulp() = ulp_sum / ulp_count
  uint64_t ulp_count = 0;
  std::string worst_case{};     // summary of the case with the largest ULP distance
  std::string first_failure{};  // summary and reason of the first failing case, before shrinking
  std::vector<saved_failure> saved{};

  double mean_ulp() const { return ulp_count == 0 ? 0.0 : ulp_sum / double(ulp_count); }
};

struct report {
  std::optional<uint64_t> seed;  // the sweep's seed; none for a replay
  double seconds = 0;
  std::vector<kernel_result> results;  // kernel-major, tables in the order given

  bool passed() const;
};

/// The sweep. Cases are drawn from make_case(kernel, seed, 0, 1, ...) in order, so a run with
/// --cases N is the same on every machine, and a timed run is a prefix of it.
report run(const options& o);

/// Runs each file's case (load_case) on every table. Nothing is shrunk or saved. Throws
/// harness::input_error for an unreadable or invalid file before running anything.
report replay(const std::vector<std::string>& files, const std::vector<const kernel_table*>& tables,
              std::ostream* log);

}  // namespace ek::verify
