// lowp_impl.hpp — the optimized conversions to the compact candidate types (bfloat16, int8),
// written once over an xsimd Arch and instantiated per ISA in kernels/isa/<isa>.cpp. They give the
// reference's bits (reference/lowp.hpp); docs/kernel-lowp.md.
#pragma once

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "kernels/arena.hpp"
#include "kernels/cosine_impl.hpp"
#include "kernels/lowp.hpp"
#include "kernels/xsimd_compat.hpp"
#include "reference/lowp.hpp"

namespace ek::kern {

namespace lowp_detail {

using cosine_detail::head_of;

// The conversion's loop. Compiled with each ISA's flags, GCC 12 vectorizes it with that ISA's
// widest vectors, narrowing included (vpmovdw on AVX-512), which xsimd 8.1.0 has no operation for.
template <class Arch>
void to_bf16_loop(const float* in, uint16_t* out, size_t count) {
  for (size_t i = 0; i < count; ++i) out[i] = ref::to_bf16(in[i]);
}

// The bits of max |x| over a row. With the sign cleared, non-negative floats order as their bit
// patterns read as unsigned integers, and every NaN or ±Inf pattern lies above every finite one:
// the row is finite exactly when the result is below the bits of +Inf. One AND and one integer max
// per vector keep this pass at the speed of reading the row. The loads are aligned (head_of):
// the head and the tail come from two unaligned loads that overlap the aligned ones, which a max
// does not mind.
template <class Arch>
uint32_t row_max_abs_bits(const float* x, size_t dim) {
  using ubatch = xsimd::batch<uint32_t, Arch>;
  constexpr size_t W = ubatch::size;
  constexpr uint32_t magnitude = 0x7fffffffu;
  auto bits = [x](size_t i) {
    return ubatch::load_unaligned(reinterpret_cast<const uint32_t*>(x + i)) & ubatch(magnitude);
  };
  uint32_t max_bits = 0;
  if (dim < W) {
    for (size_t i = 0; i < dim; ++i)
      max_bits = std::max(max_bits, std::bit_cast<uint32_t>(x[i]) & magnitude);
    return max_bits;
  }
  size_t i = head_of<Arch>(x);
  ubatch m0 = bits(0), m1 = bits(dim - W);  // two chains, so the max's latency is hidden
  for (; i + 2 * W <= dim; i += 2 * W) {
    m0 = xsimd::max(m0, bits(i));
    m1 = xsimd::max(m1, bits(i + W));
  }
  if (i + W <= dim) m0 = xsimd::max(m0, bits(i));
  // xsimd 8.1.0 has no max reduction; W values through memory, once per row.
  alignas(64) uint32_t lanes[W];
  xsimd::max(m0, m1).store_aligned(lanes);
  for (uint32_t b : lanes) max_bits = std::max(max_bits, b);
  return max_bits;
}

// q[i] = ref::quantize_element(x[i], scale), for dim >= W and a normal scale (>= FLT_MIN).
//
// Rule `divide` divides every vector, as the reference does. A vector division costs several
// times a multiply on Intel cores (one 512-bit vdivps per 8-10 cycles in Agner Fog's tables; on
// the AMD Zen 5 dividing every vector took 0.89x the time), so rule `reciprocal` takes the
// quotient as t = x · (1/scale), which is within 128 · (2^-24 + 2^-24) < 2^-16 of the exact
// quotient, itself within 2^-18 of the reference's rounded one. Both then round to the same integer
// unless t lies within 2^-15 of a half-integer; a vector with a lane within 2^-12 of one (about one
// vector in 128) is divided instead.
//
// No clamp: with scale = max|x| / 127 rounded and normal, |x| / scale and |t| are at most
// 127 · (1 + 2^-22), which round to 127. (A subnormal scale carries a large relative error; its
// rows take the reference's clamped element loop.)
//
// The loads are aligned as in row_max_abs_bits; the head's and the tail's vectors overlap the
// aligned ones and store the same bytes twice.
template <class Arch, quotient_rule Rule>
void quantize_row(const float* x, int8_t* q, size_t dim, float scale) {
  using batch = xsimd::batch<float, Arch>;
  constexpr size_t W = batch::size;
  const batch divisor(scale);
  const batch inverse(1.0f / scale);
  auto write = [&](size_t i) {
    const batch v = batch::load_unaligned(x + i);
    if constexpr (Rule == quotient_rule::divide) {
      xsimd_compat::store_i8<Arch>(q + i, xsimd::nearbyint_as_int(v / divisor));
    } else {
      const batch t = v * inverse;
      auto r = xsimd::nearbyint_as_int(t);
      if (xsimd::any(xsimd::abs(t - xsimd::nearbyint(t)) > batch(0.5f - 0x1p-12f)))
        r = xsimd::nearbyint_as_int(v / divisor);
      xsimd_compat::store_i8<Arch>(q + i, r);
    }
  };
  size_t i = head_of<Arch>(x);
  if (i != 0) write(0);
  for (; i + W <= dim; i += W) write(i);
  if (i != dim) write(dim - W);
}

// The second pass: every row from its scale.
template <class Arch, quotient_rule Rule>
void quantize_rows(const float* rows, size_t dim, size_t num_rows, const float* scales,
                   int8_t* out) {
  constexpr size_t W = xsimd::batch<float, Arch>::size;
  for (size_t r = 0; r < num_rows; ++r) {
    const float* x = rows + r * dim;
    int8_t* q = out + r * dim;
    const float scale = scales[r];
    if (scale == 0.0f)
      std::memset(q, 0, dim);
    else if (scale < FLT_MIN || dim < W)
      for (size_t i = 0; i < dim; ++i) q[i] = ref::quantize_element(x[i], scale);
    else
      quantize_row<Arch, Rule>(x, q, dim, scale);
  }
}

}  // namespace lowp_detail

/// out[i] = ref::to_bf16(in[i]). The first head_of(in) elements on their own, so that the vector
/// loop's loads are aligned: a load that splits two cache lines costs a second access, and from
/// DRAM it cost AVX-512 a third of its speed (AMD Zen 5, input at 16 bytes past a line:
/// docs/kernel-lowp.md §2).
template <class Arch>
void convert_to_bf16(const float* in, uint16_t* out, size_t count) {
  const size_t head = std::min(count, lowp_detail::head_of<Arch>(in));
  lowp_detail::to_bf16_loop<Arch>(in, out, head);
  lowp_detail::to_bf16_loop<Arch>(in + head, out + head, count - head);
}

/// ref::quantize_i8, bit for bit: the same float division and ties-to-even rounding. A first pass
/// takes every row's scale (into the thread arena) and checks that all elements are finite, so
/// nothing is written on error; the second writes each row, under the process's quotient rule
/// (kernels/lowp.hpp). Reading the input twice is the price
/// of that rule: one read would need a staging copy of the whole output. May throw
/// std::bad_alloc, before writing anything.
template <class Arch>
bool quantize_i8(const float* rows, size_t dim, size_t num_rows, int8_t* out, float* row_scales) {
  constexpr uint32_t infinity_bits = 0x7f800000u;
  arena_scope scope;
  auto* scales = static_cast<float*>(scope.take(num_rows, sizeof(float)));
  for (size_t r = 0; r < num_rows; ++r) {
    const uint32_t max_bits = lowp_detail::row_max_abs_bits<Arch>(rows + r * dim, dim);
    if (max_bits >= infinity_bits) return false;
    scales[r] = std::bit_cast<float>(max_bits) / float(ref::i8_max);
  }
  if (active_quotient_rule() == quotient_rule::divide)
    lowp_detail::quantize_rows<Arch, quotient_rule::divide>(rows, dim, num_rows, scales, out);
  else
    lowp_detail::quantize_rows<Arch, quotient_rule::reciprocal>(rows, dim, num_rows, scales, out);
  if (row_scales != nullptr) std::memcpy(row_scales, scales, num_rows * sizeof(float));
  return true;
}

}  // namespace ek::kern
