// validate.hpp — private helpers shared by the C ABI entry points: checked sizes, byte-range
// overlap, and the wrapper that keeps every exception from crossing the ABI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "engram_kern.h"

namespace ek::capi {

/// a * b, or nullopt when the product overflows size_t or exceeds PTRDIFF_MAX: no object, and so
/// no buffer a caller can pass, is larger than PTRDIFF_MAX bytes.
inline std::optional<size_t> checked_mul(size_t a, size_t b) {
  constexpr size_t limit = PTRDIFF_MAX;
  if (b != 0 && a > limit / b) return std::nullopt;
  return a * b;
}

/// True when [a, a + a_bytes) and [b, b + b_bytes) share a byte; an empty range shares none.
inline bool overlaps(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  const auto x = reinterpret_cast<uintptr_t>(a);
  const auto y = reinterpret_cast<uintptr_t>(b);
  return a_bytes != 0 && b_bytes != 0 && x < y + b_bytes && y < x + a_bytes;
}

/// Runs an entry point's body. The library throws nothing but allocation failures
/// (std::bad_alloc, or std::length_error for a vector beyond max_size), so every exception is
/// reported as ENGRAM_ERR_OUT_OF_MEMORY instead of unwinding into C.
template <class Body>
engram_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return ENGRAM_ERR_OUT_OF_MEMORY;
  }
}

}  // namespace ek::capi
