// peer_libmvec.cpp — decay as a plain loop over expf/log1pf that GCC vectorizes into calls to
// glibc's libmvec (_ZGVeN16v_expf, _ZGVeN16v_log1pf). This file alone gets -O3 -ffast-math and
// AVX-512 flags (src/bench/CMakeLists.txt), so it holds no inline C++ library code (whose weak
// copies the linker could hand to other files); peers.cpp wraps it and runs it only on a CPU
// that has AVX-512.
#include <math.h>

#include "src/bench/peers.hpp"

namespace ek::bench {

void libmvec_decay_avx512(float* __restrict s, const uint64_t* __restrict ages, size_t n,
                          const engram_decay_params& p) {
  const float inv_tau = static_cast<float>(1.0 / p.tau_seconds);
  const float beta = static_cast<float>(p.beta);
  const float floor = static_cast<float>(p.floor);
  const float sw = static_cast<float>(p.switch_seconds / p.tau_seconds);
  const float at_switch = expf(-sw), log_switch = log1pf(sw);
  switch (p.family) {
    case ENGRAM_DECAY_EXPONENTIAL:
      for (size_t i = 0; i < n; ++i) {
        const float r = expf(-static_cast<float>(ages[i]) * inv_tau);
        s[i] *= r > floor ? r : floor;
      }
      break;
    case ENGRAM_DECAY_POWER_LAW:
      for (size_t i = 0; i < n; ++i) {
        const float r = expf(-beta * log1pf(static_cast<float>(ages[i]) * inv_tau));
        s[i] *= r > floor ? r : floor;
      }
      break;
    default:
      for (size_t i = 0; i < n; ++i) {
        const float x = static_cast<float>(ages[i]) * inv_tau;
        const float e = expf(-x);
        const float pw = at_switch * expf(-beta * (log1pf(x) - log_switch));
        const float r = x <= sw ? e : pw;
        s[i] *= r > floor ? r : floor;
      }
  }
}

}  // namespace ek::bench
