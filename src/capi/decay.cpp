// decay.cpp — engram_apply_decay and its defaults: validates buffers, sizes and parameters
// (decisions of docs/kernels.md), then runs the active ISA's decay kernel in place.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"
#include "src/capi/validate.hpp"

namespace {

bool params_in_range(const engram_decay_params& p) {
  const bool family_known = p.family == ENGRAM_DECAY_EXPONENTIAL ||
                            p.family == ENGRAM_DECAY_POWER_LAW || p.family == ENGRAM_DECAY_HYBRID;
  // Each test is written so that NaN fails it.
  return family_known && std::isfinite(p.tau_seconds) && p.tau_seconds > 0 &&
         std::isfinite(p.beta) && p.beta >= 0 && std::isfinite(p.switch_seconds) &&
         p.switch_seconds >= 0 && p.floor >= 0 && p.floor <= 1;
}

#ifdef EK_TEST_SLOWED_DECAY
// Test only (the libengram_kern_slowed.so of EK_TEST_SLOWED_LIBRARY): a planted regression for
// `bench --against`. The kernel also runs over a scratch copy of the strengths, so that a call
// does ENGRAM_KERN_TEST_DECAY_SLOWDOWN times the work (default 1.5) and its output is unchanged;
// the factor is read once per process, so a test plants 10 % or 5 % without a rebuild.
double planted_slowdown() {
  static const double factor = [] {
    const char* v = std::getenv("ENGRAM_KERN_TEST_DECAY_SLOWDOWN");
    const double f = v != nullptr ? std::strtod(v, nullptr) : 1.5;
    return f >= 1 ? f : 1.0;
  }();
  return factor;
}

void planted_extra_passes(const float* strengths, const uint64_t* ages, size_t n,
                          const engram_decay_params& p) {
  auto extra = static_cast<size_t>(std::llround((planted_slowdown() - 1) * static_cast<double>(n)));
  thread_local std::vector<float> scratch;
  scratch.assign(strengths, strengths + std::min(extra, n));
  while (extra > 0) {
    const size_t k = std::min(extra, n);
    ek::kern::active().decay(scratch.data(), ages, k, p);
    extra -= k;
  }
}
#endif

}  // namespace

extern "C" engram_decay_params engram_decay_params_default(void) {
  return {
      sizeof(engram_decay_params), ENGRAM_DECAY_EXPONENTIAL, 86400.0, 1.0, 86400.0, 0.0, nullptr};
}

extern "C" engram_status engram_apply_decay(float* strengths, const uint64_t* ages_seconds,
                                            size_t num_memories,
                                            const engram_decay_params* params) {
  using namespace ek::capi;
  return guarded([&] {
    if (num_memories != 0 && (strengths == nullptr || ages_seconds == nullptr))
      return ENGRAM_ERR_NULL_POINTER;
    const auto strength_bytes = checked_mul(num_memories, sizeof(float));
    const auto age_bytes = checked_mul(num_memories, sizeof(uint64_t));
    if (!strength_bytes || !age_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(strengths, *strength_bytes, ages_seconds, *age_bytes)) return ENGRAM_ERR_OVERLAP;
    // struct_size says which fields the caller's struct has, so it is checked before any other
    // field (tau_per_memory included) is read.
    if (params != nullptr && params->struct_size < sizeof(engram_decay_params))
      return ENGRAM_ERR_INVALID_PARAM;
    const engram_decay_params p = params != nullptr ? *params : engram_decay_params_default();
    if (p.tau_per_memory != nullptr &&
        overlaps(strengths, *strength_bytes, p.tau_per_memory, *strength_bytes))
      return ENGRAM_ERR_OVERLAP;
    if (!params_in_range(p)) return ENGRAM_ERR_INVALID_PARAM;
    if (p.tau_per_memory != nullptr)
      for (size_t i = 0; i < num_memories; ++i)
        if (!std::isfinite(p.tau_per_memory[i]) || !(p.tau_per_memory[i] > 0))
          return ENGRAM_ERR_INVALID_PARAM;
#ifdef EK_TEST_SLOWED_DECAY
    planted_extra_passes(strengths, ages_seconds, num_memories, p);
#endif
    ek::kern::active().decay(strengths, ages_seconds, num_memories, p);
    return ENGRAM_OK;
  });
}
