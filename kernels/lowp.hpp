// lowp.hpp — the contract of the kernels over compact candidates (kernels/cosine_impl.hpp and
// kernels/topk_impl.hpp with C = uint16_t holding bfloat16, or int8_t; kernels/lowp_impl.hpp for
// the conversions). docs/kernel-lowp.md derives it.
//
// - similarity: every score is within cosine_error_bound(dim) (kernels/cosine.hpp) of
//   ek::ref::cosine_bf16 / cosine_i8, the f32 reference on the exactly widened values, and exactly
//   +0 where that reference gives +0 (a zero, empty or, for bfloat16, non-finite row or query).
//   The kernels widen each element exactly as they load it and then run the f32 kernels' sums
//   unchanged, so the f32 bound holds with no new derivation;
// - top-k: every score is bit-identical to the same ISA's similarity kernel of that type for that
//   pair, and the selection is exact on those scores (as for f32, kernels/topk.hpp);
// - conversions: bit-identical to ek::ref::convert_to_bf16 and ek::ref::quantize_i8.
#pragma once

#include <cstdint>

#include "kernels/cosine.hpp"

namespace ek::kern {

/// How the int8 quantization's second pass forms each quotient x / scale (kernels/lowp_impl.hpp,
/// docs/kernel-lowp.md §2): `reciprocal` multiplies by 1/scale and divides only the rare vectors
/// whose product may round to another integer; `divide` divides every vector. Both give the
/// reference's bits. Which is faster depends on the core's divider (docs/dispatch.md, "Quotient
/// rule"); ENGRAM_KERN_QUOTIENT or set_quotient_rule (kernels/dispatch.hpp) force one.
enum class quotient_rule : uint8_t { reciprocal, divide };
inline constexpr quotient_rule all_quotient_rules[] = {quotient_rule::reciprocal,
                                                       quotient_rule::divide};
constexpr const char* quotient_rule_name(quotient_rule r) {
  return r == quotient_rule::divide ? "divide" : "reciprocal";
}

}  // namespace ek::kern
