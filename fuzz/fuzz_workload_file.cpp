// fuzz_workload_file.cpp — the workload-file loader under attack: arbitrary bytes, read-only and
// flush against a guard page (after the last byte, then before the first), through the
// safetensors parser and the workload conversion. A file is either refused with an input_error
// or parses into tensors that survive a write-and-reparse unchanged.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/workload_parser.hpp"
#include "src/harness/json_text.hpp"
#include "src/harness/safetensors.hpp"
#include "src/harness/workload_file.hpp"

namespace {

using ek::harness::guard_side;

bool same(const ek::harness::safetensors& a, const ek::harness::safetensors& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (auto i = a.tensors.begin(), j = b.tensors.begin(); i != a.tensors.end(); ++i, ++j) {
    if (i->first != j->first || i->second.type != j->second.type ||
        i->second.shape != j->second.shape || i->second.data != j->second.data)
      return false;
  }
  return true;
}

void check_file(std::span<const std::byte> bytes) {
  ek::harness::safetensors file;
  try {
    file = ek::fuzz::parse_under_test(bytes);
  } catch (const ek::harness::input_error& e) {
    // Refused, with a message: what a broken file deserves. The tool quotes that message in its
    // --format json error document, and the message may quote the file's bytes (invalid UTF-8
    // included): it must serialize. Without this the harness never reached that path (issue 19).
    ek::harness::json_text(nlohmann::json{{"error", e.what()}});
    return;
  }
  // What was accepted must serialize, and the real parser must read back the same content.
  const auto written = ek::harness::serialize(file);
  if (!same(file, ek::harness::parse_safetensors(written, "rewritten fuzz input")))
    ek::fuzz::violation("safetensors", "-", "a parsed file does not survive write and re-parse");
  try {
    ek::harness::from_safetensors(file, "fuzz input");
  } catch (const ek::harness::input_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ek::fuzz::guarded_input slots[] = {ek::fuzz::guarded_input(guard_side::after),
                                            ek::fuzz::guarded_input(guard_side::before)};
  const std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  for (auto& slot : slots) check_file({slot.place(input), size});
  return 0;
}
