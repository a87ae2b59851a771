// fma_probe.cpp — which FMA probe runs here. The CPU check lives in this file, compiled for the
// baseline: the probe files may hold wide instructions anywhere.
#include "src/bench/fma_probe.hpp"

#include "kernels/cpu.hpp"

namespace ek::bench {

namespace {

fma_probe pick() {
  using kern::cpu_feature;
  [[maybe_unused]] const auto& f = kern::cpu().features;
#ifdef EK_HAVE_FMA_PROBE_AVX512
  if (f.contains(cpu_feature::avx512f)) return {"avx512", 16.0 * 16 * 2, &fma_probe_avx512, {}};
#endif
#ifdef EK_HAVE_FMA_PROBE_AVX2
  if (f.contains(cpu_feature::avx2 | cpu_feature::fma))
    return {"avx2", 12.0 * 8 * 2, &fma_probe_avx2, {}};
#endif
  return {{}, 0, nullptr, "skipped: no FMA probe for this CPU in this build"};
}

}  // namespace

const fma_probe& widest_fma_probe() {
  static const fma_probe probe = pick();
  return probe;
}

}  // namespace ek::bench
