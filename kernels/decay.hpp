// decay.hpp — the numerics of the optimized memory decay (kernels/decay_impl.hpp): the accuracy it
// promises against ek::ref::decay and the error budgets of its own exp2 and log1p. The tests read
// these constants; docs/kernel-decay.md derives them.
#pragma once

#include <cstdint>

namespace ek::kern::decay_numerics {

/// Every normal result is within this many ULP of the reference (docs/contract.md §2.2).
inline constexpr uint64_t max_ulp = 2;
/// A subnormal result (of the reference or the kernel) is within max_subnormal_error of the
/// reference: 2 × 2^-149. ek::harness::ulp_distance counts 2^-149 steps there, so the same count
/// max_ulp measures it.
inline constexpr float max_subnormal_error = 0x1p-148f;

/// The polynomial p(g) ≈ 2^g on g ∈ [-1/2, 1/2] (degree 6, Chebyshev interpolation, evaluated in
/// double): |p(g) / 2^g − 1| stays below this. Measured 2^-28.56; the kernel's retention
/// R = 2^-z therefore carries a relative error below 2^-28, about 1/16 of a float ULP.
inline constexpr double exp2_max_rel_error = 0x1p-28;
inline constexpr double exp2_reduced_min = -0.5;
inline constexpr double exp2_reduced_max = 0.5;

/// log1p(f) = f · q(f) on f ∈ [√½ − 1, √2 − 1] (degree 13, Chebyshev interpolation, in double):
/// |f q(f) / log1p(f) − 1| stays below this. Measured 2^-38.28. The power law needs it: the
/// exponent z = β·log2(e)·log1p(t/τ) is only ever used while z ≤ 280 (beyond, every float result
/// is 0 or the floor), so its absolute error stays below 280 · 2^-37 ≈ 2^-29.
inline constexpr double log1p_max_rel_error = 0x1p-37;
inline constexpr double log1p_reduced_min = -0.29289321881345248;  // √½ − 1
inline constexpr double log1p_reduced_max = 0.41421356237309515;   // √2 − 1

}  // namespace ek::kern::decay_numerics
