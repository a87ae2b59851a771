// peer_openblas.cpp — cosine with OpenBLAS on one thread: cblas_sgemv for every dot product, then
// a norm pass (cblas_snrm2 per candidate), as a user without engram-kern would write it.
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
              out[j] = qn > 0 && cn > 0 ? std::clamp((*dots)[j] / (qn * cn), -1.0f, 1.0f) : 0.0f;
            }
          }};
}

}  // namespace ek::bench
