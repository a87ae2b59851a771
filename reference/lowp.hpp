// lowp.hpp — the reference conversions to the compact candidate types, bfloat16 and int8, and the
// exact widening back to float that the bf16 and int8 similarity kernels define their inputs by
// (docs/kernel-lowp.md).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ek::ref {

/// A bfloat16 value: the upper 16 bits of an IEEE-754 binary32. Widening is exact (the low 16
/// bits become zero), subnormals, ±0, ±Inf and NaN payloads included. Always inlined, like
/// to_bf16: the ISA objects use both, and an out-of-line copy compiled with one ISA's flags must
/// not be shared with another object (scripts/odr_check.sh).
[[gnu::always_inline]] inline float widen_bf16(uint16_t bits) {
  const uint32_t wide = uint32_t{bits} << 16;
  float f;
  std::memcpy(&f, &wide, sizeof f);
  return f;
}

/// float -> bfloat16, rounded to nearest, ties to even, on the bit pattern (so subnormals round
/// like normals and a value past the largest bfloat16 rounds to ±Inf). A NaN keeps its sign and
/// the top of its payload and becomes quiet (bit 6 set); ±Inf and ±0 are kept.
[[gnu::always_inline]] inline uint16_t to_bf16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// out[i] = to_bf16(in[i]).
void convert_to_bf16(const float* in, uint16_t* out, size_t count);

/// Largest magnitude of a quantized int8 element: symmetric, so -128 is never produced.
inline constexpr int i8_max = 127;

/// One element of quantize_i8, for a row whose scale is > 0: x / scale (a float division) rounded
/// to nearest with ties to even (nearbyint in the default rounding mode), within [-127, 127]: the
/// quotient is at most 127 up to its rounding, or ±Inf for a subnormal scale. Always inlined, like
/// to_bf16.
[[gnu::always_inline]] inline int8_t quantize_element(float x, float scale) {
  const float q = std::nearbyint(x / scale);
  constexpr float q_max = i8_max;
  return static_cast<int8_t>(q < -q_max ? -q_max : (q > q_max ? q_max : q));
}

/// Symmetric per-row int8 quantization of rows [num_rows][dim]: scale = max|x| / 127 (in float),
/// q = x / scale (in float) rounded to nearest, ties to even, clamped to [-127, 127]; a row of
/// zeros (or dim 0) gives zeros and scale 0. row_scales may be NULL. Returns false, having
/// written nothing, when any element is NaN or ±Inf.
bool quantize_i8(const float* rows, size_t dim, size_t num_rows, int8_t* out, float* row_scales);

}  // namespace ek::ref
