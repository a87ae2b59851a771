//! The many-query calls, on the ISA the CPU picks: the batch is the single-query call's scores
//! bit for bit (the contract of docs/kernels.md on the same candidates slice) and within the
//! bound of the pure-Rust reference; the top-k is the exact selection of those scores (higher
//! first, ties to the lower index), padded past the candidates; slices that do not fit are
//! refused before anything is written.
mod common;

use common::Rng;
use engram_kern::*;
use std::cmp::Ordering;

const CASES: u64 = 60;

/// A random problem: some candidates repeat an earlier one (equal scores, so ties) and some
/// queries copy a candidate (scores of exactly 1).
fn problem(rng: &mut Rng) -> (usize, Vec<f32>, Vec<f32>) {
    let dim = 1 + rng.below(70) as usize;
    let num_candidates = rng.below(40) as usize;
    let num_queries = rng.below(9) as usize;
    let mut candidates: Vec<f32> = Vec::new();
    for j in 0..num_candidates {
        if j > 0 && rng.below(4) == 0 {
            let from = rng.below(j as u64) as usize * dim;
            candidates.extend_from_within(from..from + dim);
        } else {
            candidates.extend((0..dim).map(|_| rng.element()));
        }
    }
    let mut queries: Vec<f32> = Vec::new();
    for _ in 0..num_queries {
        if num_candidates > 0 && rng.below(3) == 0 {
            let from = rng.below(num_candidates as u64) as usize * dim;
            queries.extend_from_slice(&candidates[from..from + dim]);
        } else {
            queries.extend((0..dim).map(|_| rng.element()));
        }
    }
    (dim, queries, candidates)
}

/// The selection order of reference/topk.hpp's ranks_before: higher score first, equal scores
/// (-0 == +0) by lower index, NaN last.
fn ranks(a: (f32, u32), b: (f32, u32)) -> Ordering {
    match (a.0.is_nan(), b.0.is_nan()) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, false) if a.0 != b.0 => b.0.partial_cmp(&a.0).unwrap(),
        _ => a.1.cmp(&b.1),
    }
}

/// The k best of one query's scores, padded: the definition the top-k is held to.
fn select(scores: &[f32], k: usize) -> (Vec<u32>, Vec<f32>) {
    let mut pairs: Vec<(f32, u32)> = scores.iter().zip(0u32..).map(|(&s, j)| (s, j)).collect();
    pairs.sort_by(|&a, &b| ranks(a, b));
    pairs.truncate(k);
    pairs.resize(k, (f32::NEG_INFINITY, u32::MAX));
    (
        pairs.iter().map(|p| p.1).collect(),
        pairs.iter().map(|p| p.0).collect(),
    )
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn batch_is_the_single_query_call_per_query_and_within_the_bound() {
    for seed in 0..CASES {
        let mut rng = Rng::new(seed);
        let (dim, queries, candidates) = problem(&mut rng);
        let n = candidates.len() / dim;
        let scores = cosine_similarity_batch(&queries, &candidates, dim).unwrap();
        assert_eq!(scores.len(), queries.len() / dim * n);
        for (i, query) in queries.chunks(dim).enumerate() {
            let row = &scores[i * n..(i + 1) * n];
            let single = cosine_similarity(query, &candidates).unwrap();
            assert_eq!(bits(row), bits(&single), "seed {} query {}", seed, i);
            for (j, (&got, &want)) in row
                .iter()
                .zip(&common::cosine(query, &candidates))
                .enumerate()
            {
                let error = (got as f64 - want as f64).abs();
                let context = format!("seed {seed} query {i} candidate {j}: {got} vs {want}");
                assert!(error <= common::cosine_bound(dim), "{context}");
            }
        }
    }
}

#[test]
fn topk_is_the_exact_selection_of_the_batch_scores() {
    for seed in 0..CASES {
        let mut rng = Rng::new(1000 + seed);
        let (dim, queries, candidates) = problem(&mut rng);
        let n = candidates.len() / dim;
        let scores = cosine_similarity_batch(&queries, &candidates, dim).unwrap();
        for k in [0, 1, 3, n.saturating_sub(1), n, n + 5] {
            let best = topk(&queries, &candidates, dim, k).unwrap();
            assert_eq!(best.k, k);
            assert_eq!(best.index.len(), queries.len() / dim * k);
            for i in 0..queries.len() / dim {
                let (want_index, want_score) = select(&scores[i * n..(i + 1) * n], k);
                let (index, score) = best.row(i);
                assert_eq!(index, &want_index[..], "seed {} k {} query {}", seed, k, i);
                assert_eq!(
                    bits(score),
                    bits(&want_score),
                    "seed {} k {} query {}",
                    seed,
                    k,
                    i
                );
            }
        }
    }
}

#[test]
fn equal_scores_come_back_in_index_order_and_past_the_candidates_is_padding() {
    // Four copies of one direction, at different lengths (all score exactly 1), then one
    // orthogonal row.
    let candidates = [1.0, 0.0, 2.0, 0.0, 0.5, 0.0, 3.0, 0.0, 0.0, 1.0];
    let best = topk(&[4.0, 0.0], &candidates, 2, 7).unwrap();
    assert_eq!(best.index, [0, 1, 2, 3, 4, u32::MAX, u32::MAX]);
    assert_eq!(&best.score[..4], &[1.0; 4]);
    assert_eq!(best.score[4].to_bits(), 0.0f32.to_bits());
    assert_eq!(&best.score[5..], &[f32::NEG_INFINITY; 2]);
    // No candidate at all: every slot is padding.
    let empty = topk(&[1.0, 2.0], &[], 2, 2).unwrap();
    assert_eq!(empty.index, [u32::MAX; 2]);
    assert_eq!(empty.score, [f32::NEG_INFINITY; 2]);
}

#[test]
fn the_into_forms_write_the_same_results() {
    let mut rng = Rng::new(3);
    let queries: Vec<f32> = (0..17 * 3).map(|_| rng.range(-1.0, 1.0)).collect();
    let candidates: Vec<f32> = (0..17 * 11).map(|_| rng.range(-1.0, 1.0)).collect();
    let mut scores = [f32::NAN; 33];
    cosine_similarity_batch_into(&queries, &candidates, 17, &mut scores).unwrap();
    assert_eq!(
        bits(&scores),
        bits(&cosine_similarity_batch(&queries, &candidates, 17).unwrap())
    );
    let (mut index, mut score) = ([7u32; 12], [f32::NAN; 12]);
    topk_into(&queries, &candidates, 17, 4, &mut index, &mut score).unwrap();
    let best = topk(&queries, &candidates, 17, 4).unwrap();
    assert_eq!(index.to_vec(), best.index);
    assert_eq!(bits(&score), bits(&best.score));
}

#[test]
fn no_query_or_k_zero_writes_nothing() {
    let candidates = [1.0f32, 2.0, 3.0, 4.0];
    let (mut index, mut score) = ([7u32; 0], [f32::NAN; 0]);
    topk_into(&[1.0, 1.0], &candidates, 2, 0, &mut index, &mut score).unwrap();
    topk_into(&[], &candidates, 2, 3, &mut index, &mut score).unwrap();
    assert_eq!(
        topk(&[], &candidates, 2, 3).unwrap().index,
        Vec::<u32>::new()
    );
    assert_eq!(
        cosine_similarity_batch(&[], &candidates, 2).unwrap(),
        Vec::<f32>::new()
    );
    assert_eq!(
        cosine_similarity_batch(&[], &[], 0).unwrap(),
        Vec::<f32>::new()
    );
}

#[test]
fn slices_that_do_not_fit_are_refused_and_nothing_is_written() {
    let q = [1.0f32, 0.0, 0.0, 1.0];
    let c = [1.0f32, 1.0, 0.0, 1.0, 1.0, 0.0];
    // Rows that are not whole, and zero-length rows (their count cannot be known).
    assert_eq!(cosine_similarity_batch(&q, &c, 3), Err(Error::InvalidParam));
    assert_eq!(
        cosine_similarity_batch(&q[..3], &c, 2),
        Err(Error::InvalidParam)
    );
    assert_eq!(cosine_similarity_batch(&q, &c, 0), Err(Error::InvalidParam));
    assert_eq!(topk(&q, &c[..5], 2, 1).err(), Some(Error::InvalidParam));
    assert_eq!(topk(&q, &c, 0, 1).err(), Some(Error::InvalidParam));
    // Outputs of the wrong length.
    let mut scores = [f32::NAN; 5];
    assert_eq!(
        cosine_similarity_batch_into(&q, &c, 2, &mut scores),
        Err(Error::InvalidParam)
    );
    assert!(scores.iter().all(|s| s.is_nan()));
    let (mut index, mut score) = ([7u32; 4], [f32::NAN; 3]);
    assert_eq!(
        topk_into(&q, &c, 2, 2, &mut index, &mut score),
        Err(Error::InvalidParam)
    );
    assert_eq!(index, [7; 4]);
    assert!(score.iter().all(|s| s.is_nan()));
    // Slots whose bytes no allocation can hold: SizeOverflow, as the C ABI says it.
    assert_eq!(topk(&q, &c, 2, usize::MAX).err(), Some(Error::SizeOverflow));
    assert_eq!(
        topk(&q, &c, 2, (isize::MAX as usize) / 8 + 1).err(),
        Some(Error::SizeOverflow)
    );
}
