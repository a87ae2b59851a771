// peer_eigen.cpp — cosine with Eigen on one thread: a matrix-vector product over the mapped
// candidates, then the row norms.
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
              s[j] = qn > 0 && cn > 0 ? std::clamp(s[j] / (qn * cn), -1.0f, 1.0f) : 0.0f;
            }
          }};
}

}  // namespace ek::bench
