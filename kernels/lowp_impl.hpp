// lowp_impl.hpp — the optimized conversions to the compact candidate types (bfloat16, int8),
// written once over an xsimd Arch and instantiated per ISA in kernels/isa/<isa>.cpp. They give the
// reference's bits (reference/lowp.hpp); docs/kernel-lowp.md.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "kernels/arena.hpp"
#include "reference/lowp.hpp"

namespace ek::kern {

/// out[i] = ref::to_bf16(in[i]). A plain loop: compiled with each ISA's flags, GCC 12 vectorizes
/// it with that ISA's widest vectors, narrowing included (vpmovdw on AVX-512), which xsimd 8.1.0
/// has no operation for.
template <class Arch>
void convert_to_bf16(const float* in, uint16_t* out, size_t count) {
  for (size_t i = 0; i < count; ++i) out[i] = ref::to_bf16(in[i]);
}

namespace lowp_detail {

// max |x| over a row, and whether every element is finite (a NaN or ±Inf makes |x| <= FLT_MAX
// false, whatever max does with it).
template <class Arch>
float row_max_abs(const float* x, size_t dim, bool& finite) {
  using batch = xsimd::batch<float, Arch>;
  constexpr size_t W = batch::size;
  batch m(0.0f);
  auto ok = batch(0.0f) == batch(0.0f);
  size_t i = 0;
  for (; i + W <= dim; i += W) {
    const batch a = xsimd::abs(batch::load_unaligned(x + i));
    ok = ok && (a <= batch(FLT_MAX));
    m = xsimd::max(m, a);
  }
  // xsimd 8.1.0 has no max reduction; W values through memory, once per row.
  alignas(64) float lanes[W];
  m.store_aligned(lanes);
  float max_abs = 0.0f;
  for (float a : lanes) max_abs = a > max_abs ? a : max_abs;
  bool all_finite = xsimd::all(ok);
  for (; i < dim; ++i) {
    const float a = std::fabs(x[i]);
    all_finite = all_finite && a <= FLT_MAX;
    max_abs = a > max_abs ? a : max_abs;
  }
  finite = all_finite;
  return max_abs;
}

// q[i] = ref::quantize_element(x[i], scale), for scale > 0.
// A vector division costs several times a multiply, and it set the speed of the whole
// conversion: the quotient is taken as t = x · (1/scale) instead, which is within
// 128 · (2^-24 + 2^-24) < 2^-16 of the exact quotient, itself within 2^-18 of the reference's
// rounded one. Both then round to the same integer unless t lies within 2^-15 of a half-integer;
// a vector with a lane within 2^-12 of one (about one element in 2000) is divided instead.
template <class Arch>
void quantize_row(const float* x, int8_t* q, size_t dim, float scale) {
  using batch = xsimd::batch<float, Arch>;
  constexpr size_t W = batch::size;
  constexpr float q_max = ref::i8_max;
  const float inverse = 1.0f / scale;
  size_t i = 0;
  // A scale so small that its inverse overflows: every element is divided (the tail loop).
  if (inverse <= FLT_MAX) {
    for (; i + W <= dim; i += W) {
      const batch v = batch::load_unaligned(x + i);
      const batch t = v * batch(inverse);
      batch r = xsimd::nearbyint(t);
      if (xsimd::any(xsimd::abs(t - r) > batch(0.5f - 0x1p-12f)))
        r = xsimd::nearbyint(v / batch(scale));
      r = xsimd::min(xsimd::max(r, batch(-q_max)), batch(q_max));
      xsimd_compat::store_i8<Arch>(q + i, xsimd::batch_cast<int32_t>(r));
    }
  }
  for (; i < dim; ++i) q[i] = ref::quantize_element(x[i], scale);
}

}  // namespace lowp_detail

/// ref::quantize_i8, bit for bit: the same float division and ties-to-even rounding. A first pass
/// takes every row's max |x| (into the thread arena) and checks that all elements are finite, so
/// nothing is written on error; the second writes each row. May throw std::bad_alloc, before
/// writing anything.
template <class Arch>
bool quantize_i8(const float* rows, size_t dim, size_t num_rows, int8_t* out, float* row_scales) {
  arena_scope scope;
  auto* max_abs = static_cast<float*>(scope.take(num_rows, sizeof(float)));
  for (size_t r = 0; r < num_rows; ++r) {
    bool finite = true;
    max_abs[r] = lowp_detail::row_max_abs<Arch>(rows + r * dim, dim, finite);
    if (!finite) return false;
  }
  for (size_t r = 0; r < num_rows; ++r) {
    const float scale = max_abs[r] / float(ref::i8_max);
    const float* x = rows + r * dim;
    int8_t* q = out + r * dim;
    if (scale == 0.0f)
      std::memset(q, 0, dim);
    else
      lowp_detail::quantize_row<Arch>(x, q, dim, scale);
    if (row_scales != nullptr) row_scales[r] = scale;
  }
  return true;
}

}  // namespace ek::kern
