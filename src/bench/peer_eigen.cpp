// peer_eigen.cpp — cosine with Eigen on one thread: a matrix-vector product over the mapped
// candidates, then the row norms; for several queries (batch, top-k) the matrix product of the
// queries and the transposed candidates, the norms, and for a top-k std::partial_sort.
#include <Eigen/Core>
#include <algorithm>

#include "src/bench/peers.hpp"

namespace ek::bench {

std::string eigen_version() {
  return std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION);
}

variant_calls eigen_cosine(const prepared_workload& w) {
  Eigen::setNbThreads(1);
  using matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return {nullptr, [&in = std::get<cosine_inputs>(w.inputs).data](float* out) {
            const auto dim = static_cast<Eigen::Index>(in.dim);
            const auto count = static_cast<Eigen::Index>(in.count);
            const Eigen::Map<const matrix> c(in.candidates.data(), count, dim);
            const Eigen::Map<const Eigen::VectorXf> q(in.query.data(), dim);
            Eigen::Map<Eigen::VectorXf> s(out, count);
            s.noalias() = c * q;
            const float qn = q.norm();
            for (Eigen::Index j = 0; j < count; ++j) {
              const float cn = c.row(j).norm();
              s[j] = peer_cosine(s[j], qn, cn);
            }
          }};
}

variant_calls eigen_multi_query(const prepared_workload& w) {
  Eigen::setNbThreads(1);
  using matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return {nullptr, [p = make_multi_query_peer(w)](float* out) {
            const harness::cosine_batch_workload& d = *p->data;
            const auto dim = static_cast<Eigen::Index>(d.dim);
            const auto n = static_cast<Eigen::Index>(d.count);
            const auto q = static_cast<Eigen::Index>(d.num_queries);
            const Eigen::Map<const matrix> c(d.candidates.data(), n, dim);
            const Eigen::Map<const matrix> queries(d.queries.data(), q, dim);
            float* dots = p->dots(out);
            if (q == 1) {  // what a user writes for one query: the matrix-vector product
              Eigen::Map<Eigen::VectorXf> s(dots, n);
              s.noalias() = c * queries.row(0).transpose();
            } else {
              Eigen::Map<matrix> s(dots, q, n);
              s.noalias() = queries * c.transpose();
            }
            Eigen::Map<Eigen::VectorXf>(p->query_norms.data(), q) = queries.rowwise().norm();
            Eigen::Map<Eigen::VectorXf>(p->candidate_norms.data(), n) = c.rowwise().norm();
            p->finish(dots, out);
          }};
}

}  // namespace ek::bench
