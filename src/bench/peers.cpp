// peers.cpp — which peers this build has, and the note for each one it lacks.
#include "src/bench/peers.hpp"

#include "kernels/cpu.hpp"
#ifdef EK_HAVE_SLEEF
#include <sleef.h>  // the version macros only; the AVX-512 declarations stay guarded off here
#endif

namespace ek::bench {

namespace {

#if defined(EK_HAVE_SLEEF) || defined(EK_HAVE_LIBMVEC)
// The in-place decay peers get their input restored before every call, untimed, like every
// decay variant.
variant_calls in_place_decay(const prepared_workload& w, void (*fn)(float*, const uint64_t*, size_t,
                                                                    const engram_decay_params&)) {
  return {restore_input(w), [&w, fn](float* out) {
            const auto& d = w.decay;
            fn(out, d.ages.data(), d.strengths.size(), d.params);
          }};
}
#endif
#ifdef EK_HAVE_SLEEF
variant_calls sleef_decay(const prepared_workload& w) {
  return in_place_decay(w, &sleef_decay_avx512);
}
#endif
#ifdef EK_HAVE_LIBMVEC
variant_calls libmvec_decay(const prepared_workload& w) {
  return in_place_decay(w, &libmvec_decay_avx512);
}
#endif

}  // namespace

#if defined(EK_HAVE_LIBMVEC) || defined(EK_HAVE_SLEEF)
// Checked here, not in peer_sleef.cpp or peer_libmvec.cpp: any code in those files may use
// AVX-512 instructions.
bool avx512_peers_runnable() {
  using kern::cpu_feature;
  return kern::cpu().features.contains(cpu_feature::avx512f | cpu_feature::avx512dq |
                                       cpu_feature::avx512vl);
}
#endif

std::vector<peer> peers_of(const std::string& kernel) {
  std::vector<peer> out;
  auto add = [&](const char* name, const char* family, const char* library, auto make) {
    if (kernel != family) return;
    peer p{name, family, {}, {}};
    if (make)
      p.make = make;
    else
      p.skipped = std::string("skipped: ") + library + " not found at build time";
    out.push_back(std::move(p));
  };
  using factory = variant_calls (*)(const prepared_workload&);
  [[maybe_unused]] constexpr factory none = nullptr;
#ifdef EK_HAVE_OPENBLAS
  add("openblas", "cosine", "OpenBLAS", &openblas_cosine);
#else
  add("openblas", "cosine", "OpenBLAS", none);
#endif
#ifdef EK_HAVE_EIGEN
  add("eigen", "cosine", "Eigen", &eigen_cosine);
#else
  add("eigen", "cosine", "Eigen", none);
#endif
#ifdef EK_HAVE_SLEEF
  add("sleef", "decay", "SLEEF", &sleef_decay);
#else
  add("sleef", "decay", "SLEEF", none);
#endif
#ifdef EK_HAVE_LIBMVEC
  add("libmvec", "decay", "glibc libmvec", &libmvec_decay);
#else
  add("libmvec", "decay", "glibc libmvec", none);
#endif
#if defined(EK_HAVE_LIBMVEC) || defined(EK_HAVE_SLEEF)
  for (auto& p : out)
    if ((p.name == "libmvec" || p.name == "sleef") && p.make && !avx512_peers_runnable()) {
      p.make = nullptr;
      p.skipped = "skipped: this peer is built for AVX-512, which this CPU does not run";
    }
#endif
#ifdef EK_HAVE_GRAPHBLAS
  add("graphblas", "spread", "SuiteSparse:GraphBLAS", &graphblas_spread);
#else
  add("graphblas", "spread", "SuiteSparse:GraphBLAS", none);
#endif
  return out;
}

std::map<std::string, std::string> peer_versions() {
  std::map<std::string, std::string> v;
#ifdef EK_HAVE_OPENBLAS
  v["openblas"] = openblas_version();
#endif
#ifdef EK_HAVE_EIGEN
  v["eigen"] = eigen_version();
#endif
#ifdef EK_HAVE_SLEEF
  v["sleef"] = std::to_string(SLEEF_VERSION_MAJOR) + "." + std::to_string(SLEEF_VERSION_MINOR) +
               "." + std::to_string(SLEEF_VERSION_PATCHLEVEL);
#endif
#ifdef EK_HAVE_LIBMVEC
  v["glibc"] = EK_GLIBC_VERSION;
#endif
#ifdef EK_HAVE_GRAPHBLAS
  v["graphblas"] = graphblas_version();
#endif
  return v;
}

}  // namespace ek::bench
