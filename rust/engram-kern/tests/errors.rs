//! Every error variant provoked from Rust, and its Display text from the library. Overlapping
//! buffers and NULL pointers cannot be expressed with safe slices, so those two go through the
//! raw bindings; out of memory cannot be provoked on demand and is checked as a code only.
use engram_kern::*;
use engram_kern_sys as sys;
use std::ptr;

#[test]
fn slices_that_do_not_fit_are_invalid_params() {
    assert_eq!(
        cosine_similarity(&[1.0, 2.0], &[1.0, 2.0, 3.0]),
        Err(Error::InvalidParam)
    );
    assert_eq!(cosine_similarity(&[], &[1.0]), Err(Error::InvalidParam));
    assert_eq!(
        cosine_similarity_into(&[1.0], &[1.0, 2.0], &mut [0.0; 3]),
        Err(Error::InvalidParam)
    );
    assert_eq!(
        apply_decay(&mut [1.0], &[1, 2], &DecayParams::default()),
        Err(Error::InvalidParam)
    );
    let taus = [1.0f32; 2];
    let params = DecayParams {
        tau_per_memory: Some(&taus),
        ..Default::default()
    };
    assert_eq!(
        apply_decay(&mut [1.0], &[1], &params),
        Err(Error::InvalidParam)
    );
    let graph = Graph::from_csr(2, &[0, 0, 0], &[], &[]).unwrap();
    assert_eq!(
        graph.spread(&mut [0.0], &SpreadParams::default()),
        Err(Error::InvalidParam)
    );
}

#[test]
fn out_of_range_parameters_are_invalid_params_and_write_nothing() {
    let mut strengths = [0.5f32, 0.25];
    for params in [
        DecayParams {
            tau_seconds: 0.0,
            ..Default::default()
        },
        DecayParams {
            beta: f64::NAN,
            ..Default::default()
        },
        DecayParams {
            floor: 1.5,
            ..Default::default()
        },
    ] {
        assert_eq!(
            apply_decay(&mut strengths, &[10, 20], &params),
            Err(Error::InvalidParam)
        );
        assert_eq!(strengths, [0.5, 0.25]);
    }
    let graph = Graph::from_csr(1, &[0, 0], &[], &[]).unwrap();
    let params = SpreadParams {
        hop_decay: 0.0,
        ..Default::default()
    };
    assert_eq!(graph.spread(&mut [0.5], &params), Err(Error::InvalidParam));
}

#[test]
fn broken_csr_arrays_are_invalid_graphs() {
    let invalid = |g: Result<Graph>| assert_eq!(g.err(), Some(Error::InvalidGraph));
    invalid(Graph::from_csr(2, &[0, 1, 1], &[2], &[1.0])); // target out of range
    invalid(Graph::from_csr(1, &[0, 1], &[0], &[f32::INFINITY])); // weight not finite
    invalid(Graph::from_csr(2, &[0, 2, 1], &[0, 1], &[1.0, 1.0])); // offsets decrease
    invalid(Graph::from_csr(2, &[0, 1], &[0], &[1.0])); // row_offsets too short
    invalid(Graph::from_csr(1, &[0, 1], &[0], &[])); // fewer weights than targets
}

#[test]
fn activations_out_of_range_are_invalid_input() {
    let graph = Graph::from_csr(2, &[0, 1, 1], &[1], &[1.0]).unwrap();
    let mut activations = [1.5f32, 0.0];
    assert_eq!(
        graph.spread(&mut activations, &SpreadParams::default()),
        Err(Error::InvalidInput)
    );
    assert_eq!(activations, [1.5, 0.0]);
}

#[test]
fn isa_names_are_checked() {
    assert_eq!(set_isa(Some("mmx")), Err(Error::UnknownIsa));
    assert_eq!(set_isa(Some("avx2\0")), Err(Error::UnknownIsa));
    // An ISA of the other architecture is known but cannot run here.
    let foreign = if cfg!(target_arch = "x86_64") {
        "neon"
    } else {
        "avx2"
    };
    assert_eq!(set_isa(Some(foreign)), Err(Error::UnsupportedIsa));
}

#[test]
fn null_pointers_overflowing_sizes_and_overlaps_through_the_raw_bindings() {
    let query = [1.0f32; 4];
    let mut scores = [0.0f32; 4];
    let status = |s: sys::engram_status| Error::from_status(s);
    unsafe {
        assert_eq!(
            status(sys::engram_vector_similarity(
                ptr::null(),
                query.as_ptr(),
                scores.as_mut_ptr(),
                1,
                1
            )),
            Some(Error::NullPointer)
        );
        assert_eq!(
            status(sys::engram_vector_similarity(
                query.as_ptr(),
                query.as_ptr(),
                scores.as_mut_ptr(),
                usize::MAX,
                2
            )),
            Some(Error::SizeOverflow)
        );
        let overlapping = scores.as_mut_ptr();
        assert_eq!(
            status(sys::engram_vector_similarity(
                overlapping,
                query.as_ptr(),
                overlapping,
                1,
                1
            )),
            Some(Error::Overlap)
        );
    }
}

#[test]
fn every_code_has_its_variant_and_the_library_text() {
    let all = [
        Error::NullPointer,
        Error::SizeOverflow,
        Error::Overlap,
        Error::InvalidParam,
        Error::InvalidGraph,
        Error::InvalidInput,
        Error::UnknownIsa,
        Error::UnsupportedIsa,
        Error::OutOfMemory,
    ];
    assert_eq!(Error::from_status(sys::ENGRAM_OK), None);
    for (code, error) in (1..).zip(all.iter()) {
        assert_eq!(Error::from_status(code), Some(*error));
        assert_eq!(error.status(), code);
        let text = unsafe { std::ffi::CStr::from_ptr(sys::engram_status_string(code)) };
        assert_eq!(error.to_string(), text.to_str().unwrap());
        let _: &dyn std::error::Error = error;
    }
    assert_eq!(Error::NullPointer.to_string(), "null pointer");
    assert_eq!(Error::from_status(99), Some(Error::Unrecognized(99)));
}
