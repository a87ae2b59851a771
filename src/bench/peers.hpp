// peers.hpp — the libraries users would otherwise reach for, timed beside our kernels with
// `bench --peers`: OpenBLAS and Eigen (cosine), SLEEF and glibc libmvec (decay), SuiteSparse:
// GraphBLAS (spreading). Each is built in only when CMake found it, and runs on one thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "src/bench/workloads.hpp"

namespace ek::bench {

struct peer {
  std::string name;  // "openblas", "eigen", "sleef", "libmvec", "graphblas"
  kernel_id kernel;  // the kernel family it stands beside
  /// Builds the variant for a workload (setup outside the timed call, and like our kernels a
  /// restore of its in-place input, also untimed) with check_output as its check; empty when the
  /// peer is not built in or cannot run here, and then `skipped` says why.
  std::function<variant_calls(const prepared_workload&)> make;
  std::string skipped;
};

/// Every peer of `kernel`, built in or not (so a missing one is reported, never silently absent).
std::vector<peer> peers_of(kernel_id kernel);

/// Versions of the peers built in, for the report context and the baseline fingerprint.
std::map<std::string, std::string> peer_versions();

// Built in per peer source file when the library was found (EK_HAVE_<LIB>).
variant_calls openblas_cosine(const prepared_workload& w);
variant_calls eigen_cosine(const prepared_workload& w);
/// In place, like ek::ref::decay; compiled for AVX-512 (call only when avx512_peers_runnable()).
void sleef_decay_avx512(float* strengths, const uint64_t* ages, size_t n,
                        const engram_decay_params& p);
void libmvec_decay_avx512(float* strengths, const uint64_t* ages, size_t n,
                          const engram_decay_params& p);
bool avx512_peers_runnable();  // the CPU runs the AVX-512 code of the SLEEF and libmvec peers
variant_calls graphblas_spread(const prepared_workload& w);
std::string openblas_version();
std::string eigen_version();
std::string graphblas_version();

}  // namespace ek::bench
