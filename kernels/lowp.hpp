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

#include "kernels/cosine.hpp"
