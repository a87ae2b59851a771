// ulp.hpp — distances in units in the last place between floats, the accuracy measure of the
// decay contract (2 ULP; in the subnormal range one ULP is 2^-149, so the same count covers the
// absolute bound there) and of the verify reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace ek::harness {

/// Maps a float to an integer key that is monotone in its value: consecutive floats get
/// consecutive keys, and +0 and -0 share key 0. NaN gives an unspecified key.
int64_t ulp_key(float x);

/// Number of representable floats between a and b (|key(a) - key(b)|): 0 for equal values
/// (+0 vs -0 included — check signs with std::signbit where the contract pins them), 0 for NaN
/// vs NaN (any payloads), ulp_nan_mismatch for NaN vs a number. FLT_MAX vs +Inf is 1.
uint64_t ulp_distance(float a, float b);
inline constexpr uint64_t ulp_nan_mismatch = std::numeric_limits<uint64_t>::max();

/// The bit patterns are identical (the spreading contract; also tells -0 from +0 and NaN payloads).
bool same_bits(float a, float b);

/// Running maximum and mean of ulp_distance over many pairs, with the index of the worst one.
struct ulp_stats {
  uint64_t max = 0;
  size_t worst_index = 0;  // meaningful when count > 0
  size_t count = 0;
  size_t nan_mismatches = 0;
  double sum = 0;  // of the finite distances (NaN mismatches excluded)

  void add(float actual, float expected, size_t index);
  double mean() const { return count > nan_mismatches ? sum / double(count - nan_mismatches) : 0; }
};

}  // namespace ek::harness
