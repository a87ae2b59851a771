// peer_sleef.cpp — decay with SLEEF's 16-lane AVX-512 exp and log1p (1-ULP functions). This file
// alone is compiled with AVX-512 flags, so it holds no inline C++ library code (whose weak copies
// the linker could hand to other files) — only intrinsics and C calls; peers.cpp wraps it and
// runs it only on a CPU that has AVX-512. As a SLEEF user would, it rounds t/τ to f32 before the
// exp: that rounding, amplified by |t/τ|, is what its verification row measures.
#include <immintrin.h>
#include <math.h>
#include <sleef.h>

#include "src/bench/peers.hpp"

namespace ek::bench {

namespace {

// x holds t/τ per lane; past_switch marks the lanes where the hybrid's power law applies.
__m512 retention16(const engram_decay_params& p, __m512 x, __mmask16 past_switch) {
  const __m512 exponential = Sleef_expf16_u10(_mm512_sub_ps(_mm512_setzero_ps(), x));
  if (p.family == ENGRAM_DECAY_EXPONENTIAL) return exponential;
  const __m512 minus_beta = _mm512_set1_ps(static_cast<float>(-p.beta));
  const __m512 log_term = Sleef_log1pf16_u10(x);
  if (p.family == ENGRAM_DECAY_POWER_LAW)
    return Sleef_expf16_u10(_mm512_mul_ps(minus_beta, log_term));
  const double s = p.switch_seconds / p.tau_seconds;
  const __m512 shifted = _mm512_sub_ps(log_term, _mm512_set1_ps(static_cast<float>(log1p(s))));
  const __m512 tail = _mm512_mul_ps(_mm512_set1_ps(static_cast<float>(exp(-s))),
                                    Sleef_expf16_u10(_mm512_mul_ps(minus_beta, shifted)));
  return _mm512_mask_blend_ps(past_switch, exponential, tail);
}

}  // namespace

void sleef_decay_avx512(float* strengths, const uint64_t* ages, size_t n,
                        const engram_decay_params& p) {
  const __m512 floor = _mm512_set1_ps(static_cast<float>(p.floor));
  for (size_t i = 0; i < n; i += 16) {
    const size_t lanes = n - i < 16 ? n - i : 16;
    alignas(64) float x[16] = {};
    unsigned past = 0;
    for (size_t k = 0; k < lanes; ++k) {
      const double t = static_cast<double>(ages[i + k]);
      x[k] = static_cast<float>(t / p.tau_seconds);
      if (t > p.switch_seconds) past |= 1u << k;
    }
    // maskz_max rather than max: GCC 12 warns about max_ps's _mm512_undefined_ps() operand.
    const __m512 r = _mm512_maskz_max_ps(
        0xFFFF, retention16(p, _mm512_load_ps(x), static_cast<__mmask16>(past)), floor);
    const __mmask16 m = static_cast<__mmask16>((1u << lanes) - 1);
    const __m512 s = _mm512_maskz_loadu_ps(m, strengths + i);
    _mm512_mask_storeu_ps(strengths + i, m, _mm512_mul_ps(s, r));
  }
}

}  // namespace ek::bench
