// cosine.cpp — the reference batch cosine similarity: scalar loops accumulating in double in
// index order. This is the definition every optimized cosine is measured against.
#include "reference/cosine.hpp"

#include <algorithm>
#include <cmath>

#include "reference/lowp.hpp"

namespace ek::ref {

double dot(const float* a, const float* b, size_t dim) {
  // A product of two floats is exact in double (24 + 24 significant bits <= 53).
  double sum = 0.0;
  for (size_t i = 0; i < dim; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum;
}

namespace {

float widen(float x) { return x; }
float widen(uint16_t bf16) { return widen_bf16(bf16); }
float widen(int8_t x) { return static_cast<float>(x); }

}  // namespace

// One definition for every stored type: each candidate element is widened exactly to float, so
// the f32, bf16 and int8 similarities are the same function of the values.
template <class C>
void cosine_of(const float* query, const C* candidates, float* scores, size_t dim, size_t count) {
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
    const C* c = candidates + j * dim;
    // Products of two floats are exact in double (24 + 24 significant bits <= 53).
    double cc = 0.0, qc = 0.0;
    for (size_t i = 0; i < dim; ++i) {
      const double x = widen(c[i]);
      cc += x * x;
      qc += static_cast<double>(query[i]) * x;
    }
    if (!std::isfinite(cc) || cc == 0.0) {
      scores[j] = 0.0f;
      continue;
    }
    const double cos = qc / (query_norm * std::sqrt(cc));
    scores[j] = static_cast<float>(std::clamp(cos, -1.0, 1.0));
  }
}
template void cosine_of(const float*, const float*, float*, size_t, size_t);
template void cosine_of(const float*, const uint16_t*, float*, size_t, size_t);
template void cosine_of(const float*, const int8_t*, float*, size_t, size_t);

void cosine(const float* query, const float* candidates, float* scores, size_t dim, size_t count) {
  cosine_of(query, candidates, scores, dim, count);
}
void cosine_bf16(const float* query, const uint16_t* candidates, float* scores, size_t dim,
                 size_t count) {
  cosine_of(query, candidates, scores, dim, count);
}
void cosine_i8(const float* query, const int8_t* candidates, float* scores, size_t dim,
               size_t count) {
  cosine_of(query, candidates, scores, dim, count);
}

}  // namespace ek::ref
