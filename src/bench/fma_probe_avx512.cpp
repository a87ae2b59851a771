// fma_probe_avx512.cpp — the compute roofline's probe for AVX-512: 512-bit fused multiply-adds on
// registers only, in sixteen independent chains (fma_probe_body.hpp). Compiled alone with the
// avx512 flags (src/bench/CMakeLists.txt), exporting one plain function; fma_probe.cpp calls it
// only where the CPU runs AVX-512.
#include <immintrin.h>

#include "src/bench/fma_probe_body.hpp"

namespace ek::bench {

namespace {
struct avx512_ops {
  using vec = __m512;
  static vec set1(float x) { return _mm512_set1_ps(x); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
  static float lane0(vec a) { return _mm512_cvtss_f32(a); }
};
}  // namespace

// Sixteen chains of the 32 registers: two 512-bit FMA pipes of latency 4 keep at most eight in
// flight (cores with one such pipe, four).
float fma_probe_avx512(size_t rounds) { return fma_chains<avx512_ops, 16>(rounds); }

}  // namespace ek::bench
