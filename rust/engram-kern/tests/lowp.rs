//! Compact candidates, on the ISA the CPU picks: the conversions give the bits of pure-Rust
//! transcriptions of reference/lowp.hpp; the bf16 and int8 similarities are within the float
//! bound of the reference cosine on the widened values (and +0 where it gives +0); each type's
//! top-k is the exact selection of that type's similarity scores; slices that do not fit, and a
//! non-finite element to quantize, are refused with nothing written.
mod common;

use common::Rng;
use engram_kern::*;

const CASES: u64 = 40;

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

// ---------------------------------------------------------------------------------------------
// Transcriptions of reference/lowp.hpp

/// ref::to_bf16: a NaN keeps its sign and top payload and is made quiet; everything else is
/// rounded to nearest, ties to even, on the bit pattern (carrying into the exponent, up to Inf).
fn to_bf16(x: f32) -> u16 {
    let b = x.to_bits();
    if b & 0x7fff_ffff > 0x7f80_0000 {
        return ((b >> 16) | 0x0040) as u16;
    }
    ((b + 0x7fff + ((b >> 16) & 1)) >> 16) as u16
}

/// ref::quantize_i8 for rows known to be finite: (values, scales).
fn quantize(rows: &[f32], dim: usize) -> (Vec<i8>, Vec<f32>) {
    let mut values = Vec::with_capacity(rows.len());
    let mut scales = Vec::new();
    for row in rows.chunks(dim) {
        let max_abs = row.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = max_abs / 127.0;
        for &x in row {
            let q = if scale == 0.0 {
                0.0
            } else {
                round_ties_even(x / scale)
            };
            values.push(q.max(-127.0).min(127.0) as i8);
        }
        scales.push(scale);
    }
    (values, scales)
}

/// nearbyint in the default rounding mode (f32::round_ties_even is newer than Rust 1.63).
fn round_ties_even(x: f32) -> f32 {
    let r = x.round(); // ties away from zero
    if (r - x).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions

#[test]
fn bf16_conversion_is_the_reference_rounding() {
    // Known values: exact, the ties (even stays, odd rounds up to even), past the largest bf16,
    // a subnormal that rounds to 0, and the special values.
    let cases: [(u32, u16); 10] = [
        (0x3f80_0000, 0x3f80), // 1.0
        (0x3f80_8000, 0x3f80), // tie, even stays
        (0x3f81_8000, 0x3f82), // tie, odd rounds up to even
        (0x3f80_8001, 0x3f81), // above the tie
        (0x7f7f_ffff, 0x7f80), // FLT_MAX rounds to +Inf
        (0x0000_0001, 0x0000), // the least subnormal rounds to +0
        (0x8000_0000, 0x8000), // -0 kept
        (0xff80_0000, 0xff80), // -Inf kept
        (0x7f80_0001, 0x7fc0), // signaling NaN, low payload: made quiet
        (0xffa0_0000, 0xffe0), // signaling NaN: sign and top payload kept
    ];
    let input: Vec<f32> = cases.iter().map(|c| f32::from_bits(c.0)).collect();
    let want: Vec<u16> = cases.iter().map(|c| c.1).collect();
    assert_eq!(convert_to_bf16(&input).unwrap(), want);
    // Random bit patterns (every exponent, NaNs included), half of them with a low half at or
    // near the tie, against the transcription.
    let mut rng = Rng::new(7);
    let input: Vec<f32> = (0..100_003)
        .map(|i| {
            let high = rng.next_u64() as u32 & 0xffff_0000;
            let low = match i % 4 {
                0 => 0x8000,
                1 => 0x7fff,
                _ => rng.next_u64() as u32 & 0xffff,
            };
            f32::from_bits(high | low)
        })
        .collect();
    let got = convert_to_bf16(&input).unwrap();
    for (x, g) in input.iter().zip(&got) {
        assert_eq!(*g, to_bf16(*x), "{:#010x}", x.to_bits());
    }
    // Widening back is exact: a float with a zero low half survives the round trip.
    for &g in got.iter().filter(|g| !bf16_to_f32(**g).is_nan()) {
        assert_eq!(to_bf16(bf16_to_f32(g)), g);
    }
}

#[test]
fn quantization_is_the_reference_and_ties_go_to_even() {
    // Scale 1 (max 127): -2.5, -1.5, -0.5 and 0.5 round to the even -2, -2, -0 and 0.
    let row = [127.0f32, -2.5, -1.5, -0.5, 0.5, 3.49, -127.0];
    let q = quantize_i8(&row, row.len()).unwrap();
    assert_eq!(q.values, [127, -2, -2, 0, 0, 3, -127]);
    assert_eq!(q.scales, [1.0]);
    // A zero row gives zeros and scale 0; rows of any length against the transcription.
    let mut rng = Rng::new(11);
    for seed in 0..CASES {
        let dim = 1 + rng.below(80) as usize;
        let num_rows = rng.below(12) as usize;
        let mut rows: Vec<f32> = (0..dim * num_rows)
            .map(|_| rng.range(-3.0, 3.0) * 10f32.powi(rng.below(8) as i32 - 4))
            .collect();
        if num_rows > 1 {
            rows[dim..2 * dim].iter_mut().for_each(|x| *x = -0.0);
        }
        let (want_values, want_scales) = quantize(&rows, dim);
        let got = quantize_i8(&rows, dim).unwrap();
        assert_eq!(got.values, want_values, "seed {seed}");
        assert_eq!(bits(&got.scales), bits(&want_scales), "seed {seed}");
        // Without scales the values are the same.
        let mut values = vec![99i8; rows.len()];
        quantize_i8_into(&rows, dim, &mut values, None).unwrap();
        assert_eq!(values, want_values, "seed {seed}");
    }
}

#[test]
fn a_non_finite_element_is_invalid_input_and_nothing_is_written() {
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        // The bad element is the last of the last row: every row before it would be valid.
        let mut rows = vec![0.5f32; 3 * 4];
        rows[11] = bad;
        let (mut values, mut scales) = ([7i8; 12], [f32::NAN; 3]);
        assert_eq!(
            quantize_i8_into(&rows, 4, &mut values, Some(&mut scales)),
            Err(Error::InvalidInput)
        );
        assert_eq!(values, [7; 12]);
        assert!(scales.iter().all(|s| s.is_nan()));
        assert_eq!(quantize_i8(&rows, 4), Err(Error::InvalidInput));
    }
}

// ---------------------------------------------------------------------------------------------
// Similarity and top-k

/// A random problem of float queries and candidates; some candidate rows copy a query (scores
/// near 1) or repeat an earlier row (ties), some hold a special value (common::Rng::element).
fn problem(rng: &mut Rng) -> (usize, Vec<f32>, Vec<f32>) {
    let dim = 1 + rng.below(70) as usize;
    let num_queries = 1 + rng.below(5) as usize;
    let num_candidates = rng.below(40) as usize;
    let queries: Vec<f32> = (0..num_queries * dim)
        .map(|_| rng.range(-1.0, 1.0))
        .collect();
    let mut candidates: Vec<f32> = Vec::new();
    for j in 0..num_candidates {
        match rng.below(6) {
            0 => candidates.extend_from_slice(&queries[..dim]),
            1 if j > 0 => {
                let from = rng.below(j as u64) as usize * dim;
                candidates.extend_from_within(from..from + dim);
            }
            2 => candidates.extend((0..dim).map(|_| rng.element())),
            _ => candidates.extend((0..dim).map(|_| rng.range(-1.0, 1.0))),
        }
    }
    (dim, queries, candidates)
}

/// int8 rows from float rows: int8 has no NaN or Inf, so non-finite elements become 0 first.
fn int8_rows(candidates: &[f32], dim: usize) -> Vec<i8> {
    let finite: Vec<f32> = candidates
        .iter()
        .map(|x| if x.is_finite() { *x } else { 0.0 })
        .collect();
    quantize_i8(&finite, dim).unwrap().values
}

/// Every score within the float bound of the reference cosine on the widened candidates, and
/// exactly +0 for a row without direction (empty, all ±0, or for bf16 holding a NaN or ±Inf).
fn assert_within_bound(got: &[f32], query: &[f32], widened: &[f32], context: &str) {
    let want = common::cosine(query, widened);
    for (j, (&g, &w)) in got.iter().zip(&want).enumerate() {
        let row = &widened[j * query.len()..(j + 1) * query.len()];
        if row.iter().all(|x| *x == 0.0) || row.iter().any(|x| !x.is_finite()) {
            assert_eq!(g.to_bits(), 0, "{context} candidate {j}: {g}");
        }
        let error = (g as f64 - w as f64).abs();
        let bound = common::cosine_bound(query.len());
        assert!(error <= bound, "{context} candidate {j}: {g} vs {w}");
    }
}

#[test]
fn compact_similarities_are_within_the_float_bound_on_the_widened_values() {
    for seed in 0..CASES {
        let mut rng = Rng::new(500 + seed);
        let (dim, queries, candidates) = problem(&mut rng);
        let query = &queries[..dim];
        let bf16 = convert_to_bf16(&candidates).unwrap();
        let widened: Vec<f32> = bf16.iter().map(|&b| bf16_to_f32(b)).collect();
        let got = cosine_similarity_bf16(query, &bf16).unwrap();
        assert_within_bound(&got, query, &widened, &format!("bf16 seed {seed}"));
        let i8_rows = int8_rows(&candidates, dim);
        let widened: Vec<f32> = i8_rows.iter().map(|&q| q as f32).collect();
        let got = cosine_similarity_i8(query, &i8_rows).unwrap();
        assert_within_bound(&got, query, &widened, &format!("i8 seed {seed}"));
    }
}

#[test]
fn integer_queries_on_int8_rows_give_the_reference_bits() {
    // Queries of integers in [-32, 32] and int8 rows: every f32 partial sum is an integer below
    // 2^24, so exact in any order, and the quotient is finished in double as the reference does.
    let mut rng = Rng::new(21);
    let dim = 300;
    let query: Vec<f32> = (0..dim).map(|_| rng.below(65) as f32 - 32.0).collect();
    let rows: Vec<i8> = (0..dim * 9)
        .map(|_| (rng.below(255) as i32 - 127) as i8)
        .collect();
    let widened: Vec<f32> = rows.iter().map(|&q| q as f32).collect();
    let got = cosine_similarity_i8(&query, &rows).unwrap();
    assert_eq!(bits(&got), bits(&common::cosine(&query, &widened)));
}

#[test]
fn a_bf16_row_holding_nan_or_inf_scores_positive_zero() {
    let row = |x: f32| convert_to_bf16(&[1.0, x, 1.0, 1.0, 1.0]).unwrap();
    let mut candidates = row(f32::NAN);
    candidates.extend(row(f32::NEG_INFINITY));
    candidates.extend(row(f32::MAX)); // past the largest bf16: becomes +Inf
    candidates.extend(row(1.0));
    let scores = cosine_similarity_bf16(&[1.0; 5], &candidates).unwrap();
    assert_eq!(bits(&scores[..3]), [0, 0, 0]);
    assert_eq!(scores[3], 1.0);
}

/// The k best of `scores`, higher first, ties to the lower index, padded (no NaN here: no cosine
/// produces one).
fn select(scores: &[f32], k: usize) -> (Vec<u32>, Vec<f32>) {
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (scores[a as usize], scores[b as usize]);
        sb.partial_cmp(&sa).unwrap().then(a.cmp(&b))
    });
    order.truncate(k);
    let mut score: Vec<f32> = order.iter().map(|&j| scores[j as usize]).collect();
    order.resize(k, u32::MAX);
    score.resize(k, f32::NEG_INFINITY);
    (order, score)
}

/// For each query and k: the top-k's slots against the selection of its similarity scores.
fn assert_topk_selects(
    best: &dyn Fn(usize) -> TopK,
    similarity: &dyn Fn(&[f32]) -> Vec<f32>,
    queries: &[f32],
    dim: usize,
    n: usize,
    context: &str,
) {
    for k in [1, 3, n, n + 2] {
        let got = best(k);
        for (i, query) in queries.chunks(dim).enumerate() {
            let (want_index, want_score) = select(&similarity(query), k);
            let (index, score) = got.row(i);
            assert_eq!(index, &want_index[..], "{context} k {k} query {i}");
            assert_eq!(bits(score), bits(&want_score), "{context} k {k} query {i}");
        }
    }
}

#[test]
fn each_topk_is_the_exact_selection_of_its_own_type_similarity() {
    for seed in 0..CASES {
        let mut rng = Rng::new(900 + seed);
        let (dim, queries, candidates) = problem(&mut rng);
        let n = candidates.len() / dim;
        let bf16 = convert_to_bf16(&candidates).unwrap();
        assert_topk_selects(
            &|k| topk_bf16(&queries, &bf16, dim, k).unwrap(),
            &|q| cosine_similarity_bf16(q, &bf16).unwrap(),
            &queries,
            dim,
            n,
            &format!("bf16 seed {seed}"),
        );
        let i8_rows = int8_rows(&candidates, dim);
        assert_topk_selects(
            &|k| topk_i8(&queries, &i8_rows, dim, k).unwrap(),
            &|q| cosine_similarity_i8(q, &i8_rows).unwrap(),
            &queries,
            dim,
            n,
            &format!("i8 seed {seed}"),
        );
    }
}

#[test]
fn the_into_forms_write_the_same_results() {
    let mut rng = Rng::new(5);
    let dim = 16;
    let queries: Vec<f32> = (0..dim * 2).map(|_| rng.range(-1.0, 1.0)).collect();
    let candidates: Vec<f32> = (0..dim * 7).map(|_| rng.range(-1.0, 1.0)).collect();
    let bf16 = convert_to_bf16(&candidates).unwrap();
    let mut out = [0u16; 16 * 7];
    convert_to_bf16_into(&candidates, &mut out).unwrap();
    assert_eq!(out.to_vec(), bf16);
    let i8_rows = quantize_i8(&candidates, dim).unwrap().values;

    let mut scores = [f32::NAN; 7];
    cosine_similarity_bf16_into(&queries[..dim], &bf16, &mut scores).unwrap();
    let want = cosine_similarity_bf16(&queries[..dim], &bf16).unwrap();
    assert_eq!(bits(&scores), bits(&want));
    cosine_similarity_i8_into(&queries[..dim], &i8_rows, &mut scores).unwrap();
    let want = cosine_similarity_i8(&queries[..dim], &i8_rows).unwrap();
    assert_eq!(bits(&scores), bits(&want));

    let (mut index, mut score) = ([7u32; 6], [f32::NAN; 6]);
    topk_bf16_into(&queries, &bf16, dim, 3, &mut index, &mut score).unwrap();
    let want = topk_bf16(&queries, &bf16, dim, 3).unwrap();
    assert_eq!(
        (index.to_vec(), bits(&score)),
        (want.index, bits(&want.score))
    );
    topk_i8_into(&queries, &i8_rows, dim, 3, &mut index, &mut score).unwrap();
    let want = topk_i8(&queries, &i8_rows, dim, 3).unwrap();
    assert_eq!(
        (index.to_vec(), bits(&score)),
        (want.index, bits(&want.score))
    );
}

#[test]
fn slices_that_do_not_fit_are_refused_and_nothing_is_written() {
    let q = [1.0f32, 0.0];
    let bf16 = [0x3f80u16, 0, 0, 0x3f80, 0x3f80];
    let int8 = [1i8, 0, 0, 1, 1];
    // Candidates that are not whole rows of the query.
    assert_eq!(cosine_similarity_bf16(&q, &bf16), Err(Error::InvalidParam));
    assert_eq!(cosine_similarity_i8(&q, &int8), Err(Error::InvalidParam));
    assert_eq!(topk_bf16(&q, &bf16, 2, 1).err(), Some(Error::InvalidParam));
    assert_eq!(topk_i8(&q, &int8, 2, 1).err(), Some(Error::InvalidParam));
    assert_eq!(
        topk_i8(&q, &int8[..4], 0, 1).err(),
        Some(Error::InvalidParam)
    );
    // Outputs of the wrong length.
    let mut scores = [f32::NAN; 3];
    assert_eq!(
        cosine_similarity_bf16_into(&q, &bf16[..4], &mut scores),
        Err(Error::InvalidParam)
    );
    assert_eq!(
        cosine_similarity_i8_into(&q, &int8[..4], &mut scores),
        Err(Error::InvalidParam)
    );
    assert!(scores.iter().all(|s| s.is_nan()));
    let (mut index, mut score) = ([7u32; 2], [f32::NAN; 1]);
    assert_eq!(
        topk_bf16_into(&q, &bf16[..4], 2, 2, &mut index, &mut score),
        Err(Error::InvalidParam)
    );
    assert_eq!(
        topk_i8_into(&q, &int8[..4], 2, 2, &mut index, &mut score),
        Err(Error::InvalidParam)
    );
    assert_eq!(index, [7; 2]);
    assert!(score[0].is_nan());
    let mut out = [9u16; 3];
    assert_eq!(
        convert_to_bf16_into(&[1.0, 2.0], &mut out),
        Err(Error::InvalidParam)
    );
    assert_eq!(out, [9; 3]);
    // Quantization: rows not whole, values or scales of the wrong length.
    let rows = [1.0f32, 2.0, 3.0, 4.0];
    assert_eq!(quantize_i8(&rows, 3), Err(Error::InvalidParam));
    assert_eq!(quantize_i8(&rows, 0), Err(Error::InvalidParam));
    let (mut values, mut scales) = ([5i8; 4], [f32::NAN; 3]);
    assert_eq!(
        quantize_i8_into(&rows, 2, &mut values[..3], None),
        Err(Error::InvalidParam)
    );
    assert_eq!(
        quantize_i8_into(&rows, 2, &mut values, Some(&mut scales)),
        Err(Error::InvalidParam)
    );
    assert_eq!(values, [5; 4]);
    assert!(scales.iter().all(|s| s.is_nan()));
    // Slots whose bytes no allocation can hold: SizeOverflow, as for the float top-k.
    assert_eq!(
        topk_bf16(&q, &bf16[..4], 2, usize::MAX).err(),
        Some(Error::SizeOverflow)
    );
    assert_eq!(
        topk_i8(&q, &int8[..4], 2, usize::MAX).err(),
        Some(Error::SizeOverflow)
    );
}

#[test]
fn empty_inputs_are_valid() {
    assert_eq!(convert_to_bf16(&[]).unwrap(), Vec::<u16>::new());
    let q = quantize_i8(&[], 4).unwrap();
    assert!(q.values.is_empty() && q.scales.is_empty());
    assert_eq!(
        cosine_similarity_i8(&[1.0], &[]).unwrap(),
        Vec::<f32>::new()
    );
    let empty = topk_bf16(&[1.0, 2.0], &[], 2, 2).unwrap();
    assert_eq!(empty.index, [u32::MAX; 2]);
    assert_eq!(empty.score, [f32::NEG_INFINITY; 2]);
}
