// decay.cpp — the reference memory decay: retention in double with libm exp/log1p, the product
// with the strength rounded once to float. The definition every optimized decay is held to.
#include "reference/decay.hpp"

#include <cmath>

namespace ek::ref {

namespace {

// beta * log_term, the power law's exponent. beta == 0 gives exactly 0 even when log_term is +Inf
// (t / tau overflows for a tau_seconds below ~1e-289): (1 + x)^-0 is 1 for every x, as pow defines
// it, where the literal formula would give exp(0 * Inf) = NaN.
double power_exponent(double beta, double log_term) { return beta == 0.0 ? 0.0 : beta * log_term; }

double raw_retention(double t, double tau, const engram_decay_params& params) {
  switch (params.family) {
    case ENGRAM_DECAY_POWER_LAW:
      return std::exp(-power_exponent(params.beta, std::log1p(t / tau)));
    case ENGRAM_DECAY_HYBRID: {
      const double s = params.switch_seconds;
      if (t <= s) return std::exp(-t / tau);
      // s / tau overflowing to +Inf (tau below ~1e-289) makes t / tau +Inf too: R is 0, and the
      // summed exponent below would be Inf - Inf. Every finite s / tau goes through the one exp.
      if (std::isinf(s / tau)) return 0.0;
      // One exp of the summed exponent, not exp(-s/tau) * exp(-beta * ...): the product rounds
      // twice, and in the subnormal range the first rounding keeps only a few bits, so whether R
      // is exactly 0 (which decides Inf * R = NaN) would depend on how the exponent was split.
      // With one exp, R is 0 exactly where e^(-z) < 2^-1075, as for the other two families.
      return std::exp(-s / tau -
                      power_exponent(params.beta, std::log1p(t / tau) - std::log1p(s / tau)));
    }
    default:  // ENGRAM_DECAY_EXPONENTIAL; params are validated before they get here
      return std::exp(-t / tau);
  }
}

}  // namespace

double retention(uint64_t age_seconds, double tau, const engram_decay_params& params) {
  const double r = raw_retention(static_cast<double>(age_seconds), tau, params);
  return r < params.floor ? params.floor : r;
}

void decay(float* strengths, const uint64_t* ages, size_t count,
           const engram_decay_params& params) {
  for (size_t i = 0; i < count; ++i) {
    // R(0) is exactly 1; skipping the float -> double -> float round trip keeps even a signaling
    // NaN's bits, which the conversion would quiet.
    if (ages[i] == 0) continue;
    const double tau = params.tau_per_memory != nullptr
                           ? static_cast<double>(params.tau_per_memory[i])
                           : params.tau_seconds;
    strengths[i] =
        static_cast<float>(static_cast<double>(strengths[i]) * retention(ages[i], tau, params));
  }
}

}  // namespace ek::ref
