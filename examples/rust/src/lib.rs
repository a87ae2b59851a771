//! Hand-written bindings to the engram-kern C ABI (include/engram_kern.h) and thin safe wrappers.
//! No external crates: the declarations below mirror the header; keep them in step with it.
use std::ffi::{c_char, CStr, CString};

pub type Status = i32;
pub const OK: Status = 0;
pub const ERR_NULL_POINTER: Status = 1;
pub const ERR_SIZE_OVERFLOW: Status = 2;
pub const ERR_OVERLAP: Status = 3;
pub const ERR_INVALID_PARAM: Status = 4;
pub const ERR_INVALID_GRAPH: Status = 5;
pub const ERR_INVALID_INPUT: Status = 6;
pub const ERR_UNKNOWN_ISA: Status = 7;
pub const ERR_UNSUPPORTED_ISA: Status = 8;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DecayParams {
    pub struct_size: u32,
    pub family: u32,
    pub tau_seconds: f64,
    pub beta: f64,
    pub switch_seconds: f64,
    pub floor: f64,
    pub tau_per_memory: *const f32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SpreadParams {
    pub struct_size: u32,
    pub mode: u32,
    pub steps: u32,
    pub hop_decay: f32,
    pub threshold: f32,
}

#[repr(C)]
pub struct RawGraph {
    _private: [u8; 0],
}

extern "C" {
    pub fn engram_status_string(status: Status) -> *const c_char;
    pub fn engram_version_string() -> *const c_char;
    pub fn engram_vector_similarity(
        query: *const f32,
        candidates: *const f32,
        scores: *mut f32,
        query_len: usize,
        num_candidates: usize,
    ) -> Status;
    pub fn engram_decay_params_default() -> DecayParams;
    pub fn engram_apply_decay(
        strengths: *mut f32,
        ages_seconds: *const u64,
        num_memories: usize,
        params: *const DecayParams,
    ) -> Status;
    pub fn engram_graph_create(
        num_nodes: usize,
        row_offsets: *const u64,
        targets: *const u32,
        weights: *const f32,
        num_edges: usize,
        out: *mut *mut RawGraph,
    ) -> Status;
    pub fn engram_graph_destroy(graph: *mut RawGraph);
    pub fn engram_spread_params_default() -> SpreadParams;
    pub fn engram_spread_activation(
        graph: *const RawGraph,
        activations: *mut f32,
        params: *const SpreadParams,
    ) -> Status;
    pub fn engram_active_isa() -> *const c_char;
    pub fn engram_set_isa(name: *const c_char) -> Status;
}

/// The error of a failed call: its status code and the library's name for it.
#[derive(Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub name: String,
}

fn check(status: Status) -> Result<(), Error> {
    if status == OK {
        return Ok(());
    }
    let name = unsafe { CStr::from_ptr(engram_status_string(status)) };
    Err(Error { status, name: name.to_string_lossy().into_owned() })
}

/// Cosine of `query` with each row of `candidates` (row-major, `query.len()` columns).
pub fn similarity(query: &[f32], candidates: &[f32]) -> Result<Vec<f32>, Error> {
    let rows = if query.is_empty() { 0 } else { candidates.len() / query.len() };
    let mut scores = vec![0.0f32; rows];
    check(unsafe {
        engram_vector_similarity(
            query.as_ptr(),
            candidates.as_ptr(),
            scores.as_mut_ptr(),
            query.len(),
            rows,
        )
    })?;
    Ok(scores)
}

/// Decays `strengths` in place by `ages` (seconds); `None` uses the library defaults.
pub fn decay(strengths: &mut [f32], ages: &[u64], params: Option<&DecayParams>) -> Result<(), Error> {
    if strengths.len() != ages.len() {
        return Err(Error { status: ERR_INVALID_PARAM, name: "length mismatch".into() });
    }
    let p = params.map_or(std::ptr::null(), |p| p as *const DecayParams);
    check(unsafe { engram_apply_decay(strengths.as_mut_ptr(), ages.as_ptr(), strengths.len(), p) })
}

/// An owned, validated graph.
pub struct Graph(*mut RawGraph);

impl Graph {
    pub fn new(row_offsets: &[u64], targets: &[u32], weights: &[f32]) -> Result<Graph, Error> {
        let nodes = row_offsets.len().saturating_sub(1);
        let mut raw = std::ptr::null_mut();
        check(unsafe {
            engram_graph_create(
                nodes,
                row_offsets.as_ptr(),
                targets.as_ptr(),
                weights.as_ptr(),
                targets.len().min(weights.len()),
                &mut raw,
            )
        })?;
        Ok(Graph(raw))
    }

    pub fn spread(&self, activations: &mut [f32], params: &SpreadParams) -> Result<(), Error> {
        check(unsafe { engram_spread_activation(self.0, activations.as_mut_ptr(), params) })
    }
}

impl Drop for Graph {
    fn drop(&mut self) {
        unsafe { engram_graph_destroy(self.0) }
    }
}

pub fn active_isa() -> String {
    unsafe { CStr::from_ptr(engram_active_isa()).to_string_lossy().into_owned() }
}

pub fn set_isa(name: &str) -> Result<(), Error> {
    let name = CString::new(name).expect("no NUL in ISA names");
    check(unsafe { engram_set_isa(name.as_ptr()) })
}
