//! Safe Rust API to engram-kern: batch cosine similarity (one query or many, and the fused
//! top-k; float candidates, or compact bfloat16 and int8 ones), memory decay and spreading
//! activation, each running the best SIMD kernels the CPU supports (or the reference ones, the
//! rollback).
//! The caller owns every buffer and the kernels work on them in place (zero copy); the `_into`
//! forms and `Graph::spread` allocate nothing. Contracts and numerics: docs/kernels.md.
use engram_kern_sys as sys;
use std::ffi::{CStr, CString};
use std::fmt;
use std::os::raw::c_char;
use std::ptr::{self, NonNull};

/// One variant per `engram_status` failure code of the C ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    NullPointer,
    SizeOverflow,
    Overlap,
    /// A parameter out of its range, or slices whose lengths do not fit together.
    InvalidParam,
    InvalidGraph,
    InvalidInput,
    UnknownIsa,
    UnsupportedIsa,
    OutOfMemory,
    /// A code this crate does not know: a newer installed library than these bindings.
    Unrecognized(i32),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The error of a failed status, `None` for `ENGRAM_OK`. For callers that mix in raw
    /// `engram-kern-sys` calls.
    pub fn from_status(status: sys::engram_status) -> Option<Error> {
        Some(match status {
            sys::ENGRAM_OK => return None,
            sys::ENGRAM_ERR_NULL_POINTER => Error::NullPointer,
            sys::ENGRAM_ERR_SIZE_OVERFLOW => Error::SizeOverflow,
            sys::ENGRAM_ERR_OVERLAP => Error::Overlap,
            sys::ENGRAM_ERR_INVALID_PARAM => Error::InvalidParam,
            sys::ENGRAM_ERR_INVALID_GRAPH => Error::InvalidGraph,
            sys::ENGRAM_ERR_INVALID_INPUT => Error::InvalidInput,
            sys::ENGRAM_ERR_UNKNOWN_ISA => Error::UnknownIsa,
            sys::ENGRAM_ERR_UNSUPPORTED_ISA => Error::UnsupportedIsa,
            sys::ENGRAM_ERR_OUT_OF_MEMORY => Error::OutOfMemory,
            other => Error::Unrecognized(other),
        })
    }

    /// The C status code.
    pub fn status(self) -> sys::engram_status {
        match self {
            Error::NullPointer => sys::ENGRAM_ERR_NULL_POINTER,
            Error::SizeOverflow => sys::ENGRAM_ERR_SIZE_OVERFLOW,
            Error::Overlap => sys::ENGRAM_ERR_OVERLAP,
            Error::InvalidParam => sys::ENGRAM_ERR_INVALID_PARAM,
            Error::InvalidGraph => sys::ENGRAM_ERR_INVALID_GRAPH,
            Error::InvalidInput => sys::ENGRAM_ERR_INVALID_INPUT,
            Error::UnknownIsa => sys::ENGRAM_ERR_UNKNOWN_ISA,
            Error::UnsupportedIsa => sys::ENGRAM_ERR_UNSUPPORTED_ISA,
            Error::OutOfMemory => sys::ENGRAM_ERR_OUT_OF_MEMORY,
            Error::Unrecognized(code) => code,
        }
    }
}

impl fmt::Display for Error {
    /// The library's own name for the code (`engram_status_string`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(static_str(unsafe {
            sys::engram_status_string(self.status())
        }))
    }
}

impl std::error::Error for Error {}

fn check(status: sys::engram_status) -> Result<()> {
    match Error::from_status(status) {
        None => Ok(()),
        Some(error) => Err(error),
    }
}

/// The library's strings (status and ISA names, version) are static C strings.
fn static_str(text: *const c_char) -> &'static str {
    // SAFETY: every string the C ABI returns is non-NULL, NUL-terminated and lives for the
    // whole process; its names are ASCII.
    unsafe { CStr::from_ptr(text) }.to_str().unwrap_or("?")
}

/// The library version, "MAJOR.MINOR.PATCH".
pub fn version() -> &'static str {
    static_str(unsafe { sys::engram_version_string() })
}

// ---------------------------------------------------------------------------------------------
// Cosine similarity

/// Cosine of `query` with each row of `candidates` (row-major, `query.len()` columns, so
/// `candidates.len()` must be a multiple of it). A zero, empty or non-finite vector scores 0.
pub fn cosine_similarity(query: &[f32], candidates: &[f32]) -> Result<Vec<f32>> {
    let mut scores = vec![0.0f32; candidate_count(query, candidates)?];
    cosine_similarity_into(query, candidates, &mut scores)?;
    Ok(scores)
}

/// `cosine_similarity` writing into `scores`, one per candidate row; allocates nothing. With an
/// empty query, `candidates` must be empty and every score is 0.
pub fn cosine_similarity_into(query: &[f32], candidates: &[f32], scores: &mut [f32]) -> Result<()> {
    similarity_into(query, candidates, scores, sys::engram_vector_similarity)
}

/// A single-query similarity of the C ABI, for candidates stored as `C`.
type SimilarityFn<C> =
    unsafe extern "C" fn(*const f32, *const C, *mut f32, usize, usize) -> sys::engram_status;

/// The length checks of every `cosine_similarity*_into`, then the call.
fn similarity_into<C>(
    query: &[f32],
    candidates: &[C],
    scores: &mut [f32],
    call: SimilarityFn<C>,
) -> Result<()> {
    let count = if query.is_empty() && candidates.is_empty() {
        scores.len()
    } else {
        candidate_count(query, candidates)?
    };
    if scores.len() != count {
        return Err(Error::InvalidParam);
    }
    check(unsafe {
        call(
            query.as_ptr(),
            candidates.as_ptr(),
            scores.as_mut_ptr(),
            query.len(),
            count,
        )
    })
}

fn candidate_count<C>(query: &[f32], candidates: &[C]) -> Result<usize> {
    match query.len() {
        0 if candidates.is_empty() => Ok(0),
        dim if dim != 0 && candidates.len() % dim == 0 => Ok(candidates.len() / dim),
        _ => Err(Error::InvalidParam),
    }
}

// ---------------------------------------------------------------------------------------------
// Many queries at once: batch cosine similarity and top-k

/// `rows * per_row` output slots of 4 bytes, or `SizeOverflow` when their bytes would pass
/// `isize::MAX` (the C ABI's `PTRDIFF_MAX` limit, and no Rust allocation can be larger).
fn slot_count(rows: usize, per_row: usize) -> Result<usize> {
    match rows.checked_mul(per_row) {
        Some(slots) if slots <= isize::MAX as usize / 4 => Ok(slots),
        _ => Err(Error::SizeOverflow),
    }
}

/// Rows of `dim` floats in `values`: `values.len() / dim`, or `InvalidParam` when the length is
/// not a multiple of `dim`. With `dim == 0` only an empty slice fits (zero rows): a row count
/// cannot be read from zero-length rows.
fn row_count<T>(values: &[T], dim: usize) -> Result<usize> {
    match dim {
        0 if values.is_empty() => Ok(0),
        dim if dim != 0 && values.len() % dim == 0 => Ok(values.len() / dim),
        _ => Err(Error::InvalidParam),
    }
}

/// The scores of every query (rows of `queries`, `dim` columns) against every candidate (rows
/// of `candidates`), row-major `[num_queries][num_candidates]`. Each score obeys the contract of
/// `cosine_similarity`: same special values (a zero, empty or non-finite vector scores 0), same
/// bound against the reference. The SIMD kernels read each candidate row from memory once for
/// all the queries (docs/kernel-topk.md).
pub fn cosine_similarity_batch(
    queries: &[f32],
    candidates: &[f32],
    dim: usize,
) -> Result<Vec<f32>> {
    let num_queries = row_count(queries, dim)?;
    let num_candidates = row_count(candidates, dim)?;
    let mut scores = vec![0.0f32; slot_count(num_queries, num_candidates)?];
    cosine_similarity_batch_into(queries, candidates, dim, &mut scores)?;
    Ok(scores)
}

/// `cosine_similarity_batch` writing into `scores` (`num_queries * num_candidates` long);
/// allocates nothing.
pub fn cosine_similarity_batch_into(
    queries: &[f32],
    candidates: &[f32],
    dim: usize,
    scores: &mut [f32],
) -> Result<()> {
    let num_queries = row_count(queries, dim)?;
    let num_candidates = row_count(candidates, dim)?;
    if num_queries.checked_mul(num_candidates) != Some(scores.len()) {
        return Err(Error::InvalidParam);
    }
    check(unsafe {
        sys::engram_vector_similarity_batch(
            queries.as_ptr(),
            num_queries,
            candidates.as_ptr(),
            num_candidates,
            dim,
            scores.as_mut_ptr(),
        )
    })
}

/// The `k` best candidates of each query, `k` slots per query, row-major: query `i`'s slots are
/// `index[i * k..(i + 1) * k]` and `score[i * k..(i + 1) * k]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TopK {
    pub k: usize,
    /// Candidate row numbers, `u32::MAX` in a padding slot.
    pub index: Vec<u32>,
    /// Their scores, `f32::NEG_INFINITY` in a padding slot.
    pub score: Vec<f32>,
}

impl TopK {
    /// Query `i`'s slots, best first: (indices, scores).
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let slots = i * self.k..(i + 1) * self.k;
        (&self.index[slots.clone()], &self.score[slots])
    }
}

/// For each query the `k` candidates with the highest cosine, best first, equal scores to the
/// lower candidate index. The scores are bit-identical to `cosine_similarity_batch`'s for those
/// pairs and the selection is exact on them; no score array is allocated. `k` may exceed the
/// number of candidates: the slots past it are padding (index `u32::MAX`, score
/// `f32::NEG_INFINITY`). More than `u32::MAX` candidates is `Error::SizeOverflow`.
pub fn topk(queries: &[f32], candidates: &[f32], dim: usize, k: usize) -> Result<TopK> {
    topk_of(queries, candidates, dim, k, sys::engram_vector_topk)
}

/// `topk` writing into `out_index` and `out_score` (each `num_queries * k` long, row-major);
/// allocates nothing (nor do the SIMD kernels; the reference ISA takes one row of scores and one
/// of indices). `k == 0` or no query writes nothing.
pub fn topk_into(
    queries: &[f32],
    candidates: &[f32],
    dim: usize,
    k: usize,
    out_index: &mut [u32],
    out_score: &mut [f32],
) -> Result<()> {
    topk_of_into(
        queries,
        candidates,
        dim,
        k,
        out_index,
        out_score,
        sys::engram_vector_topk,
    )
}

/// A top-k of the C ABI, for candidates stored as `C`.
type TopkFn<C> = unsafe extern "C" fn(
    *const f32,
    usize,
    *const C,
    usize,
    usize,
    usize,
    *mut u32,
    *mut f32,
) -> sys::engram_status;

/// Every allocating top-k: the output rows, then `topk_of_into`.
fn topk_of<C>(
    queries: &[f32],
    candidates: &[C],
    dim: usize,
    k: usize,
    call: TopkFn<C>,
) -> Result<TopK> {
    row_count(candidates, dim)?; // before allocating
    let len = slot_count(row_count(queries, dim)?, k)?;
    let mut index = vec![0u32; len];
    let mut score = vec![0.0f32; len];
    topk_of_into(queries, candidates, dim, k, &mut index, &mut score, call)?;
    Ok(TopK { k, index, score })
}

/// The length checks of every `topk*_into`, then the call.
fn topk_of_into<C>(
    queries: &[f32],
    candidates: &[C],
    dim: usize,
    k: usize,
    out_index: &mut [u32],
    out_score: &mut [f32],
    call: TopkFn<C>,
) -> Result<()> {
    let num_queries = row_count(queries, dim)?;
    let num_candidates = row_count(candidates, dim)?;
    let slots = num_queries.checked_mul(k);
    if slots != Some(out_index.len()) || slots != Some(out_score.len()) {
        return Err(Error::InvalidParam);
    }
    check(unsafe {
        call(
            queries.as_ptr(),
            num_queries,
            candidates.as_ptr(),
            num_candidates,
            dim,
            k,
            out_index.as_mut_ptr(),
            out_score.as_mut_ptr(),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Compact candidates: bfloat16 and int8
//
// Half and a quarter of the bytes of float rows, for candidates streamed from memory. The
// similarity and top-k calls obey the float calls' contract on the candidates' exactly widened
// values (same special values, same bound against the reference); queries stay float.
// docs/kernel-lowp.md.

/// The float a bfloat16 stands for: its 16 bits are the upper half of an IEEE-754 binary32, so
/// widening is exact (the library's kernels widen the same way as they load).
pub fn bf16_to_f32(bits: u16) -> f32 {
    f32::from_bits(u32::from(bits) << 16)
}

/// Each value rounded to bfloat16 (the upper 16 bits of its float), to nearest with ties to
/// even; a value past the largest bfloat16 becomes ±Inf, a NaN a quiet NaN with its sign, ±Inf
/// and ±0 are kept.
pub fn convert_to_bf16(values: &[f32]) -> Result<Vec<u16>> {
    let mut out = vec![0u16; values.len()];
    convert_to_bf16_into(values, &mut out)?;
    Ok(out)
}

/// `convert_to_bf16` writing into `out`, as long as `values`; allocates nothing.
pub fn convert_to_bf16_into(values: &[f32], out: &mut [u16]) -> Result<()> {
    if out.len() != values.len() {
        return Err(Error::InvalidParam);
    }
    check(unsafe { sys::engram_convert_f32_to_bf16(values.as_ptr(), out.as_mut_ptr(), out.len()) })
}

/// Rows quantized to int8 by `quantize_i8`, row-major like the input.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantizedI8 {
    /// One int8 per input element, in [-127, 127].
    pub values: Vec<i8>,
    /// One per row: max|x| / 127, so `values[i] as f32 * scale` approximates the input; 0 for a
    /// row of zeros. A positive scale does not change a cosine, so the similarity calls do not
    /// take it.
    pub scales: Vec<f32>,
}

/// Symmetric per-row int8 quantization of `rows` (row-major, `dim` columns): per row scale =
/// max|x| / 127 and value = x / scale (both in float) rounded to nearest, ties to even, within
/// [-127, 127]; a row of zeros (or one whose scale underflows to 0) gives zeros and scale 0. A NaN
/// or ±Inf element is `Error::InvalidInput`.
pub fn quantize_i8(rows: &[f32], dim: usize) -> Result<QuantizedI8> {
    let num_rows = row_count(rows, dim)?;
    let mut values = vec![0i8; rows.len()];
    let mut scales = vec![0.0f32; num_rows];
    quantize_i8_into(rows, dim, &mut values, Some(&mut scales))?;
    Ok(QuantizedI8 { values, scales })
}

/// `quantize_i8` writing into `out` (as long as `rows`) and, when given, `scales` (one per row);
/// allocates nothing (the SIMD kernels take one float per row from the thread arena). On an error
/// neither output is written.
pub fn quantize_i8_into(
    rows: &[f32],
    dim: usize,
    out: &mut [i8],
    scales: Option<&mut [f32]>,
) -> Result<()> {
    let num_rows = row_count(rows, dim)?;
    if out.len() != rows.len() || scales.as_ref().map_or(false, |s| s.len() != num_rows) {
        return Err(Error::InvalidParam);
    }
    let scales = scales.map_or(ptr::null_mut(), |s| s.as_mut_ptr());
    check(unsafe {
        sys::engram_quantize_i8(rows.as_ptr(), dim, num_rows, out.as_mut_ptr(), scales)
    })
}

/// `cosine_similarity` on bfloat16 candidates (`convert_to_bf16`), `query.len()` columns: the
/// same special values (a row holding a NaN or ±Inf also scores 0) and bound on the widened values.
pub fn cosine_similarity_bf16(query: &[f32], candidates: &[u16]) -> Result<Vec<f32>> {
    let mut scores = vec![0.0f32; candidate_count(query, candidates)?];
    cosine_similarity_bf16_into(query, candidates, &mut scores)?;
    Ok(scores)
}

/// `cosine_similarity_bf16` writing into `scores`, one per candidate row; allocates nothing.
pub fn cosine_similarity_bf16_into(
    query: &[f32],
    candidates: &[u16],
    scores: &mut [f32],
) -> Result<()> {
    similarity_into(
        query,
        candidates,
        scores,
        sys::engram_vector_similarity_bf16,
    )
}

/// `cosine_similarity` on int8 candidates (`quantize_i8`'s values), `query.len()` columns.
pub fn cosine_similarity_i8(query: &[f32], candidates: &[i8]) -> Result<Vec<f32>> {
    let mut scores = vec![0.0f32; candidate_count(query, candidates)?];
    cosine_similarity_i8_into(query, candidates, &mut scores)?;
    Ok(scores)
}

/// `cosine_similarity_i8` writing into `scores`, one per candidate row; allocates nothing.
pub fn cosine_similarity_i8_into(
    query: &[f32],
    candidates: &[i8],
    scores: &mut [f32],
) -> Result<()> {
    similarity_into(query, candidates, scores, sys::engram_vector_similarity_i8)
}

/// `topk` on bfloat16 candidates: the scores are bit-identical to `cosine_similarity_bf16`'s for
/// those pairs, the selection exact on them, the padding and ties as in `topk`.
pub fn topk_bf16(queries: &[f32], candidates: &[u16], dim: usize, k: usize) -> Result<TopK> {
    topk_of(queries, candidates, dim, k, sys::engram_vector_topk_bf16)
}

/// `topk_bf16` writing into `out_index` and `out_score` (each `num_queries * k` long).
pub fn topk_bf16_into(
    queries: &[f32],
    candidates: &[u16],
    dim: usize,
    k: usize,
    out_index: &mut [u32],
    out_score: &mut [f32],
) -> Result<()> {
    let call = sys::engram_vector_topk_bf16;
    topk_of_into(queries, candidates, dim, k, out_index, out_score, call)
}

/// `topk` on int8 candidates: the scores are bit-identical to `cosine_similarity_i8`'s.
pub fn topk_i8(queries: &[f32], candidates: &[i8], dim: usize, k: usize) -> Result<TopK> {
    topk_of(queries, candidates, dim, k, sys::engram_vector_topk_i8)
}

/// `topk_i8` writing into `out_index` and `out_score` (each `num_queries * k` long).
pub fn topk_i8_into(
    queries: &[f32],
    candidates: &[i8],
    dim: usize,
    k: usize,
    out_index: &mut [u32],
    out_score: &mut [f32],
) -> Result<()> {
    let call = sys::engram_vector_topk_i8;
    topk_of_into(queries, candidates, dim, k, out_index, out_score, call)
}

// ---------------------------------------------------------------------------------------------
// Memory decay

/// The retention curve R(t).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecayFamily {
    /// R = exp(-t / tau)
    Exponential,
    /// R = (1 + t / tau)^(-beta)
    PowerLaw,
    /// Exponential up to `switch_seconds`, then a power law scaled to be continuous there.
    Hybrid,
}

/// Decay parameters; `Default` is the library's (exponential, tau 1 day, beta 1, switch 1 day,
/// floor 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecayParams<'a> {
    pub family: DecayFamily,
    /// 1/e time constant in seconds (not a half-life); finite, > 0.
    pub tau_seconds: f64,
    /// Power-law exponent; finite, >= 0.
    pub beta: f64,
    /// Hybrid: the age at which the power law takes over; finite, >= 0.
    pub switch_seconds: f64,
    /// R = max(R, floor); in [0, 1].
    pub floor: f64,
    /// One tau per memory (finite, > 0), replacing `tau_seconds`.
    pub tau_per_memory: Option<&'a [f32]>,
}

impl Default for DecayParams<'_> {
    fn default() -> Self {
        let raw = unsafe { sys::engram_decay_params_default() };
        DecayParams {
            family: match raw.family {
                sys::ENGRAM_DECAY_POWER_LAW => DecayFamily::PowerLaw,
                sys::ENGRAM_DECAY_HYBRID => DecayFamily::Hybrid,
                _ => DecayFamily::Exponential,
            },
            tau_seconds: raw.tau_seconds,
            beta: raw.beta,
            switch_seconds: raw.switch_seconds,
            floor: raw.floor,
            tau_per_memory: None,
        }
    }
}

/// In place: `strengths[i] *= max(R(ages_seconds[i]), floor)`. Nothing is written on an error.
pub fn apply_decay(
    strengths: &mut [f32],
    ages_seconds: &[u64],
    params: &DecayParams,
) -> Result<()> {
    let lengths_fit = ages_seconds.len() == strengths.len()
        && params
            .tau_per_memory
            .map_or(true, |taus| taus.len() == strengths.len());
    if !lengths_fit {
        return Err(Error::InvalidParam);
    }
    let raw = sys::engram_decay_params {
        struct_size: std::mem::size_of::<sys::engram_decay_params>() as u32,
        family: match params.family {
            DecayFamily::Exponential => sys::ENGRAM_DECAY_EXPONENTIAL,
            DecayFamily::PowerLaw => sys::ENGRAM_DECAY_POWER_LAW,
            DecayFamily::Hybrid => sys::ENGRAM_DECAY_HYBRID,
        },
        tau_seconds: params.tau_seconds,
        beta: params.beta,
        switch_seconds: params.switch_seconds,
        floor: params.floor,
        tau_per_memory: params
            .tau_per_memory
            .map_or(ptr::null(), |taus| taus.as_ptr()),
    };
    check(unsafe {
        sys::engram_apply_decay(
            strengths.as_mut_ptr(),
            ages_seconds.as_ptr(),
            strengths.len(),
            &raw,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Spreading activation

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpreadMode {
    /// Query-time spreading from the nodes above `threshold`, `steps` hops at most.
    Frontier,
    /// Whole-graph propagation with max-normalization, `steps` iterations.
    Dense,
}

/// Spreading parameters; `Default` is the library's (frontier, 3 hops, hop_decay 0.5,
/// threshold 0.01).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpreadParams {
    pub mode: SpreadMode,
    /// Frontier: the most hops; dense: the iterations.
    pub steps: u32,
    /// In (0, 1].
    pub hop_decay: f32,
    /// Frontier only: finite, >= 0.
    pub threshold: f32,
}

impl Default for SpreadParams {
    fn default() -> Self {
        let raw = unsafe { sys::engram_spread_params_default() };
        SpreadParams {
            mode: if raw.mode == sys::ENGRAM_SPREAD_DENSE {
                SpreadMode::Dense
            } else {
                SpreadMode::Frontier
            },
            steps: raw.steps,
            hop_decay: raw.hop_decay,
            threshold: raw.threshold,
        }
    }
}

/// A validated graph in CSR form (out-edges), owned by the library; immutable, so it is shared
/// freely across threads (the kernels are safe to call from many threads at once).
pub struct Graph {
    raw: NonNull<sys::engram_graph>,
}

// SAFETY: the C graph is never written after engram_graph_create; every kernel only reads it.
unsafe impl Send for Graph {}
unsafe impl Sync for Graph {}

impl Graph {
    /// Validates and copies the CSR arrays: `row_offsets` has `num_nodes + 1` entries (0 first,
    /// non-decreasing, `targets.len()` last), `targets[e] < num_nodes`, `weights` finite and as
    /// many as `targets`.
    pub fn from_csr(
        num_nodes: usize,
        row_offsets: &[u64],
        targets: &[u32],
        weights: &[f32],
    ) -> Result<Graph> {
        if num_nodes.checked_add(1) != Some(row_offsets.len()) || targets.len() != weights.len() {
            return Err(Error::InvalidGraph);
        }
        let mut raw = ptr::null_mut();
        check(unsafe {
            sys::engram_graph_create(
                num_nodes,
                row_offsets.as_ptr(),
                targets.as_ptr(),
                weights.as_ptr(),
                targets.len(),
                &mut raw,
            )
        })?;
        NonNull::new(raw)
            .map(|raw| Graph { raw })
            .ok_or(Error::OutOfMemory)
    }

    pub fn num_nodes(&self) -> usize {
        unsafe { sys::engram_graph_num_nodes(self.raw.as_ptr()) }
    }

    pub fn num_edges(&self) -> usize {
        unsafe { sys::engram_graph_num_edges(self.raw.as_ptr()) }
    }

    /// Spreads `activations` (one per node, finite, in [0, 1]) in place; nothing is written on
    /// an error. Scratch comes from the calling thread's arena (see `arena_stats`).
    pub fn spread(&self, activations: &mut [f32], params: &SpreadParams) -> Result<()> {
        if activations.len() != self.num_nodes() {
            return Err(Error::InvalidParam);
        }
        let raw = sys::engram_spread_params {
            struct_size: std::mem::size_of::<sys::engram_spread_params>() as u32,
            mode: match params.mode {
                SpreadMode::Frontier => sys::ENGRAM_SPREAD_FRONTIER,
                SpreadMode::Dense => sys::ENGRAM_SPREAD_DENSE,
            },
            steps: params.steps,
            hop_decay: params.hop_decay,
            threshold: params.threshold,
        };
        check(unsafe {
            sys::engram_spread_activation(self.raw.as_ptr(), activations.as_mut_ptr(), &raw)
        })
    }
}

impl Drop for Graph {
    fn drop(&mut self) {
        unsafe { sys::engram_graph_destroy(self.raw.as_ptr()) }
    }
}

// ---------------------------------------------------------------------------------------------
// ISA dispatch and the thread arena

/// The ISA whose kernels run now: "reference", "sse4_2", "avx2", "avx512" or "neon".
pub fn active_isa() -> &'static str {
    static_str(unsafe { sys::engram_active_isa() })
}

/// Forces an ISA for the whole process (thread-safe); `Some("reference")` is the rollback
/// switch, `None` (or `Some("auto")`) returns to CPU detection.
pub fn set_isa(name: Option<&str>) -> Result<()> {
    set_by_name(sys::engram_set_isa, name, Error::UnknownIsa)
}

/// The spreading kernels' gather policy in use now: "hardware", "lanes" or "by-size" (results
/// are bit-identical under each; see docs/dispatch.md).
pub fn active_gather_policy() -> &'static str {
    static_str(unsafe { sys::engram_active_gather_policy() })
}

/// Forces "hardware", "lanes" or "by-size" for the whole process; `None` (or `Some("auto")`)
/// returns to the CPU's choice. Another name is `Error::InvalidParam`.
pub fn set_gather_policy(name: Option<&str>) -> Result<()> {
    set_by_name(sys::engram_set_gather_policy, name, Error::InvalidParam)
}

/// A process-wide switch of the C ABI that takes a name, NULL meaning "auto". A name with a NUL
/// byte cannot be a valid one: it is refused as the library would refuse an unknown name.
fn set_by_name(
    set: unsafe extern "C" fn(*const c_char) -> sys::engram_status,
    name: Option<&str>,
    invalid: Error,
) -> Result<()> {
    match name {
        None => check(unsafe { set(ptr::null()) }),
        Some(name) => {
            let name = CString::new(name).map_err(|_| invalid)?;
            check(unsafe { set(name.as_ptr()) })
        }
    }
}

/// The ISAs this build has and this CPU can run, best last.
pub fn runnable_isas() -> Vec<&'static str> {
    let mut count = 0usize;
    // A status other than OK is impossible here: `count` is a valid pointer and, the second
    // time, `names` has room for `count` entries.
    unsafe { sys::engram_runnable_isas(ptr::null_mut(), 0, &mut count) };
    let mut names: Vec<*const c_char> = vec![ptr::null(); count];
    unsafe { sys::engram_runnable_isas(names.as_mut_ptr(), names.len(), &mut count) };
    names.into_iter().take(count).map(static_str).collect()
}

/// The calling thread's arena (scratch of spreading).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArenaStats {
    /// Bytes held now.
    pub bytes_reserved: u64,
    /// Most bytes ever in use at once.
    pub high_water_bytes: u64,
    /// Times the arena had to grow.
    pub growths: u64,
}

pub fn arena_stats() -> ArenaStats {
    let mut raw = sys::engram_arena_stats {
        struct_size: std::mem::size_of::<sys::engram_arena_stats>() as u32,
        ..Default::default()
    };
    // Cannot fail: the pointer is valid and struct_size is this header's.
    unsafe { sys::engram_arena_get_stats(&mut raw) };
    ArenaStats {
        bytes_reserved: raw.bytes_reserved,
        high_water_bytes: raw.high_water_bytes,
        growths: raw.growths,
    }
}

/// Frees the calling thread's arena (it grows again on the next spread).
pub fn arena_release() {
    unsafe { sys::engram_arena_release() }
}
