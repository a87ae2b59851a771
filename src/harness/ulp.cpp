// ulp.cpp — ULP distance by the sign-magnitude to two's-complement mapping of IEEE bits.
#include "src/harness/ulp.hpp"

#include <bit>
#include <cmath>

namespace ek::harness {

int64_t ulp_key(float x) {
  const uint32_t bits = std::bit_cast<uint32_t>(x);
  const int64_t magnitude = bits & 0x7fffffffu;
  // IEEE floats are sign-magnitude: negating the magnitude of negatives makes the order of the
  // keys the order of the values, with -0 and +0 both at 0.
  return (bits >> 31) != 0 ? -magnitude : magnitude;
}

uint64_t ulp_distance(float a, float b) {
  const bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) return na && nb ? 0 : ulp_nan_mismatch;
  const int64_t ka = ulp_key(a), kb = ulp_key(b);
  return static_cast<uint64_t>(ka > kb ? ka - kb : kb - ka);
}

bool same_bits(float a, float b) {
  return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}

void ulp_stats::add(float actual, float expected, size_t index) {
  const uint64_t d = ulp_distance(actual, expected);
  if (count == 0 || d > max) {
    max = d;
    worst_index = index;
  }
  ++count;
  if (d == ulp_nan_mismatch) {
    ++nan_mismatches;
  } else {
    sum += static_cast<double>(d);
  }
}

}  // namespace ek::harness
