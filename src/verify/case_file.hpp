// case_file.hpp — a case as a safetensors workload file (the harness workload_file layout), with
// the failure in its metadata: isa, reason, verify seed and case index, start offset, expected and
// actual outputs. Any workload file (e.g. from `engram-kern gen`) loads as a case too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/verify/cases.hpp"

namespace ek::verify {

struct failure_record {
  std::string isa;
  std::string reason;
  uint64_t verify_seed = 0;
  uint64_t case_index = 0;
  std::vector<float> expected, actual;
};

/// Writes `c` and `f` to `path` (atomically, through the harness). Throws harness::input_error.
void save_case(const std::string& path, const test_case& c, const failure_record& f);

/// Loads a workload file as a case and validates it as the C ABI would (params, activations,
/// CSR rules). Throws harness::input_error naming the file and the problem.
test_case load_case(const std::string& path);

}  // namespace ek::verify
