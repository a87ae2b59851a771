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
  constexpr float q_max = ref::i8_max;
  for (size_t r = 0; r < num_rows; ++r) {
    const float scale = max_abs[r] / q_max;
    const float* x = rows + r * dim;
    int8_t* q = out + r * dim;
    if (scale == 0.0f) {
      std::memset(q, 0, dim);
    } else {
      // A plain loop, vectorized by GCC 12 with the ISA's flags (vdivps, vroundps in the default
      // ties-to-even mode, the narrowing stores).
      for (size_t i = 0; i < dim; ++i) {
        float v = std::nearbyint(x[i] / scale);
        v = v < -q_max ? -q_max : v;
        v = v > q_max ? q_max : v;
        q[i] = static_cast<int8_t>(static_cast<int32_t>(v));
      }
    }
    if (row_scales != nullptr) row_scales[r] = scale;
  }
  return true;
}

}  // namespace ek::kern
