// peers.hpp — the libraries users would otherwise reach for, timed beside our kernels with
// `bench --peers`: OpenBLAS and Eigen (cosine, batch and top-k), SLEEF and glibc libmvec (decay),
// SuiteSparse:GraphBLAS (spreading). Each is built in only when CMake found it, and runs on one
// thread.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
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

/// The cosine a peer's user would write from a dot product and the two norms: 0 for a vector
/// without a norm, clamped to [-1, 1].
inline float peer_cosine(float dot, float query_norm, float candidate_norm) {
  return query_norm > 0 && candidate_norm > 0
             ? std::clamp(dot / (query_norm * candidate_norm), -1.0f, 1.0f)
             : 0.0f;
}

/// The state of a batch or top-k peer, reused call after call: each library fills the dot
/// products and the norms its own way, then finish() turns them into scores and, for a top-k,
/// selects with std::partial_sort (under ref::ranks_before, as a user of that library would)
/// into the workload's output layout.
struct multi_query_peer {
  const harness::cosine_batch_workload* data = nullptr;
  const topk_inputs* topk = nullptr;  // null for a batch
  std::vector<float> scores;  // [queries][count] for a top-k; a batch peer writes into `out`
  std::vector<float> query_norms, candidate_norms;
  std::vector<uint32_t> order, index;

  /// Where the dot products go: the output of a batch, the scratch of a top-k.
  float* dots(float* out) { return topk != nullptr ? scores.data() : out; }
  /// dots[i][j] -> peer_cosine with the norms; then, for a top-k, the selection into `out`.
  void finish(float* dots, float* out);
};
/// The state for a batch or top-k workload (batch_inputs, topk_inputs).
std::shared_ptr<multi_query_peer> make_multi_query_peer(const prepared_workload& w);

// Built in per peer source file when the library was found (EK_HAVE_<LIB>).
variant_calls openblas_cosine(const prepared_workload& w);
variant_calls eigen_cosine(const prepared_workload& w);
/// sgemv (one query) or sgemm, the norms, and for a top-k std::partial_sort.
variant_calls openblas_multi_query(const prepared_workload& w);
/// Eigen's matrix-vector (one query) or matrix product, the norms, and for a top-k
/// std::partial_sort.
variant_calls eigen_multi_query(const prepared_workload& w);
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
