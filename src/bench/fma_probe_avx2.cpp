// fma_probe_avx2.cpp — the compute roofline's probe for AVX2 + FMA: 256-bit fused multiply-adds
// on registers only, in twelve independent chains (fma_probe_body.hpp). Compiled alone with the
// avx2 flags (src/bench/CMakeLists.txt), exporting one plain function; fma_probe.cpp calls it
// only where the CPU runs AVX2 and FMA.
#include <immintrin.h>

#include "src/bench/fma_probe_body.hpp"

namespace ek::bench {

namespace {
struct avx2_ops {
  using vec = __m256;
  static vec set1(float x) { return _mm256_set1_ps(x); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
  static float lane0(vec a) { return _mm256_cvtss_f32(a); }
};
}  // namespace

// Twelve chains: two FMA pipes of latency 4 (AMD Zen 3) or 4-5 (Intel) keep at most ten in
// flight, and twelve accumulators plus the two constants fit the sixteen registers.
float fma_probe_avx2(size_t rounds) { return fma_chains<avx2_ops, 12>(rounds); }

}  // namespace ek::bench
