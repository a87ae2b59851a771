// peers.cpp — which peers this build has, and the note for each one it lacks.
#include "src/bench/peers.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/cpu.hpp"
#include "reference/topk.hpp"
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
  const harness::decay_workload& d = std::get<decay_inputs>(w.inputs).data;
  return {restore_input(w), [&d, params = d.call_params(), fn](float* out) {
            fn(out, d.ages.data(), d.strengths.size(), params);
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

std::shared_ptr<multi_query_peer> make_multi_query_peer(const prepared_workload& w) {
  auto p = std::make_shared<multi_query_peer>();
  if (const auto* b = std::get_if<batch_inputs>(&w.inputs)) {
    p->data = &b->data;
  } else {
    const topk_inputs& t = std::get<topk_inputs>(w.inputs);
    p->data = &t.data;
    p->topk = &t;
    p->scores.resize(t.data.num_queries * t.data.count);
    p->order.resize(t.data.count);
    p->index.resize(t.data.num_queries * t.k);
  }
  p->query_norms.resize(p->data->num_queries);
  p->candidate_norms.resize(p->data->count);
  return p;
}

void multi_query_peer::finish(float* dot, float* out) {
  const size_t q = data->num_queries, n = data->count;
  for (size_t i = 0; i < q; ++i)
    for (size_t j = 0; j < n; ++j)
      dot[i * n + j] = peer_cosine(dot[i * n + j], query_norms[i], candidate_norms[j]);
  if (topk == nullptr) return;
  const size_t k = topk->k, m = std::min(k, n);
  for (size_t i = 0; i < q; ++i) {
    const float* s = dot + i * n;
    std::iota(order.begin(), order.end(), 0u);
    std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(m), order.end(),
                      [s](uint32_t a, uint32_t b) { return ref::ranks_before(s[a], a, s[b], b); });
    for (size_t j = 0; j < k; ++j) {
      index[i * k + j] = j < m ? order[j] : UINT32_MAX;
      out[i * k + j] = j < m ? s[order[j]] : -INFINITY;
    }
  }
  write_topk_index(*topk, index.data(), out);
}

std::vector<peer> peers_of(kernel_id kernel) {
  std::vector<peer> out;
  auto add = [&](const char* name, kernel_id family, const char* library, auto make) {
    if (kernel != family) return;
    peer p{name, family, {}, {}};
    if (make)
      // A peer brings no check of its own: its output is held to the kernel's contract.
      p.make = [make](const prepared_workload& w) {
        variant_calls calls = make(w);
        calls.check = [&w](const std::vector<float>& want, const std::vector<float>& got) {
          return check_output(w, want, got);
        };
        return calls;
      };
    else
      p.skipped = std::string("skipped: ") + library + " not found at build time";
    out.push_back(std::move(p));
  };
  using factory = variant_calls (*)(const prepared_workload&);
  [[maybe_unused]] constexpr factory none = nullptr;
#ifdef EK_HAVE_OPENBLAS
  add("openblas", kernel_id::cosine, "OpenBLAS", &openblas_cosine);
  for (const kernel_id k : {kernel_id::batch, kernel_id::topk})
    add("openblas", k, "OpenBLAS", &openblas_multi_query);
#else
  for (const kernel_id k : {kernel_id::cosine, kernel_id::batch, kernel_id::topk})
    add("openblas", k, "OpenBLAS", none);
#endif
#ifdef EK_HAVE_EIGEN
  add("eigen", kernel_id::cosine, "Eigen", &eigen_cosine);
  for (const kernel_id k : {kernel_id::batch, kernel_id::topk})
    add("eigen", k, "Eigen", &eigen_multi_query);
#else
  for (const kernel_id k : {kernel_id::cosine, kernel_id::batch, kernel_id::topk})
    add("eigen", k, "Eigen", none);
#endif
#ifdef EK_HAVE_SLEEF
  add("sleef", kernel_id::decay, "SLEEF", &sleef_decay);
#else
  add("sleef", kernel_id::decay, "SLEEF", none);
#endif
#ifdef EK_HAVE_LIBMVEC
  add("libmvec", kernel_id::decay, "glibc libmvec", &libmvec_decay);
#else
  add("libmvec", kernel_id::decay, "glibc libmvec", none);
#endif
#if defined(EK_HAVE_LIBMVEC) || defined(EK_HAVE_SLEEF)
  for (auto& p : out)
    if ((p.name == "libmvec" || p.name == "sleef") && p.make && !avx512_peers_runnable()) {
      p.make = nullptr;
      p.skipped = "skipped: this peer is built for AVX-512, which this CPU does not run";
    }
#endif
#ifdef EK_HAVE_GRAPHBLAS
  add("graphblas", kernel_id::spread, "SuiteSparse:GraphBLAS", &graphblas_spread);
#else
  add("graphblas", kernel_id::spread, "SuiteSparse:GraphBLAS", none);
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
