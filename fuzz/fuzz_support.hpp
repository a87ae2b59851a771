// fuzz_support.hpp — what the kernel harnesses share: decoding raw bit patterns from the fuzzer's
// bytes, the guard side of an input, guard-page buffers reused across runs, the kernel tables
// under test, and the abort that names kernel, ISA, index, expected and actual.
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

  /// Fills `out` with raw values from the remaining bytes, cycling through them when the payload
  /// is shorter (so a short input still fills a long vector with its own patterns); zeros when
  /// nothing is left.
  template <class T>
  void payload(std::span<T> out) {
    auto* bytes_out = reinterpret_cast<unsigned char*>(out.data());
    const size_t bytes = out.size_bytes();
    const size_t left = size_ - pos_;
    if (bytes == 0) return;
    if (left == 0) {
      std::memset(bytes_out, 0, bytes);
      return;
    }
    size_t done = left < bytes ? left : bytes;
    std::memcpy(bytes_out, data_ + pos_, done);
    // Doubling the filled prefix repeats the pattern in log2(bytes / left) copies.
    while (done < bytes) {
      const size_t chunk = done < bytes - done ? done : bytes - done;
      std::memcpy(bytes_out + done, bytes_out, chunk);
      done += chunk;
    }
    pos_ = size_;
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

/// The guard side an input runs with: the parity of its set bits. Replaying an input takes the
/// same side every time, and any one-bit mutation switches it, so a campaign puts half of its
/// runs against each side (each run pays for one side, not both).
harness::guard_side side_for(const uint8_t* data, size_t size);

/// A kernel's input buffer, one per buffer role and side, reused from run to run (an mmap per
/// buffer per run would cost more than the kernels): the values sit flush against a PROT_NONE
/// page and the kernel sees them read-only. The memory is mapped twice, read-only (the kernel's
/// view, next to the guard) and read-write (where the harness writes), so placing new values
/// needs no mprotect, whose TLB shootdowns cost more than the small kernels.
class guarded_input {
 public:
  explicit guarded_input(harness::guard_side side) : side_(side) {}
  ~guarded_input();
  guarded_input(const guarded_input&) = delete;
  guarded_input& operator=(const guarded_input&) = delete;

  /// `values` copied flush against the guard; the returned pointer is read-only.
  template <class T>
  const T* place(std::span<const T> values) {
    const size_t offset = reserve(values.size_bytes());
    if (!values.empty()) std::memcpy(alias_ + offset, values.data(), values.size_bytes());
    return reinterpret_cast<const T*>(view_ + offset);
  }

 private:
  // Grows the mappings when needed; returns where `bytes` start inside them.
  size_t reserve(size_t bytes);

  harness::guard_side side_;
  int fd_ = -1;
  size_t capacity_ = 0;          // data bytes, whole pages
  std::byte* region_ = nullptr;  // guard page + read-only view
  std::byte* view_ = nullptr;    // the read-only data pages
  std::byte* alias_ = nullptr;   // the same pages, writable
};

/// A kernel's output buffer, one per side, reused from run to run: place() puts the values flush
/// against the guard page — after the last byte or before the first — whatever their count, and
/// fills the rest of the mapping with a canary so that writes outside the range show up in
/// outside_intact().
class guarded_output {
 public:
  explicit guarded_output(harness::guard_side side) : side_(side) {}

  template <class T>
  T* place(std::span<const T> values) {
    std::byte* p = reserve(values.size_bytes());
    if (!values.empty()) std::memcpy(p, values.data(), values.size_bytes());
    return reinterpret_cast<T*>(p);
  }

  /// The canary around the placed values is untouched.
  bool outside_intact() const;
  harness::guard_side side() const { return side_; }

 private:
  std::byte* reserve(size_t bytes);

  harness::guard_side side_;
  harness::guarded_buffer buffer_;
  size_t used_ = 0;
};

/// The tables every harness runs: the reference first (its output is the expectation), then each
/// ISA this build has and this CPU can run.
/// A fuzz self-test build links a different definition that adds a planted broken kernel.
std::span<const kernel_table> tables_under_test();

/// The reference and each runnable ISA's table, in that order (tables_under_test of normal builds).
std::vector<kernel_table> runnable_tables();

/// A self-test's tables (fuzz/planted/): the runnable ones, then a copy of the reference's named
/// `isa` with `plant` applied to it (which swaps in the broken kernel).
template <class Plant>
std::vector<kernel_table> with_planted(const char* isa, Plant plant) {
  std::vector<kernel_table> tables = runnable_tables();
  kernel_table planted = tables.front();
  planted.isa = isa;
  plant(planted);
  tables.push_back(planted);
  return tables;
}

/// Prints a contract violation and aborts (the fuzzer saves the input as a crash).
[[noreturn]] void violation(const char* kernel, const char* isa, const std::string& why);

/// A violation when `reason` (from verify's contract functions, src/verify/compare.hpp) is not
/// empty, naming the guard side the buffers were placed against.
void require_contract(const char* kernel, const char* isa, harness::guard_side side,
                      const std::string& reason);

}  // namespace ek::fuzz
