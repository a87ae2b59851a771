// xsimd_compat.hpp — every place the kernels work around xsimd 8.1.0 (Debian 12's version): an
// operation it lacks or gets wrong on some ISA, named here once with the intrinsic it should
// have used. An xsimd upgrade starts by checking each function below against the new version.
// All are templates on Arch, so each ISA object gets its own copy (scripts/odr_check.sh).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace ek::kern::xsimd_compat {

/// x·y + z. xsimd 8.1.0 has no AVX-512 fma: its generic fallback rounds the product, then the
/// sum, so the AVX-512 ISAs name the fused instruction. Everywhere else xsimd::fma is the fused
/// instruction, or (no FMA unit: sse4_2) a rounded multiply then add, which each caller's error
/// budget must cover.
template <class Arch, class T>
xsimd::batch<T, Arch> fma(const xsimd::batch<T, Arch>& x, const xsimd::batch<T, Arch>& y,
                          const xsimd::batch<T, Arch>& z) {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) {
    if constexpr (std::is_same_v<T, float>) return _mm512_fmadd_ps(x, y, z);
    if constexpr (std::is_same_v<T, double>) return _mm512_fmadd_pd(x, y, z);
  }
#endif
  return xsimd::fma(x, y, z);
}

/// u64 -> double, rounded to nearest once, over the whole range (2^64 - 1 gives 2^64). AVX-512DQ
/// has the instruction, which xsimd 8.1.0 does not wrap (its avx512 cast is signed only); xsimd's
/// own sse4_1/avx2 casts add the exact halves hi·2^32 (via the 2^84 magic number) and lo (via
/// 2^52) with one rounding; NEON has the instruction.
template <class Arch>
xsimd::batch<double, Arch> to_double(const xsimd::batch<uint64_t, Arch>& x) {
#if XSIMD_WITH_AVX512DQ
  if constexpr (std::is_base_of_v<xsimd::avx512dq, Arch>) return _mm512_cvtepu64_pd(x);
#endif
  return xsimd::batch_cast<double>(x);
}

/// p · 2^-n for p in [1/2, 2) and n ≥ 0 integer-valued: exact while the result is a normal double
/// of at least 2^-1000. Below that the result is only tiny: AVX-512F has the instruction
/// (vscalefpd, rounded once, to a subnormal or 0), which xsimd 8.1.0 does not wrap; the other ISAs
/// subtract min(n, 1000) from p's exponent field (n + 2^52 holds n in its low mantissa bits),
/// which stays a normal double of at most 2^-999. Callers must not depend on which.
template <class Arch>
xsimd::batch<double, Arch> scale_down(const xsimd::batch<double, Arch>& p,
                                      const xsimd::batch<double, Arch>& n) {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) return _mm512_scalef_pd(p, -n);
#endif
  using ubatch = xsimd::batch<uint64_t, Arch>;
  const ubatch n_bits = xsimd::bitwise_cast<ubatch>(
      xsimd::min(n, xsimd::batch<double, Arch>(1000.0)) + xsimd::batch<double, Arch>(0x1p52));
  return xsimd::bitwise_cast<xsimd::batch<double, Arch>>(xsimd::bitwise_cast<ubatch>(p) -
                                                         (n_bits << 52));
}

/// table[index[j]] for every lane, index[j] in [0, 8): a lookup in a table held in registers.
/// xsimd 8.1.0 has no run-time permute (its swizzle takes compile-time indices), and gathers are
/// slow on AMD Zen (vgatherqpd ymm: ~12 cycles measured on Zen 5, against 0.5 for a permute).
/// AVX-512 permutes the 8 doubles of one register (vpermpd); AVX2 permutes the table's low and
/// high 32-bit halves as 8 floats each (vpermps); other ISAs (sse4_2, NEON: 2 lanes) look up
/// through a small buffer.
template <class Arch>
xsimd::batch<double, Arch> lookup8(const double* table, const xsimd::batch<uint64_t, Arch>& index) {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>)
    return _mm512_permutexvar_pd(index, _mm512_loadu_pd(table));
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch>) {
    // The table's low and high 32-bit halves as 8 floats each (loop-invariant: hoisted). vpermps
    // reads the low 3 bits of each 32-bit index: `index` picks low[i] into the low half of each
    // lane, `index << 32` picks high[i] into its high half, and one blend joins them.
    const __m256i t03 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table));
    const __m256i t47 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 4));
    const __m256i evens = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m256i a = _mm256_permutevar8x32_epi32(t03, evens);  // lo0-3, hi0-3
    const __m256i b = _mm256_permutevar8x32_epi32(t47, evens);  // lo4-7, hi4-7
    const __m256 low = _mm256_castsi256_ps(_mm256_permute2x128_si256(a, b, 0x20));
    const __m256 high = _mm256_castsi256_ps(_mm256_permute2x128_si256(a, b, 0x31));
    const __m256 lo = _mm256_permutevar8x32_ps(low, index);
    const __m256 hi = _mm256_permutevar8x32_ps(high, _mm256_slli_epi64(index, 32));
    return _mm256_castps_pd(_mm256_blend_ps(lo, hi, 0xaa));
  }
#endif
  constexpr size_t n = xsimd::batch<double, Arch>::size;
  alignas(64) uint64_t lanes[n];
  alignas(64) double out[n];
  index.store_aligned(lanes);
  for (size_t j = 0; j < n; ++j) out[j] = table[lanes[j]];
  return xsimd::batch<double, Arch>::load_aligned(out);
}

/// One batch of doubles from as many floats: xsimd 8.1.0 has no conversion across register
/// widths, so AVX-512 and AVX name the instructions and every other ISA (sse4_2, NEON) goes
/// through a small buffer.
template <class Arch>
xsimd::batch<double, Arch> load_widened(const float* src) {
  using dbatch = xsimd::batch<double, Arch>;
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>)
    return _mm512_cvtps_pd(_mm256_loadu_ps(src));
#endif
#if XSIMD_WITH_AVX
  if constexpr (std::is_base_of_v<xsimd::avx, Arch>) return _mm256_cvtps_pd(_mm_loadu_ps(src));
#endif
  alignas(64) double buf[dbatch::size];
  for (size_t j = 0; j < dbatch::size; ++j) buf[j] = double(src[j]);
  return dbatch::load_aligned(buf);
}

/// dst[j] = float(v[j]) for the lanes where keep[j] != 0; the other floats are not written. The
/// narrowing across register widths is the same gap as load_widened's, and a masked store keeps
/// the untouched floats' bits: AVX-512 and AVX2 name the instructions, the others a buffer.
template <class Arch>
void store_narrowed_where(float* dst, const xsimd::batch<double, Arch>& v,
                          const xsimd::batch<uint64_t, Arch>& keep) {
  constexpr size_t n = xsimd::batch<double, Arch>::size;
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) {
    _mm256_mask_storeu_ps(dst, _mm512_test_epi64_mask(keep, keep), _mm512_cvtpd_ps(v));
    return;
  }
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch>) {
    // Lane j's mask is the sign bit of 32-bit element j: the low halves of (keep == 0) inverted.
    const __m256i zero = _mm256_cmpeq_epi64(keep, _mm256_setzero_si256());
    const __m128i mask = _mm_xor_si128(_mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
                                           zero, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6))),
                                       _mm_set1_epi32(-1));
    _mm_maskstore_ps(dst, mask, _mm256_cvtpd_ps(v));
    return;
  }
#endif
  alignas(64) double buf[n];
  alignas(64) uint64_t lanes[n];
  v.store_aligned(buf);
  keep.store_aligned(lanes);
  for (size_t j = 0; j < n; ++j) dst[j] = lanes[j] != 0 ? float(buf[j]) : dst[j];
}

/// One batch of floats from as many bfloat16 values (the upper 16 bits of floats), exactly. xsimd
/// 8.1.0 has no widening load (its converting load goes element by element), so x86 names the
/// zero-extending move and the shift; other ISAs go through a small buffer.
template <class Arch>
xsimd::batch<float, Arch> load_bf16(const uint16_t* src) {
  using fbatch = xsimd::batch<float, Arch>;
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>)
    return _mm512_castsi512_ps(_mm512_slli_epi32(
        _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src))), 16));
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch>)
    return _mm256_castsi256_ps(_mm256_slli_epi32(
        _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src))), 16));
#endif
#if XSIMD_WITH_SSE4_1
  if constexpr (std::is_base_of_v<xsimd::sse4_1, Arch>)
    return _mm_castsi128_ps(_mm_slli_epi32(
        _mm_cvtepu16_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src))), 16));
#endif
  alignas(64) uint32_t buf[fbatch::size];
  for (size_t j = 0; j < fbatch::size; ++j) buf[j] = uint32_t{src[j]} << 16;
  return xsimd::bitwise_cast<fbatch>(xsimd::batch<uint32_t, Arch>::load_aligned(buf));
}

/// One batch of floats from as many int8 values, exactly (sign extension, then the int32 ->
/// float conversion, exact below 2^24). The same gap in xsimd 8.1.0 as load_bf16's.
template <class Arch>
xsimd::batch<float, Arch> load_i8(const int8_t* src) {
  using fbatch = xsimd::batch<float, Arch>;
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>)
    return _mm512_cvtepi32_ps(
        _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src))));
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch>)
    return _mm256_cvtepi32_ps(
        _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src))));
#endif
#if XSIMD_WITH_SSE4_1
  if constexpr (std::is_base_of_v<xsimd::sse4_1, Arch>) {
    int32_t four;  // exactly the 4 bytes of the batch: nothing past them is read
    std::memcpy(&four, src, sizeof four);
    return _mm_cvtepi32_ps(_mm_cvtepi8_epi32(_mm_cvtsi32_si128(four)));
  }
#endif
  alignas(64) float buf[fbatch::size];
  for (size_t j = 0; j < fbatch::size; ++j) buf[j] = float(src[j]);
  return fbatch::load_aligned(buf);
}

/// dst[j] = int8(v[j]) for values already in [-128, 127]. xsimd 8.1.0 has no narrowing store:
/// AVX-512 names vpmovdb, AVX2 and SSE4.1 the saturating packs (exact in range), others a loop.
template <class Arch>
void store_i8(int8_t* dst, const xsimd::batch<int32_t, Arch>& v) {
#if XSIMD_WITH_AVX512F
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm512_cvtepi32_epi8(v));
    return;
  }
#endif
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch>) {
    // Packs work per 128-bit half: the 8 bytes come out as the low 4 bytes of each half.
    const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(v, v), _mm256_setzero_si256());
    const __m128i both =
        _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), both);
    return;
  }
#endif
#if XSIMD_WITH_SSE4_1
  if constexpr (std::is_base_of_v<xsimd::sse4_1, Arch>) {
    const int32_t four =
        _mm_cvtsi128_si32(_mm_packs_epi16(_mm_packs_epi32(v, v), _mm_setzero_si128()));
    std::memcpy(dst, &four, sizeof four);  // exactly the 4 bytes: nothing past them is written
    return;
  }
#endif
  alignas(64) int32_t buf[xsimd::batch<int32_t, Arch>::size];
  v.store_aligned(buf);
  for (size_t j = 0; j < xsimd::batch<int32_t, Arch>::size; ++j) dst[j] = int8_t(buf[j]);
}

/// base[index[j]] for every lane. xsimd 8.1.0's batch::gather calls its kernels as gather<A, T>,
/// which never matches the AVX2 float overload (it takes <A> alone), and inserts lane by lane
/// through memory; so on 256-bit AVX2 vectors (which the AVX-512 spreading kernels use too) the
/// vpgatherdd kernel is named directly.
template <class Arch>
xsimd::batch<float, Arch> gather(const float* base, const xsimd::batch<int32_t, Arch>& index) {
#if XSIMD_WITH_AVX2
  if constexpr (std::is_base_of_v<xsimd::avx2, Arch> && !std::is_base_of_v<xsimd::avx512f, Arch>)
    return xsimd::kernel::gather<Arch>(base, index, Arch{});
#endif
  return xsimd::batch<float, Arch>::gather(base, index);
}

}  // namespace ek::kern::xsimd_compat
