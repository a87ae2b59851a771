// workload_parser.hpp — the safetensors parser fuzz_workload_file attacks: the real one
// (workload_parser.cpp) in every normal build; the self-test build links a planted one instead.
#pragma once

#include <cstddef>
#include <span>

#include "src/harness/safetensors.hpp"

namespace ek::fuzz {

/// Parses a whole file's bytes; throws ek::harness::input_error on any broken rule.
harness::safetensors parse_under_test(std::span<const std::byte> bytes);

}  // namespace ek::fuzz
