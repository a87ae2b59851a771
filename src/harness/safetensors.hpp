// safetensors.hpp — reading and writing the safetensors layout: an 8-byte little-endian header
// length N, N bytes of JSON header (tensor name -> dtype, shape, data_offsets; "__metadata__" ->
// string map), then the data area, which the tensors must cover exactly. See docs/workloads.md.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ek::harness {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; add byte swapping for big-endian hosts");

/// A file (or any input) that breaks a rule: the message names the file and the problem.
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class dtype { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL };

size_t dtype_size(dtype t);
std::string to_string(dtype t);  // "F32", "U64", ... as in the safetensors format
/// Throws input_error for a name the format does not define.
dtype parse_dtype(const std::string& name);

template <class T>
constexpr dtype dtype_of() {
  if constexpr (std::is_same_v<T, float>)
    return dtype::F32;
  else if constexpr (std::is_same_v<T, double>)
    return dtype::F64;
  else if constexpr (std::is_same_v<T, uint64_t>)
    return dtype::U64;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return dtype::U32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return dtype::I64;
  else if constexpr (std::is_same_v<T, int32_t>)
    return dtype::I32;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return dtype::U16;
  else if constexpr (std::is_same_v<T, int8_t>)
    return dtype::I8;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return dtype::U8;
  else
    static_assert(!sizeof(T), "no safetensors dtype for this type");
}

struct tensor {
  dtype type = dtype::F32;
  std::vector<uint64_t> shape;
  std::vector<std::byte> data;  // product(shape) * dtype_size(type) bytes, little-endian

  /// Number of elements: the product of shape (1 for a scalar, shape []).
  uint64_t elements() const;

  /// `as` names the stored dtype when T only carries its bits (BF16 values as uint16_t); it must
  /// have T's size (std::invalid_argument otherwise).
  template <class T>
  static tensor from(std::span<const T> values, std::vector<uint64_t> shape,
                     dtype as = dtype_of<T>()) {
    if (dtype_size(as) != sizeof(T))
      throw std::invalid_argument("tensor::from: " + to_string(as) + " is not the size of T");
    tensor t{as, std::move(shape), std::vector<std::byte>(values.size_bytes())};
    if (!values.empty()) std::memcpy(t.data.data(), values.data(), values.size_bytes());
    return t;
  }
  template <class T>
  static tensor from(const std::vector<T>& values) {
    return from(std::span<const T>(values), {values.size()});
  }
  /// The elements as T; throws input_error if the dtype is not `as` (T's own by default; BF16
  /// read as uint16_t bits).
  template <class T>
  std::vector<T> values(dtype as = dtype_of<T>()) const {
    if (type != as || dtype_size(as) != sizeof(T))
      throw input_error("tensor has dtype " + to_string(type) + ", expected " + to_string(as));
    std::vector<T> out(data.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), data.data(), data.size());
    return out;
  }
};

/// A whole file. std::map keeps names sorted: the header and, within one element size, the data
/// are written in that order, so the same content always gives the same bytes.
struct safetensors {
  std::map<std::string, std::string> metadata;
  std::map<std::string, tensor> tensors;
};

/// Largest header accepted on read (as in the reference implementation): 100 MB.
inline constexpr uint64_t safetensors_max_header = 100'000'000;

/// The file's bytes: header padded with spaces to a multiple of 8 bytes, then each tensor's data,
/// largest element size first, then in name order (so each tensor starts aligned to its element
/// size). Throws std::invalid_argument if a tensor's data size disagrees with its shape.
std::vector<std::byte> serialize(const safetensors& file);

/// Parses and fully validates `bytes`; `source` (a file name) prefixes every error message.
safetensors parse_safetensors(std::span<const std::byte> bytes, const std::string& source);

/// write_safetensors writes through a temporary file and a rename (no half-written file on
/// failure); read_safetensors reads the whole file and parses it. Both throw input_error.
void write_safetensors(const std::string& path, const safetensors& file);
safetensors read_safetensors(const std::string& path);

}  // namespace ek::harness
