// tables.cpp — the kernel tables the harnesses test in every normal build: the reference and each
// ISA this build has and this CPU can run (kernels/dispatch.hpp).
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "kernels/dispatch.hpp"

namespace ek::fuzz {

std::span<const kernel_table> tables_under_test() {
  static const std::vector<kernel_table> runnable = [] {
    std::vector<kernel_table> tables;
    for (const auto& name : kern::runnable_isas()) tables.push_back(*kern::runnable_table(name));
    return tables;
  }();
  return runnable;
}

}  // namespace ek::fuzz
