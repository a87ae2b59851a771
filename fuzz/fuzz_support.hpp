// fuzz_support.hpp — what the kernel harnesses share: decoding raw bit patterns from the fuzzer's
// bytes, guard-page slots reused across runs, the kernel tables under test, and the abort that
// names kernel, ISA, index, expected and actual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "src/harness/guard_pages.hpp"

namespace ek::fuzz {

/// Reads fixed-size fields and raw payloads from the fuzzer's bytes. Values are the bytes' own bit
/// patterns (NaN, ±Inf, subnormals included); past the end every field reads as 0.
class byte_reader {
 public:
  byte_reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  template <class T>
  T take() {
    T value{};
    const size_t n = sizeof(T) < size_ - pos_ ? sizeof(T) : size_ - pos_;
    if (n > 0) std::memcpy(&value, data_ + pos_, n);
    pos_ += n;
    return value;
  }

  /// `count` raw values from the remaining bytes, cycling through them when the payload is shorter
  /// than asked (so a short input still fills a long vector with its own patterns); zeros when
  /// nothing is left.
  template <class T>
  std::vector<T> payload(size_t count) {
    std::vector<T> values(count);
    const size_t left = size_ - pos_;
    if (left == 0 || count == 0) return values;
    auto* out = reinterpret_cast<unsigned char*>(values.data());
    const size_t bytes = count * sizeof(T);
    size_t done = left < bytes ? left : bytes;
    std::memcpy(out, data_ + pos_, done);
    // Doubling the filled prefix repeats the pattern in log2(bytes / left) copies.
    while (done < bytes) {
      const size_t chunk = done < bytes - done ? done : bytes - done;
      std::memcpy(out + done, out, chunk);
      done += chunk;
    }
    pos_ = size_;
    return values;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

/// Folds the exponent of every normal value into [2^-20, 2^20], keeping sign, mantissa, zeros,
/// subnormals, ±Inf and NaN. Raw patterns are mostly huge or tiny (their squares overflow or
/// underflow, the kernels' slow paths); folded ones also reach the fast paths, specials intact.
void fold_exponents(std::span<float> values);

/// One guard-page mapping per buffer role and side, reused from run to run (an mmap per buffer
/// per run would cost more than the kernels). place() puts the values flush against the guard
/// page — after the last byte or before the first — whatever their count, and fills the rest of
/// the mapping with a canary so that writes outside the range show up in outside_intact().
class guarded_slot {
 public:
  explicit guarded_slot(harness::guard_side side) : side_(side) {}

  template <class T>
  T* place(std::span<const T> values, bool read_only) {
    std::byte* p = reserve(values.size_bytes());
    if (!values.empty()) std::memcpy(p, values.data(), values.size_bytes());
    if (read_only) set_read_only(true);
    return reinterpret_cast<T*>(p);
  }

  /// The canary around the placed values is untouched.
  bool outside_intact() const;
  harness::guard_side side() const { return side_; }

 private:
  std::byte* reserve(size_t bytes);
  void set_read_only(bool read_only);

  harness::guard_side side_;
  harness::guarded_buffer buffer_;
  size_t used_ = 0;
  bool read_only_ = false;
};

inline constexpr harness::guard_side both_sides[] = {harness::guard_side::after,
                                                     harness::guard_side::before};
const char* side_name(harness::guard_side side);

/// The tables every harness runs: the reference first (its output is the expectation), then each
/// ISA this build has and this CPU can run.
/// A fuzz self-test build links a different definition that adds a planted broken kernel.
std::span<const kernel_table> tables_under_test();

/// Prints a contract violation and aborts (the fuzzer saves the input as a crash).
[[noreturn]] void violation(const char* kernel, const char* isa, harness::guard_side side,
                            size_t index, float expected, float actual, const std::string& why);
[[noreturn]] void violation(const char* kernel, const char* isa, const std::string& why);

}  // namespace ek::fuzz
