// tables.cpp — the kernel tables the harnesses test in every normal build: the reference and each
// ISA this build has and this CPU can run (kernels/dispatch.hpp).
#include <vector>

#include "fuzz/fuzz_support.hpp"

namespace ek::fuzz {

std::span<const kernel_table> tables_under_test() {
  static const std::vector<kernel_table> runnable = runnable_tables();
  return runnable;
}

}  // namespace ek::fuzz
