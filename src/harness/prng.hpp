// prng.hpp — the specified pseudo-random generator behind every workload: xoshiro256** seeded
// through splitmix64, with our own transforms (never std::*_distribution, whose output differs
// between standard libraries), so one seed gives the same bytes on every machine.
#pragma once

#include <cstdint>

namespace ek::harness {

/// splitmix64: one step of the seeding generator (Steele, Lea, Flood 2014).
uint64_t splitmix64(uint64_t& state);

/// xoshiro256** (Blackman, Vigna 2018) plus the transforms the generators need. Every transform
/// is a fixed sequence of IEEE operations on the raw 64-bit outputs; only normal() and the
/// log-uniform helper call libm (log, exp), which glibc rounds correctly in practice.
class prng {
 public:
  explicit prng(uint64_t seed);

  /// The next raw 64-bit output.
  uint64_t next();
  /// Uniform in [0, 1): the top 53 bits scaled by 2^-53 (every value a multiple of 2^-53).
  double uniform();
  /// Uniform in [lo, hi): lo + (hi - lo) * uniform().
  double uniform(double lo, double hi);
  /// Uniform integer in [0, n) without modulo bias (rejection below 2^64 mod n); n == 0 gives 0.
  uint64_t below(uint64_t n);
  /// Uniform integer in [lo, hi], inclusive; requires lo <= hi.
  int64_t range(int64_t lo, int64_t hi);
  /// True with probability 1 / n (n >= 1).
  bool one_in(uint64_t n);
  /// Standard normal N(0, 1) by Marsaglia's polar method (one log, one sqrt per pair; the second
  /// value of a pair is kept for the next call).
  double normal();
  /// Standard Cauchy as the ratio x / y of a point uniform in the unit disc: no libm call at all.
  double cauchy();
  /// exp(uniform(log(lo), log(hi))): log-uniform in [lo, hi), lo > 0.
  double log_uniform(double lo, double hi);
  /// +1.0 or -1.0 with equal probability.
  double sign();

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace ek::harness
