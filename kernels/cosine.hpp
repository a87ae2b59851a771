// cosine.hpp — numerics of the optimized batch cosine kernels (kernels/cosine_impl.hpp): the
// range their f32 sums are trusted in, and the bound every optimized score obeys against
// ek::ref::cosine. Derivation: docs/kernel-cosine.md §3.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ek::kern {

/// Candidates per pass over the query: their query loads are shared, and their 2 · 4 sums give
/// the 8 independent FMA chains that hide FMA latency on two FMA ports.
inline constexpr size_t cosine_block = 4;

/// Software prefetch of the next block's candidate rows (kernels/cosine_impl.hpp, block_sums):
/// `by_size` (the default) prefetches when a call's candidates span at least
/// cosine_prefetch_min_bytes, `always` and `never` force it (ENGRAM_KERN_PREFETCH, or
/// set_prefetch_rule in kernels/dispatch.hpp). Scores are bit-identical under every rule: a
/// prefetch changes when a line arrives, not what is summed.
enum class prefetch_rule : uint8_t { never, always, by_size };
inline constexpr prefetch_rule all_prefetch_rules[] = {prefetch_rule::never, prefetch_rule::always,
                                                       prefetch_rule::by_size};

/// Candidate bytes from which `by_size` prefetches. Measured on AMD Zen 4 with `bench --against`
/// (docs/kernel-cosine.md §1, step 4): prefetching slows candidates that sit in the caches (d768
/// n256, 0.8 MB: avx2 1.14x the time; d1536 n1000, 6 MB: 1.11x) and speeds those streamed from
/// memory (d768 n10000, 31 MB: avx2 0.78x, avx512 0.65x; n100000, 307 MB: 0.80x / 0.71x, with
/// one request per line). 16 MiB lies between the two measured sides.
inline constexpr size_t cosine_prefetch_min_bytes = size_t{16} << 20;

constexpr bool prefetch_for(prefetch_rule rule, size_t candidate_bytes) {
  return rule == prefetch_rule::always ||
         (rule == prefetch_rule::by_size && candidate_bytes >= cosine_prefetch_min_bytes);
}
constexpr const char* prefetch_rule_name(prefetch_rule r) {
  return r == prefetch_rule::never ? "never" : r == prefetch_rule::always ? "always" : "by-size";
}

/// Smallest f32 sum of squares (2^-64) the fast path trusts. Below it, products that underflowed
/// to subnormals or zero may carry a relative error the bound does not cover, so the candidate (or,
/// for the query, the whole call) is recomputed by ek::ref::cosine in double. Non-finite sums
/// (a NaN/Inf element, or squares beyond FLT_MAX) take the same path.
inline constexpr float cosine_min_sum = 0x1p-64f;

/// The vector widths (floats) cosine_error_bound(dim) covers: 128- to 512-bit registers. Each
/// ISA's own width is its kernel table's cosine_lanes; make_kernel_table refuses to compile an
/// ISA outside this range.
inline constexpr size_t cosine_min_lanes = 4;
inline constexpr size_t cosine_max_lanes = 16;

namespace cosine_numerics {
// gamma_n = n·u / (1 − n·u): the relative error of a chain of n roundings with unit roundoff u.
constexpr double gamma(double n, double u) { return n * u / (1 - n * u); }
constexpr double log2_exact(size_t lanes) {
  double levels = 0;
  for (; lanes > 1; lanes /= 2) levels += 1;
  return levels;
}
// |r − ρ| for a score r computed from sums with relative error ≤ eps (dot relative to |q||c|)
// and finished with 4 double roundings (2 sqrt, mul, div): (2ε + θ + εθ) / (1 − ε), θ = γ₄(2⁻⁵³).
constexpr double quotient_error(double eps) {
  const double theta = gamma(4, 0x1p-53);
  return (2 * eps + theta + eps * theta) / (1 - eps);
}
}  // namespace cosine_numerics

/// Bound on |optimized − reference| for one score of a `dim`-long pair, when the kernel keeps
/// `lanes` f32 partial sums (one chain per lane, then a log2(lanes)-deep tree). Every product
/// passes through at most N = ceil(dim/lanes) + 1 + log2(lanes) f32 roundings (with or without
/// FMA; the + 1 is the aligning head),
/// plus at most dim·2⁻¹⁴⁸/cosine_min_sum relative error from underflow; the reference's double
/// sums are off by at most γ_dim(2⁻⁵³); both round the clamped quotient to f32 once (2⁻²⁵ each).
constexpr double cosine_error_bound(size_t dim, size_t lanes) {
  using namespace cosine_numerics;
  const size_t chain_length = (dim + lanes - 1) / lanes;  // ceil(dim / lanes)
  const double n = double(chain_length) + 1 + log2_exact(lanes);
  const double eps_fast = gamma(n, 0x1p-24) + double(dim) * 0x1p-148 / double(cosine_min_sum);
  const double eps_ref = gamma(double(dim), 0x1p-53);
  return quotient_error(eps_fast) + quotient_error(eps_ref) + 0x1p-24;
}

/// The bound that holds for every ISA (the largest over their widths: the narrowest wins from
/// dim ~40 up, the widest below, where its deeper reduction tree dominates). What verify, bench
/// and fuzzing use.
constexpr double cosine_error_bound(size_t dim) {
  double bound = 0;
  for (size_t lanes = cosine_min_lanes; lanes <= cosine_max_lanes; lanes *= 2) {
    const double b = cosine_error_bound(dim, lanes);
    bound = b > bound ? b : bound;
  }
  return bound;
}

}  // namespace ek::kern
