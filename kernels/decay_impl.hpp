// decay_impl.hpp — the optimized memory decay, written once over an xsimd Arch and instantiated per
// ISA in kernels/isa/<isa>.cpp. Everything runs in double lanes with our own exp2 and log1p;
// algorithm and error budget: docs/kernel-decay.md; the numerics it promises: kernels/decay.hpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "engram_kern.h"
#include "kernels/decay.hpp"
#include "kernels/xsimd_compat.hpp"

// GCC 12's AVX-512 intrinsics (shifts, min, conversions) pass _mm512_undefined_*() as the unused
// merge source, which its own -Wmaybe-uninitialized then reports (GCC bug 105593, fixed in 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace ek::kern {

namespace decay_detail {

template <class Arch>
using dbatch = xsimd::batch<double, Arch>;
template <class Arch>
using ubatch = xsimd::batch<uint64_t, Arch>;

inline constexpr double log2e = 1.4426950408889634;  // log2(e), rounded to double
inline constexpr double ln2 = 0.69314718055994531;

// Every helper below is always_inline: GCC 12 otherwise outlines log1p or a whole block once the
// loop grows, and a call per block costs the spills of every vector register (all caller-saved)
// and the reload of ~30 broadcast constants.

// x·y + z, fused where the ISA has FMA (xsimd_compat::fma). sse4_2 has none: two roundings in
// double cost nothing we can measure.
template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> fma(const dbatch<Arch>& x, const dbatch<Arch>& y,
                                               const dbatch<Arch>& z) {
  return xsimd_compat::fma(x, y, z);
}

template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> as_double(const ubatch<Arch>& bits) {
  return xsimd::bitwise_cast<dbatch<Arch>>(bits);
}
template <class Arch>
[[gnu::always_inline]] inline ubatch<Arch> as_bits(const dbatch<Arch>& x) {
  return xsimd::bitwise_cast<ubatch<Arch>>(x);
}

/// p(g) ≈ 2^g for g ∈ [-1/2, 1/2], relative error < decay_numerics::exp2_max_rel_error. Degree-6
/// Chebyshev interpolant of 2^g (docs/kernel-decay.md), with the constant term set to exactly 1 so
/// that p(0) == 1 (g == 0 gives c01 == 1 and every other term 0). Estrin's scheme rather than
/// Horner's: the loop is bound by how long each block's dependency chain is (docs/kernel-decay.md,
/// "Latency"), and pairs of coefficients combined by powers of g halve the chain.
template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> exp2_reduced(const dbatch<Arch>& g) {
  using d = dbatch<Arch>;
  const d g2 = g * g;
  const d c01 = fma(d(0x1.62e430d034707p-1), g, d(1.0));
  const d c23 = fma(d(0x1.c6aecc669b36dp-5), g, d(0x1.ebfbe045f4cd0p-3));
  const d c45 = fma(d(0x1.5f48c04f80000p-10), g, d(0x1.3b2a1b7154000p-7));
  const d c456 = fma(d(0x1.443fffc892492p-13), g2, c45);
  return fma(fma(c456, g2, c23), g2, c01);
}

/// offset + log1p(f) for f ∈ [-1/16, 1/16], as offset + f · q(f) rounded once; relative error of
/// f · q(f) < decay_numerics::log1p_max_rel_error. Degree-6 Chebyshev interpolant of log1p(f)/f,
/// evaluated by Estrin's scheme like exp2_reduced.
template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> log1p_reduced(const dbatch<Arch>& f,
                                                         const dbatch<Arch>& offset = 0.0) {
  using d = dbatch<Arch>;
  const d f2 = f * f;
  const d c01 = fma(d(-0x1.0000000709d14p-1), f, d(0x1.0000000000002p+0));
  const d c23 = fma(d(-0x1.ffff1edc06db6p-3), f, d(0x1.55555561d7092p-2));
  const d c45 = fma(d(-0x1.5717169b6db6dp-3), f, d(0x1.9998d17892492p-3));
  const d c456 = fma(d(0x1.2622180000000p-3), f2, c45);
  return fma(fma(fma(c456, f2, c23), f2, c01), f, offset);
}

// The log1p table: r_i = 1/c_i rounded to double, c_i = 1 + i/8, and -log(r_i) rounded to double
// (computed with 50 decimal digits; scripts/fit_decay_polynomials.py prints both).
alignas(64) inline constexpr double log1p_table_r[8] = {
    0x1.0000000000000p+0, 0x1.c71c71c71c71cp-1, 0x1.999999999999ap-1, 0x1.745d1745d1746p-1,
    0x1.5555555555555p-1, 0x1.3b13b13b13b14p-1, 0x1.2492492492492p-1, 0x1.1111111111111p-1};
alignas(64) inline constexpr double log1p_table_log[8] = {0.0,
                                                          0x1.e27076e2af2eap-4,
                                                          0x1.c8ff7c79a9a20p-3,
                                                          0x1.4618bc21c5ec2p-2,
                                                          0x1.9f323ecbf984dp-2,
                                                          0x1.f128f5faf06ecp-2,
                                                          0x1.1e85f5e7040d1p-1,
                                                          0x1.41d8fe84672afp-1};

/// log1p(x) for x ≥ 0 finite (x = +Inf is the caller's case). 1 + x = 2^e·m with m within 1/16 of
/// c_i = 1 + i/8 (i = 0..7, so m ∈ [15/16, 31/16)); log1p(x) = e·ln2 − log(r_i) + log1p(f) with
/// f = r_i·m − 1, one fma rounded once, |f| ≤ 1/16: the table halves the polynomial's degree
/// against a reduction to [√½, √2) alone (13 -> 6 for the same error). While 1 + x < 17/16 (e = 0,
/// i = 0, r_0 = 1) f is x itself, as 1 + x would round away its low bits; elsewhere log1p(x) ≥
/// log(17/16) and the rounding of 1 + x costs at most 2^-53 absolute.
template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> log1p(const dbatch<Arch>& x) {
  using u = ubatch<Arch>;
  using d = dbatch<Arch>;
  constexpr uint64_t one_bits = 0x3ff0000000000000;
  constexpr uint64_t exponent_mask = 0xfff0000000000000;  // sign (0 here) and exponent
  constexpr uint64_t magic_bits = 0x4330000000000000;  // 2^52: its mantissa holds a small integer
  const d y = d(1.0) + x;
  // Half a bucket (2^-4: mantissa bit 48) rounds m to the nearest c_i through the index bits 49-51;
  // from m ≥ 31/16 on it carries into the exponent: i = 0 and e one higher, m = y·2^-e just
  // below 1.
  const u bits = as_bits(y) + u(uint64_t{1} << 48);
  const d e = as_double<Arch>((bits >> 52) | u(magic_bits)) - d(0x1p52 + 1023.0);
  const u i = (bits >> 49) & u(7);
  const d m = as_double<Arch>(as_bits(y) - (bits & u(exponent_mask)) + u(one_bits));
  const d f =
      xsimd::select(y < d(1.0625), x, fma(xsimd_compat::lookup8(log1p_table_r, i), m, d(-1.0)));
  return fma(e, d(ln2), log1p_reduced(f, xsimd_compat::lookup8(log1p_table_log, i)));
}

/// What one call needs beyond the arrays, derived once from the validated params.
struct decay_constants {
  double c = 0;            // log2(e) / tau: z = t · c (scalar tau)
  double z_per_x = log2e;  // z = (t / tau_i) · z_per_x (per-memory tau; 0 when R == 1 throughout)
  double inv_tau = 0;      // 1 / tau (scalar tau)
  double b = 0;            // beta · log2(e)
  double sw = 0;           // switch_seconds
  double zs = 0;           // hybrid, scalar tau: (switch / tau) · log2(e)
  double ls = 0;     // hybrid, scalar tau: log1p(switch / tau), libm's value as the reference has
  double z_inf = 0;  // z where t / tau overflows to +Inf (0·Inf must not decide it)
  double z_cut = 0;  // z > z_cut: R is the floor (or 0, where the reference's exp underflows)
  double r_cut = 0;
};

// R = 2^-z floored, for z ≥ 0 (or +Inf): 2^-z = 2^(kz - z) · 2^-kz with kz = round(z). Below
// 2^-1000 (z > ~1000) R is only good for being tiny: every finite float strength times it rounds to
// 0 (2^-1000 · 1.5 · FLT_MAX < 2^-150, see xsimd_compat::scale_down); the cut restores the exact 0
// (or the floor) that the reference reaches beyond z_cut, so +Inf · R is NaN there as in the
// reference. z = +Inf makes p NaN, which the cut replaces too.
template <class Arch>
[[gnu::always_inline]] inline dbatch<Arch> retention(const dbatch<Arch>& z,
                                                     const decay_constants& k) {
  using d = dbatch<Arch>;
  const d kz = xsimd::nearbyint(z);
  const d p = exp2_reduced(kz - z);  // 2^(kz - z); kz - z is exact (|kz - z| ≤ 1/2, same binade)
  return xsimd::select(z > d(k.z_cut), d(k.r_cut), xsimd_compat::scale_down(p, kz));
}

/// z = -log2 R(t) for the block's ages (before the floor).
template <class Arch, engram_decay_family Family, bool PerTau>
[[gnu::always_inline]] inline dbatch<Arch> exponent(const uint64_t* ages, const float* taus,
                                                    const decay_constants& k) {
  using d = dbatch<Arch>;
  const d t = xsimd_compat::to_double(ubatch<Arch>::load_unaligned(ages));
  if constexpr (Family == ENGRAM_DECAY_EXPONENTIAL) {
    return PerTau ? (t / xsimd_compat::load_widened<Arch>(taus)) * d(k.z_per_x) : t * d(k.c);
  } else {
    const d tau = PerTau ? xsimd_compat::load_widened<Arch>(taus) : d(1.0);
    const d x = PerTau ? t / tau : t * d(k.inv_tau);
    d zp;
    if constexpr (Family == ENGRAM_DECAY_POWER_LAW) {
      zp = d(k.b) * log1p(x);
    } else {
      // t > switch: 2^-zs · (power law relative to the switch), zs = (switch/tau)·log2(e).
      const d xs = PerTau ? d(k.sw) / tau : d(k.sw * k.inv_tau);
      const d zs = PerTau ? xs * d(log2e) : d(k.zs);
      const d ls = PerTau ? log1p(xs) : d(k.ls);
      zp = xsimd::select(t <= d(k.sw), x * d(log2e), fma(d(k.b), log1p(x) - ls, zs));
    }
    return xsimd::select(x == d(std::numeric_limits<double>::infinity()), d(k.z_inf), zp);
  }
}

/// strengths · 2^-z floored, rounded once to float, stored where the age is not 0.
template <class Arch>
[[gnu::always_inline]] inline void apply(float* strengths, const uint64_t* ages,
                                         const dbatch<Arch>& z, const decay_constants& k) {
  const dbatch<Arch> s = xsimd_compat::load_widened<Arch>(strengths);
  // Age 0 is never written (as in the reference), so its strength keeps every bit, a signaling
  // NaN's included (the float -> double -> float round trip would quiet it).
  xsimd_compat::store_narrowed_where(strengths, s * retention(z, k),
                                     ubatch<Arch>::load_unaligned(ages));
}

template <class Arch, engram_decay_family Family, bool PerTau>
[[gnu::always_inline]] inline void decay_block(float* strengths, const uint64_t* ages,
                                               const float* taus, const decay_constants& k) {
  apply<Arch>(strengths, ages, exponent<Arch, Family, PerTau>(ages, taus, k), k);
}

// Software-pipelined two blocks deep: each iteration computes the exponent of block i + 2 and
// applies the retention to block i, whose exponent is two iterations old. One block's work is a
// single dependency chain of ~100 cycles (log, exp2, scaling) against ~25 cycles of issue, so the
// core has to overlap several blocks; in program order the out-of-order window only reaches about
// two, and the loop ran at the chain's pace. Splitting the chain across iterations puts independent
// work next to each other (docs/kernel-decay.md, "Latency").
template <class Arch, engram_decay_family Family, bool PerTau>
void decay_loop(float* strengths, const uint64_t* ages, const float* taus, size_t count,
                const decay_constants& k) {
  constexpr size_t n = dbatch<Arch>::size;
  const auto tau_at = [taus](size_t j) { return PerTau ? taus + j : nullptr; };
  size_t i = 0;
  if (count >= 2 * n) {
    dbatch<Arch> z0 = exponent<Arch, Family, PerTau>(ages, tau_at(0), k);
    dbatch<Arch> z1 = exponent<Arch, Family, PerTau>(ages + n, tau_at(n), k);
    for (; i + 3 * n <= count; i += n) {
      const dbatch<Arch> z2 =
          exponent<Arch, Family, PerTau>(ages + i + 2 * n, tau_at(i + 2 * n), k);
      apply<Arch>(strengths + i, ages + i, z0, k);
      z0 = z1;
      z1 = z2;
    }
    apply<Arch>(strengths + i, ages + i, z0, k);
    apply<Arch>(strengths + i + n, ages + i + n, z1, k);
    i += 2 * n;
  } else if (count >= n) {
    decay_block<Arch, Family, PerTau>(strengths, ages, taus, k);
    i = n;
  }
  if (i == count) return;
  // The tail runs through the same block on padded copies: age 0 pads are never written back
  // into the copy, and nothing outside [0, count) is read or written.
  const size_t rest = count - i;
  float s[n] = {};
  uint64_t a[n] = {};
  float tau[n];
  for (size_t j = 0; j < n; ++j) tau[j] = 1.0f;
  std::memcpy(s, strengths + i, rest * sizeof(float));
  std::memcpy(a, ages + i, rest * sizeof(uint64_t));
  if (PerTau) std::memcpy(tau, taus + i, rest * sizeof(float));
  decay_block<Arch, Family, PerTau>(s, a, tau, k);
  std::memcpy(strengths + i, s, rest * sizeof(float));
}

template <class Arch, engram_decay_family Family>
void decay_family(float* strengths, const uint64_t* ages, size_t count,
                  const engram_decay_params& params, const decay_constants& k) {
  if (params.tau_per_memory != nullptr)
    decay_loop<Arch, Family, true>(strengths, ages, params.tau_per_memory, count, k);
  else
    decay_loop<Arch, Family, false>(strengths, ages, nullptr, count, k);
}

}  // namespace decay_detail

/// strengths[i] *= R(ages[i]) as ek::ref::decay defines it, within decay_numerics::max_ulp.
/// Params are validated and defaulted by the C ABI.
template <class Arch>
void decay(float* strengths, const uint64_t* ages, size_t count,
           const engram_decay_params& params) {
  using namespace decay_detail;
  decay_constants k;
  const double tau = params.tau_seconds;
  k.c = log2e / tau;
  k.inv_tau = 1.0 / tau;
  k.b = params.beta * log2e;
  k.sw = params.switch_seconds;
  k.zs = (k.sw / tau) * log2e;
  k.ls = std::log1p(k.sw / tau);
  // The reference's exp(-x) is 0 once x·log2(e) > 1075 (below half the least subnormal double).
  k.z_cut = params.floor > 0 ? std::fmin(-std::log2(params.floor), 1075.0) : 1075.0;
  // A floor of -0 is valid (it is in [0, 1]); the reference's max(R, floor) keeps R = +0 there.
  k.r_cut = params.floor > 0 ? params.floor : 0.0;
  const double inf = std::numeric_limits<double>::infinity();
  switch (params.family) {
    case ENGRAM_DECAY_POWER_LAW:
      // beta == 0 is R == 1 for every age (the reference's pow convention): z == 0 everywhere.
      if (params.beta == 0) {
        k.c = 0;
        k.z_per_x = 0;
        decay_family<Arch, ENGRAM_DECAY_EXPONENTIAL>(strengths, ages, count, params, k);
        return;
      }
      k.z_inf = inf;
      decay_family<Arch, ENGRAM_DECAY_POWER_LAW>(strengths, ages, count, params, k);
      return;
    case ENGRAM_DECAY_HYBRID:
      k.z_inf = params.beta == 0 ? k.zs : inf;
      decay_family<Arch, ENGRAM_DECAY_HYBRID>(strengths, ages, count, params, k);
      return;
    default:
      decay_family<Arch, ENGRAM_DECAY_EXPONENTIAL>(strengths, ages, count, params, k);
      return;
  }
}

}  // namespace ek::kern

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
