// cosine.cpp — the reference batch cosine similarity: scalar loops accumulating in double in
// index order. This is the definition every optimized cosine is measured against.
#include "reference/cosine.hpp"

#include <algorithm>
#include <cmath>

namespace ek::ref {

double dot(const float* a, const float* b, size_t dim) {
  // A product of two floats is exact in double (24 + 24 significant bits <= 53).
  double sum = 0.0;
  for (size_t i = 0; i < dim; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum;
}

void cosine(const float* query, const float* candidates, float* scores, size_t dim, size_t count) {
  // Every finite f32 squared is at most ~1.2e77 and at least ~2e-90, so in double a sum of
  // squares neither overflows nor underflows: qq or cc is non-finite exactly when the vector
  // holds a NaN or ±Inf, and zero exactly when every element is ±0 (or the vector is empty).
  const double qq = dot(query, query, dim);
  if (!std::isfinite(qq) || qq == 0.0) {
    std::fill(scores, scores + count, 0.0f);
    return;
  }
  const double query_norm = std::sqrt(qq);
  for (size_t j = 0; j < count; ++j) {
    const float* c = candidates + j * dim;
    const double cc = dot(c, c, dim);
    if (!std::isfinite(cc) || cc == 0.0) {
      scores[j] = 0.0f;
      continue;
    }
    const double cos = dot(query, c, dim) / (query_norm * std::sqrt(cc));
    scores[j] = static_cast<float>(std::clamp(cos, -1.0, 1.0));
  }
}

}  // namespace ek::ref
