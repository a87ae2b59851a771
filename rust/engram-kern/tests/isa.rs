//! The run-time ISA switch: force the reference kernels (the rollback), check that they are the
//! definitions bit for bit, and return to detection. Its own test binary (process), because the
//! ISA is process-wide and the other tests run on the detected one.
mod common;

use common::Rng;
use engram_kern::*;

#[test]
fn set_isa_reference_round_trip() {
    let detected = active_isa();
    let runnable = runnable_isas();
    assert_eq!(runnable.first(), Some(&"reference"));
    assert_eq!(
        runnable.last(),
        Some(&detected),
        "the detected ISA is the best runnable one"
    );

    set_isa(Some("reference")).unwrap();
    assert_eq!(active_isa(), "reference");
    let mut rng = Rng::new(5);
    let query: Vec<f32> = (0..40).map(|_| rng.element()).collect();
    let candidates: Vec<f32> = (0..40 * 6).map(|_| rng.element()).collect();
    let scores = cosine_similarity(&query, &candidates).unwrap();
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<u32>>();
    assert_eq!(bits(&scores), bits(&common::cosine(&query, &candidates)));

    for isa in &runnable {
        set_isa(Some(isa)).unwrap();
        assert_eq!(active_isa(), *isa);
    }
    set_isa(None).unwrap();
    assert_eq!(active_isa(), detected);
}

#[test]
fn set_gather_policy_round_trip() {
    let chosen = active_gather_policy();
    assert!(
        ["hardware", "lanes", "by-size"].contains(&chosen),
        "{}",
        chosen
    );
    for policy in ["hardware", "lanes", "by-size"] {
        set_gather_policy(Some(policy)).unwrap();
        assert_eq!(active_gather_policy(), policy);
    }
    assert_eq!(set_gather_policy(Some("gather")), Err(Error::InvalidParam));
    set_gather_policy(None).unwrap();
    assert_eq!(active_gather_policy(), chosen);
}
