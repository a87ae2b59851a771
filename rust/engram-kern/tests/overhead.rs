//! The cost per call beyond the kernel: a bare call across the FFI boundary (engram_version), and
//! a one-element cosine (almost no kernel work) through the safe wrapper and through the raw
//! binding, whose difference is the safe layer's checks. Rounds of the variants alternate, the
//! best round of each counts. Prints figures, asserts nothing on time; run it on a quiet machine:
//!   cargo test --offline --release --manifest-path rust/engram-kern/Cargo.toml --test overhead -- --ignored --nocapture
use engram_kern::cosine_similarity_into;
use engram_kern_sys as sys;
use std::time::Instant;

const CALLS: u32 = 1_000_000;
const ROUNDS: usize = 7;

/// Nanoseconds per call of one round of CALLS calls.
fn ns_per_call(call: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..CALLS {
        call();
    }
    start.elapsed().as_nanos() as f64 / CALLS as f64
}

/// The best round of each variant, the variants' rounds interleaved so a change of machine load
/// weighs on all of them alike.
fn best_ns_per_call(variants: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; variants.len()];
    for _ in 0..ROUNDS {
        for (variant, best) in variants.iter_mut().zip(best.iter_mut()) {
            *best = best.min(ns_per_call(*variant));
        }
    }
    best
}

#[test]
#[ignore]
fn ffi_overhead_per_call() {
    let query = [0.5f32];
    let candidates = [0.25f32];
    let mut safe_scores = [0.0f32];
    let mut raw_scores = [0.0f32];
    let mut version = 0u32;
    let mut bare = || version ^= unsafe { sys::engram_version() };
    let mut safe = || cosine_similarity_into(&query, &candidates, &mut safe_scores).unwrap();
    let mut raw = || {
        let status = unsafe {
            sys::engram_vector_similarity(
                query.as_ptr(),
                candidates.as_ptr(),
                raw_scores.as_mut_ptr(),
                1,
                1,
            )
        };
        assert_eq!(status, sys::ENGRAM_OK);
    };
    let best = best_ns_per_call(&mut [&mut bare, &mut safe, &mut raw]);
    println!(
        "bare FFI call {:.2} ns; one-element cosine on {}: safe API {:.2} ns, raw binding {:.2} ns, \
         safe layer {:.2} ns per call",
        best[0],
        engram_kern::active_isa(),
        best[1],
        best[2],
        best[1] - best[2]
    );
    assert_eq!((safe_scores[0], raw_scores[0]), (1.0, 1.0));
}
