// lowp.cpp — engram_convert_f32_to_bf16 and engram_quantize_i8: validate buffers and sizes, then
// run the active ISA's conversion (kernels/lowp_impl.hpp; the reference's bits).
#include <cstdint>
#include <optional>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"
#include "src/capi/validate.hpp"

extern "C" engram_status engram_convert_f32_to_bf16(const float* in, uint16_t* out, size_t count) {
  using namespace ek::capi;
  return guarded([&] {
    if (count != 0 && (in == nullptr || out == nullptr)) return ENGRAM_ERR_NULL_POINTER;
    const auto in_bytes = checked_mul(count, sizeof(float));
    if (!in_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(out, count * sizeof(uint16_t), in, *in_bytes)) return ENGRAM_ERR_OVERLAP;
    ek::kern::active().lowp.convert_bf16(in, out, count);
    return ENGRAM_OK;
  });
}

extern "C" engram_status engram_quantize_i8(const float* rows, size_t dim, size_t num_rows,
                                            int8_t* out, float* row_scales) {
  using namespace ek::capi;
  return guarded([&] {
    // A pointer may be NULL exactly when its buffer has no bytes; NULL is reported before a size
    // overflow, as by every other call.
    if (dim != 0 && num_rows != 0 && (rows == nullptr || out == nullptr))
      return ENGRAM_ERR_NULL_POINTER;
    const auto elements = checked_mul(dim, num_rows);
    const auto row_bytes = elements ? checked_mul(*elements, sizeof(float)) : std::nullopt;
    const auto scale_bytes = checked_mul(num_rows, sizeof(float));
    if (!row_bytes || !scale_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    const size_t out_bytes = *elements;  // int8: one byte each
    const size_t scales = row_scales != nullptr ? *scale_bytes : 0;
    if (overlaps(out, out_bytes, rows, *row_bytes) ||
        overlaps(row_scales, scales, rows, *row_bytes) ||
        overlaps(row_scales, scales, out, out_bytes))
      return ENGRAM_ERR_OVERLAP;
    if (!ek::kern::active().lowp.quantize_i8(rows, dim, num_rows, out, row_scales))
      return ENGRAM_ERR_INVALID_INPUT;
    return ENGRAM_OK;
  });
}
