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

/// log1p(f) = f · q(f) on f ∈ [-1/16, 1/16] (degree 6, Chebyshev interpolation, in double), the
/// range left after the 8-entry table reduction of kernels/decay_impl.hpp's log1p:
/// |f q(f) / log1p(f) − 1| stays below this. Measured 2^-36.96 (scripts/fit_decay_polynomials.py,
/// 10^5 points). The power law needs it: the exponent z = β·log2(e)·log1p(t/τ) is only ever used
/// while z ≤ 280 (beyond, every float result is 0 or the floor), so its absolute error stays below
/// 280 · 2^-36 ≈ 2^-28.
inline constexpr double log1p_max_rel_error = 0x1p-36;
inline constexpr double log1p_reduced_min = -0.0625;
inline constexpr double log1p_reduced_max = 0.0625;

}  // namespace ek::kern::decay_numerics
