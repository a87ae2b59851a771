// trusting_parser.cpp — SELF-TEST ONLY (fuzz_workload_file_planted): a safetensors parser that
// trusts each tensor's data_offsets and copies that byte range without checking it against the
// file, the bug fuzz_workload_file must crash. Never linked into the library.
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz/workload_parser.hpp"

namespace ek::fuzz {

harness::safetensors parse_under_test(std::span<const std::byte> bytes) {
  using harness::input_error;
  uint64_t n = 0;
  if (bytes.size() < 8) throw input_error("short file");
  std::memcpy(&n, bytes.data(), 8);
  if (n > bytes.size() - 8) throw input_error("header runs past the end");
  const auto* text = reinterpret_cast<const char*>(bytes.data() + 8);
  const auto header = nlohmann::json::parse(text, text + n, nullptr, false);
  if (!header.is_object()) throw input_error("header is not a JSON object");
  const std::byte* data = bytes.data() + 8 + n;
  harness::safetensors out;
  for (const auto& [name, v] : header.items()) {
    if (name == "__metadata__") continue;
    if (!v.is_object()) throw input_error("tensor is not an object");
    const auto& offsets = v.value("data_offsets", nlohmann::json::array());
    if (offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      throw input_error("no data_offsets");
    const auto begin = offsets[0].get<uint64_t>();
    const auto end = offsets[1].get<uint64_t>();
    if (begin > end || end - begin > bytes.size()) throw input_error("bad data_offsets");
    harness::tensor t;
    t.shape = {end - begin};
    t.type = harness::dtype::U8;
    t.data.assign(data + begin, data + end);  // the planted bug: [begin, end) is never checked
    out.tensors.emplace(name, std::move(t));
  }
  return out;
}

}  // namespace ek::fuzz
