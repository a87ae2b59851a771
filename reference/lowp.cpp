// lowp.cpp — the reference conversions to bfloat16 and int8: scalar loops, the definition the
// optimized conversions (kernels/lowp_impl.hpp) are tested against.
#include "reference/lowp.hpp"

#include <cmath>

namespace ek::ref {

void convert_to_bf16(const float* in, uint16_t* out, size_t count) {
  for (size_t i = 0; i < count; ++i) out[i] = to_bf16(in[i]);
}

bool quantize_i8(const float* rows, size_t dim, size_t num_rows, int8_t* out, float* row_scales) {
  for (size_t i = 0; i < num_rows * dim; ++i)
    if (!std::isfinite(rows[i])) return false;
  for (size_t r = 0; r < num_rows; ++r) {
    const float* x = rows + r * dim;
    float max_abs = 0.0f;
    for (size_t i = 0; i < dim; ++i) max_abs = std::fmax(max_abs, std::fabs(x[i]));
    const float scale = max_abs / float(i8_max);
    for (size_t i = 0; i < dim; ++i)
      out[r * dim + i] = scale == 0.0f ? int8_t{0} : quantize_element(x[i], scale);
    if (row_scales != nullptr) row_scales[r] = scale;
  }
  return true;
}

}  // namespace ek::ref
