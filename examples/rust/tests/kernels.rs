// kernels.rs — known values through the C ABI from Rust, and bad arguments as documented statuses.
use engram_kern_example::*;

#[test]
fn cosine_known_values() {
    let scores = similarity(&[1.0, 0.0], &[1.0, 1.0, 0.0, 0.0]).unwrap();
    assert!((scores[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    assert_eq!(scores[1], 0.0, "a zero vector has no direction");
}

#[test]
fn decay_one_tau_gives_exp_minus_one() {
    let mut strengths = [1.0f32, 0.25];
    decay(&mut strengths, &[86_400, 0], None).unwrap();
    assert!((strengths[0] - (-1.0f64).exp() as f32).abs() <= f32::EPSILON);
    assert_eq!(strengths[1], 0.25, "age 0 leaves the strength unchanged");
}

#[test]
fn spreading_on_a_small_graph() {
    let g = Graph::new(&[0, 2, 2, 2], &[1, 2], &[0.5, 0.3]).unwrap();
    let mut params = unsafe { engram_spread_params_default() };
    params.steps = 1;
    params.hop_decay = 1.0;
    params.threshold = 0.0;
    let mut a = [1.0f32, 0.0, 0.0];
    g.spread(&mut a, &params).unwrap();
    assert_eq!(a, [1.0, 0.5, 0.3]);
}

#[test]
fn bad_arguments_come_back_as_statuses() {
    let err = Graph::new(&[0, 2, 1, 2], &[1, 2], &[0.5, 0.3]).err().unwrap();
    assert_eq!(err.status, ERR_INVALID_GRAPH);
    let err = Graph::new(&[0, 1], &[7], &[0.5]).err().unwrap();
    assert_eq!(err.status, ERR_INVALID_GRAPH, "target out of range");

    let mut p = unsafe { engram_decay_params_default() };
    p.tau_seconds = -1.0;
    let mut s = [1.0f32];
    assert_eq!(decay(&mut s, &[10], Some(&p)).err().unwrap().status, ERR_INVALID_PARAM);
    assert_eq!(s[0], 1.0, "nothing written on error");

    let mut scores = [9.0f32; 2];
    let status = unsafe {
        engram_vector_similarity(std::ptr::null(), [1.0f32; 4].as_ptr(), scores.as_mut_ptr(), 2, 2)
    };
    assert_eq!(status, ERR_NULL_POINTER);
    assert_eq!(scores, [9.0, 9.0]);

    let g = Graph::new(&[0, 0], &[], &[]).unwrap();
    let mut a = [2.0f32];
    let params = unsafe { engram_spread_params_default() };
    assert_eq!(g.spread(&mut a, &params).err().unwrap().status, ERR_INVALID_INPUT);

    assert_eq!(set_isa("avx512x").err().unwrap().status, ERR_UNKNOWN_ISA);
}

#[test]
fn rollback_to_reference_and_back() {
    set_isa("reference").unwrap();
    assert_eq!(active_isa(), "reference");
    let scores = similarity(&[1.0, 0.0], &[1.0, 1.0]).unwrap();
    assert!((scores[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    unsafe { engram_set_isa(std::ptr::null()) };
    assert_ne!(active_isa(), "");
}
