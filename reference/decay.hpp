// decay.hpp — the reference memory decay: the definition of every decayed strength.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engram_kern.h"

namespace ek::ref {

/// R(t) for one age, in double with libm exp/log1p (see engram_decay_family), then floored:
/// max(R, params.floor). Never NaN: beta == 0 gives a power factor of exactly 1 even where t / tau
/// overflows to +Inf, and a hybrid whose s / tau overflows to +Inf gives 0 past the switch.
double retention(uint64_t age_seconds, double tau, const engram_decay_params& params);

/// strengths[i] = float(double(strengths[i]) * retention(ages[i], tau_i)) — rounded once; age 0
/// leaves the strength bit-identical; NaN stays NaN; ±0 keeps its sign. Params are validated.
void decay(float* strengths, const uint64_t* ages, size_t count, const engram_decay_params& params);

}  // namespace ek::ref
