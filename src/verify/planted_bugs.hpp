// planted_bugs.hpp — deliberately broken kernel tables, compiled only into the verify tests, that
// prove `verify` can fail: each carries one classic SIMD-kernel bug and otherwise forwards to the
// reference kernels.
#pragma once

#include "kernels/kernel_table.hpp"

namespace ek::verify::planted {

/// cosine: the scalar tail stops one element short (`i + 1 < dim`).
extern const kernel_table tail_skips_last;
/// cosine: the tail loads one element past the end of the query and of each candidate (the value
/// is discarded, so only the guard page can see it).
extern const kernel_table tail_reads_past_end;
/// decay: exp from range reduction and a Taylor polynomial whose r^5 coefficient is 1/125.
extern const kernel_table decay_wrong_coefficient;
/// spread: the dense-mode pull sums each node's in-edges in reverse order.
extern const kernel_table spread_reversed_pull;
/// cosine: a zero (or empty) query or candidate scores NaN instead of +0.
extern const kernel_table cosine_nan_for_zero;

/// cosine: the norms and the final quotient in f32 instead of double.
extern const kernel_table cosine_quotient_in_float;
/// decay: R taken as 0 (or the floor) from 2^-200 on, where large strengths still
/// give nonzero floats.
extern const kernel_table decay_underflows_too_early;
/// decay: age-0 strengths written back through a f32 -> f64 -> f32 round trip, which quiets a
/// signaling NaN.
extern const kernel_table decay_quiets_signaling_nan;
/// spread: the frontier test is `>= threshold` instead of `> threshold`.
extern const kernel_table spread_threshold_ties_pass;

/// topk: the selection breaks ties of equal scores by the higher candidate index.
extern const kernel_table topk_ties_to_higher_index;
/// batch: the last block of kern::batch_query_block queries is never scored.
extern const kernel_table batch_skips_last_query_block;

/// cosine_i8 and topk_i8: the widening reads each int8 as an unsigned byte (a zero-extending load
/// where a sign-extending one belongs): a negative element x becomes 256 + x.
extern const kernel_table i8_widened_as_unsigned;
/// cosine_bf16 and topk_bf16: the widening drops the low byte of each bfloat16 (its 7 mantissa
/// bits and the lowest exponent bit).
extern const kernel_table bf16_widening_drops_low_byte;

}  // namespace ek::verify::planted
