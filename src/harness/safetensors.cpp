// safetensors.cpp — serialization and fully validating parsing of the safetensors layout. Every
// rule of the format is checked before a byte of tensor data is trusted: sizes, dtypes, shapes,
// offsets inside the data area, no overlap, no gap.
#include "src/harness/safetensors.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "src/harness/files.hpp"
#include "src/harness/json_text.hpp"

namespace ek::harness {

namespace {

using json = nlohmann::json;

struct dtype_name {
  dtype type;
  const char* name;
  size_t size;
};
constexpr dtype_name dtype_names[] = {
    {dtype::F64, "F64", 8},   {dtype::F32, "F32", 4}, {dtype::F16, "F16", 2},
    {dtype::BF16, "BF16", 2}, {dtype::I64, "I64", 8}, {dtype::I32, "I32", 4},
    {dtype::I16, "I16", 2},   {dtype::I8, "I8", 1},   {dtype::U64, "U64", 8},
    {dtype::U32, "U32", 4},   {dtype::U16, "U16", 2}, {dtype::U8, "U8", 1},
    {dtype::BOOL, "BOOL", 1}};

const dtype_name& entry(dtype t) {
  for (const auto& d : dtype_names)
    if (d.type == t) return d;
  throw std::logic_error("dtype out of range");
}

// product(shape) * element_size, or false when it overflows 64 bits.
bool byte_size(const std::vector<uint64_t>& shape, size_t element_size, uint64_t& bytes) {
  uint64_t n = element_size;
  for (uint64_t d : shape) {
    if (d != 0 && n > UINT64_MAX / d) return false;
    n *= d;
  }
  bytes = n;
  return true;
}

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw input_error(source + ": " + problem);
}

uint64_t as_u64(const json& v, const std::string& source, const std::string& what) {
  if (!v.is_number_unsigned()) fail(source, what + " must be a non-negative integer");
  return v.get<uint64_t>();
}

}  // namespace

size_t dtype_size(dtype t) { return entry(t).size; }
std::string to_string(dtype t) { return entry(t).name; }

dtype parse_dtype(const std::string& name) {
  for (const auto& d : dtype_names)
    if (name == d.name) return d.type;
  throw input_error("unknown dtype '" + name + "'");
}

uint64_t tensor::elements() const {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  return n;
}

std::vector<std::byte> serialize(const safetensors& file) {
  // Data in order of element size, largest first, then by name (as the reference implementation
  // lays it out): from the 8-byte aligned start every tensor then starts aligned to its element
  // size, which readers that view the mapped bytes as that type (PyTorch) require; an I8 tensor
  // of odd length cannot push an F32 one off its alignment.
  std::vector<const std::pair<const std::string, tensor>*> order;
  for (const auto& entry : file.tensors) order.push_back(&entry);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return dtype_size(a->second.type) > dtype_size(b->second.type);
  });
  json header = json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  uint64_t offset = 0;
  for (const auto* entry : order) {
    const auto& [name, t] = *entry;
    uint64_t bytes = 0;
    if (!byte_size(t.shape, dtype_size(t.type), bytes) || bytes != t.data.size())
      throw std::invalid_argument("tensor '" + name + "': data size does not match its shape");
    header[name] = {{"dtype", to_string(t.type)},
                    {"shape", t.shape},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = json_text(header);
  // Pad with spaces so the data area starts 8-byte aligned in the file (as the reference
  // implementation does): a mapped file can then be read in place.
  text.resize((text.size() + 7) / 8 * 8, ' ');
  std::vector<std::byte> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, text.data(), text.size());
  std::byte* data = out.data() + 8 + text.size();
  for (const auto* entry : order) {
    const tensor& t = entry->second;
    if (!t.data.empty()) std::memcpy(data, t.data.data(), t.data.size());
    data += t.data.size();
  }
  return out;
}

safetensors parse_safetensors(std::span<const std::byte> bytes, const std::string& source) {
  if (bytes.size() < 8)
    fail(source, "file is " + std::to_string(bytes.size()) +
                     " bytes, shorter than the 8-byte header length");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  if (n > safetensors_max_header)
    fail(source, "header length " + std::to_string(n) + " is absurd (limit " +
                     std::to_string(safetensors_max_header) + " bytes): not a safetensors file?");
  if (n > bytes.size() - 8)
    fail(source, "header length " + std::to_string(n) + " runs past the end of the file (" +
                     std::to_string(bytes.size()) + " bytes)");

  const auto* text = reinterpret_cast<const char*>(bytes.data() + 8);
  // JSON objects may repeat a key and nlohmann keeps the last: catch repeated tensor names.
  std::set<std::string> names;
  std::string repeated;
  json header;
  try {
    header = json::parse(text, text + n, [&](int depth, json::parse_event_t event, json& v) {
      if (depth == 1 && event == json::parse_event_t::key &&
          !names.insert(v.get<std::string>()).second)
        repeated = v.get<std::string>();
      return true;
    });
  } catch (const json::exception& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) fail(source, "header is not a JSON object");
  if (!repeated.empty()) fail(source, "header names '" + repeated + "' twice");

  safetensors out;
  const std::byte* data = bytes.data() + 8 + n;
  const uint64_t data_size = bytes.size() - 8 - n;
  struct range {
    uint64_t begin, end;
    std::string name;
  };
  std::vector<range> ranges;
  for (const auto& [name, v] : header.items()) {
    if (name == "__metadata__") {
      if (!v.is_object()) fail(source, "__metadata__ is not an object");
      for (const auto& [key, value] : v.items()) {
        if (!value.is_string()) fail(source, "__metadata__ value of '" + key + "' is not a string");
        out.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor '" + name + "'";
    if (!v.is_object()) fail(source, where + " is not an object");
    for (const auto& [key, unused] : v.items())
      if (key != "dtype" && key != "shape" && key != "data_offsets")
        fail(source, where + " has an unknown field '" + key + "'");
    if (!v.contains("dtype") || !v["dtype"].is_string())
      fail(source, where + " has no dtype string");
    tensor t;
    try {
      t.type = parse_dtype(v["dtype"].get<std::string>());
    } catch (const input_error& e) {
      fail(source, where + ": " + e.what());
    }
    if (!v.contains("shape") || !v["shape"].is_array()) fail(source, where + " has no shape array");
    for (const auto& d : v["shape"]) t.shape.push_back(as_u64(d, source, where + " shape entry"));
    if (!v.contains("data_offsets") || !v["data_offsets"].is_array() ||
        v["data_offsets"].size() != 2)
      fail(source, where + " has no data_offsets [begin, end]");
    const uint64_t begin = as_u64(v["data_offsets"][0], source, where + " data_offsets");
    const uint64_t end = as_u64(v["data_offsets"][1], source, where + " data_offsets");
    if (begin > end) fail(source, where + " data_offsets begin after they end");
    if (end > data_size)
      fail(source, where + " data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                       ") run outside the data area (" + std::to_string(data_size) + " bytes)");
    uint64_t expected = 0;
    if (!byte_size(t.shape, dtype_size(t.type), expected)) fail(source, where + " shape overflows");
    if (expected != end - begin)
      fail(source, where + " holds " + std::to_string(end - begin) + " bytes but its shape and " +
                       "dtype need " + std::to_string(expected));
    t.data.assign(data + begin, data + end);
    ranges.push_back({begin, end, name});
    out.tensors.emplace(name, std::move(t));
  }

  // The tensors must tile the data area exactly: sorted by offset, each starts where the
  // previous one ended (an earlier start is an overlap, a later one a gap).
  std::sort(ranges.begin(), ranges.end(), [](const range& a, const range& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t covered = 0;
  std::string previous;
  for (const range& r : ranges) {
    if (r.begin < covered) fail(source, "tensors '" + previous + "' and '" + r.name + "' overlap");
    if (r.begin > covered)
      fail(source, "data bytes [" + std::to_string(covered) + ", " + std::to_string(r.begin) +
                       ") belong to no tensor");
    covered = r.end;
    previous = r.name;
  }
  if (covered != data_size)
    fail(source, "data bytes [" + std::to_string(covered) + ", " + std::to_string(data_size) +
                     ") belong to no tensor");
  return out;
}

void write_safetensors(const std::string& path, const safetensors& file) {
  const std::vector<std::byte> bytes = serialize(file);
  write_file_atomically(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

safetensors read_safetensors(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw input_error(path + ": is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw input_error(path + ": cannot open the file");
  // One read of the whole file: a character-by-character copy costs more than the kernels it
  // feeds (it topped `scripts/profile.sh cosine`).
  std::vector<char> chars;
  char block[1 << 16];
  while (f.read(block, sizeof block) || f.gcount() > 0)
    chars.insert(chars.end(), block, block + f.gcount());
  if (f.bad()) throw input_error(path + ": read error");
  return parse_safetensors(std::as_bytes(std::span<const char>(chars)), path);
}

}  // namespace ek::harness
