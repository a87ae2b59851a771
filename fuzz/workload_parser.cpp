// workload_parser.cpp — fuzz_workload_file's parser in every normal build: the real one.
#include "fuzz/workload_parser.hpp"

namespace ek::fuzz {

harness::safetensors parse_under_test(std::span<const std::byte> bytes) {
  return harness::parse_safetensors(bytes, "fuzz input");
}

}  // namespace ek::fuzz
