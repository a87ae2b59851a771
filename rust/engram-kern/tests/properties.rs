//! Seeded property tests: the safe API, on the ISA the CPU picks, against the pure-Rust
//! transcriptions of the reference kernels (tests/common): cosine within the documented bound,
//! decay within 2 ULP, spreading bit-identical.
mod common;

use common::Rng;
use engram_kern::*;

const CASES: u64 = 200;

#[test]
fn cosine_matches_the_reference_within_its_bound() {
    for seed in 0..CASES {
        let mut rng = Rng::new(seed);
        let dim = 1 + rng.below(70) as usize;
        let count = rng.below(9) as usize;
        let query: Vec<f32> = (0..dim).map(|_| rng.element()).collect();
        let candidates: Vec<f32> = (0..dim * count).map(|_| rng.element()).collect();
        let scores = cosine_similarity(&query, &candidates).unwrap();
        let expected = common::cosine(&query, &candidates);
        assert_eq!(scores.len(), count);
        for (j, (&got, &want)) in scores.iter().zip(&expected).enumerate() {
            let error = (got as f64 - want as f64).abs();
            assert!(
                error <= common::cosine_bound(dim),
                "seed {} candidate {}: {} vs {}",
                seed,
                j,
                got,
                want
            );
        }
    }
}

#[test]
fn cosine_into_writes_the_same_scores() {
    let mut rng = Rng::new(7);
    let query: Vec<f32> = (0..33).map(|_| rng.range(-1.0, 1.0)).collect();
    let candidates: Vec<f32> = (0..33 * 5).map(|_| rng.range(-1.0, 1.0)).collect();
    let mut scores = [f32::NAN; 5];
    cosine_similarity_into(&query, &candidates, &mut scores).unwrap();
    assert_eq!(
        scores.to_vec(),
        cosine_similarity(&query, &candidates).unwrap()
    );
}

#[test]
fn an_empty_query_scores_zero() {
    let mut scores = [f32::NAN; 3];
    cosine_similarity_into(&[], &[], &mut scores).unwrap();
    assert_eq!(scores, [0.0; 3]);
    assert_eq!(cosine_similarity(&[], &[]).unwrap(), Vec::<f32>::new());
}

fn random_decay_params<'a>(rng: &mut Rng, taus: &'a [f32]) -> DecayParams<'a> {
    let family = [
        DecayFamily::Exponential,
        DecayFamily::PowerLaw,
        DecayFamily::Hybrid,
    ][rng.below(3) as usize];
    DecayParams {
        family,
        tau_seconds: 10f64.powf(rng.unit() * 7.0),
        beta: rng.unit() * 3.0,
        switch_seconds: 10f64.powf(rng.unit() * 6.0),
        floor: if rng.below(4) == 0 {
            rng.unit() * 0.2
        } else {
            0.0
        },
        tau_per_memory: if rng.below(3) == 0 { Some(taus) } else { None },
    }
}

#[test]
fn decay_matches_the_reference_within_2_ulp() {
    for seed in 0..CASES {
        let mut rng = Rng::new(1000 + seed);
        let n = rng.below(100) as usize;
        let mut strengths: Vec<f32> = (0..n).map(|_| rng.element()).collect();
        // Ages from 0 up to ~300 years, and the extremes.
        let ages: Vec<u64> = (0..n)
            .map(|_| match rng.below(16) {
                0 => 0,
                1 => u64::MAX,
                _ => 10f64.powf(rng.unit() * 10.0) as u64,
            })
            .collect();
        let taus: Vec<f32> = (0..n)
            .map(|_| 10f64.powf(rng.unit() * 7.0) as f32)
            .collect();
        let params = random_decay_params(&mut rng, &taus);
        let mut expected = strengths.clone();
        common::decay(&mut expected, &ages, &params);
        apply_decay(&mut strengths, &ages, &params).unwrap();
        for i in 0..n {
            assert!(
                common::ulp_distance(strengths[i], expected[i]) <= 2,
                "seed {} memory {}: {} vs {} ({:?}, age {})",
                seed,
                i,
                strengths[i],
                expected[i],
                params,
                ages[i]
            );
        }
    }
}

#[test]
fn decay_defaults_are_the_c_defaults() {
    let p = DecayParams::default();
    assert_eq!(p.family, DecayFamily::Exponential);
    assert_eq!(
        (p.tau_seconds, p.beta, p.switch_seconds, p.floor),
        (86400.0, 1.0, 86400.0, 0.0)
    );
    assert!(p.tau_per_memory.is_none());
    // One tau of exponential decay leaves 1/e.
    let mut strength = [1.0f32];
    apply_decay(&mut strength, &[86400], &p).unwrap();
    assert_eq!(strength[0], (-1.0f64).exp() as f32);
}

#[test]
fn spreading_is_bit_identical_to_the_reference() {
    for seed in 0..CASES {
        let mut rng = Rng::new(2000 + seed);
        let num_nodes = 1 + rng.below(60) as usize;
        let csr = common::random_graph(&mut rng, num_nodes, 6);
        let graph =
            Graph::from_csr(csr.num_nodes, &csr.offsets, &csr.targets, &csr.weights).unwrap();
        assert_eq!(
            (graph.num_nodes(), graph.num_edges()),
            (num_nodes, csr.targets.len())
        );
        let params = SpreadParams {
            mode: if rng.below(2) == 0 {
                SpreadMode::Frontier
            } else {
                SpreadMode::Dense
            },
            steps: rng.below(6) as u32,
            hop_decay: rng.range(0.05, 1.0),
            threshold: rng.range(0.0, 0.2),
        };
        let mut activations: Vec<f32> = (0..num_nodes)
            .map(|_| {
                if rng.below(3) == 0 {
                    rng.range(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        let mut expected = activations.clone();
        common::spread(&csr, &mut expected, &params);
        graph.spread(&mut activations, &params).unwrap();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<u32>>();
        assert_eq!(
            bits(&activations),
            bits(&expected),
            "seed {} {:?}",
            seed,
            params
        );
    }
}

#[test]
fn spread_defaults_are_the_c_defaults() {
    let p = SpreadParams::default();
    assert_eq!(
        (p.mode, p.steps, p.hop_decay, p.threshold),
        (SpreadMode::Frontier, 3, 0.5, 0.01)
    );
}

#[test]
fn spreading_uses_the_thread_arena() {
    let graph = Graph::from_csr(3, &[0, 1, 2, 2], &[1, 2], &[1.0, 1.0]).unwrap();
    let mut activations = [1.0, 0.0, 0.0];
    graph
        .spread(&mut activations, &SpreadParams::default())
        .unwrap();
    assert_eq!(activations, [1.0, 0.5, 0.25]);
    assert!(arena_stats().high_water_bytes > 0);
    arena_release();
    assert_eq!(arena_stats().bytes_reserved, 0);
}
