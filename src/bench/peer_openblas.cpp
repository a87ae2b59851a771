// peer_openblas.cpp — cosine with OpenBLAS on one thread: cblas_sgemv for every dot product, then
// a norm pass (cblas_snrm2 per candidate), as a user without engram-kern would write it; for
// several queries (batch, top-k) cblas_sgemm of the queries and the transposed candidates, the
// norms, and for a top-k std::partial_sort.
#include <cblas.h>

#include <algorithm>
#include <memory>

#include "src/bench/peers.hpp"

namespace ek::bench {

std::string openblas_version() { return openblas_get_config(); }

variant_calls openblas_cosine(const prepared_workload& w) {
  openblas_set_num_threads(1);
  const harness::cosine_workload& in = std::get<cosine_inputs>(w.inputs).data;
  const auto dim = static_cast<blasint>(in.dim);
  const auto count = static_cast<blasint>(in.count);
  auto dots = std::make_shared<std::vector<float>>(in.count);
  return {nullptr, [&in, dim, count, dots](float* out) {
            const float* q = in.query.data();
            const float* c = in.candidates.data();
            cblas_sgemv(CblasRowMajor, CblasNoTrans, count, dim, 1.0f, c, dim, q, 1, 0.0f,
                        dots->data(), 1);
            const float qn = cblas_snrm2(dim, q, 1);
            for (blasint j = 0; j < count; ++j) {
              const float cn = cblas_snrm2(dim, c + static_cast<size_t>(j) * dim, 1);
              out[j] = peer_cosine((*dots)[j], qn, cn);
            }
          }};
}

variant_calls openblas_multi_query(const prepared_workload& w) {
  openblas_set_num_threads(1);
  return {nullptr, [p = make_multi_query_peer(w)](float* out) {
            const harness::cosine_batch_workload& d = *p->data;
            const auto dim = static_cast<blasint>(d.dim);
            const auto n = static_cast<blasint>(d.count);
            const auto q = static_cast<blasint>(d.num_queries);
            const float* queries = d.queries.data();
            const float* c = d.candidates.data();
            float* dots = p->dots(out);
            if (q == 1)  // what a user writes for one query: the matrix-vector product
              cblas_sgemv(CblasRowMajor, CblasNoTrans, n, dim, 1.0f, c, dim, queries, 1, 0.0f, dots,
                          1);
            else
              cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, q, n, dim, 1.0f, queries, dim, c,
                          dim, 0.0f, dots, n);
            for (blasint i = 0; i < q; ++i)
              p->query_norms[i] = cblas_snrm2(dim, queries + static_cast<size_t>(i) * d.dim, 1);
            for (blasint j = 0; j < n; ++j)
              p->candidate_norms[j] = cblas_snrm2(dim, c + static_cast<size_t>(j) * d.dim, 1);
            p->finish(dots, out);
          }};
}

}  // namespace ek::bench
