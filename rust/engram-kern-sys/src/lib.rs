//! Raw bindings to the engram-kern C ABI, `include/engram_kern.h`, written by hand (no external
//! crates). `tests/abi_drift.rs` compares every struct layout, enum value and function against
//! the header through a small C program, so a change to the header that is not mirrored here
//! fails `cargo test`. The safe API is the `engram-kern` crate.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int};

pub type engram_status = i32;
pub const ENGRAM_OK: engram_status = 0;
pub const ENGRAM_ERR_NULL_POINTER: engram_status = 1;
pub const ENGRAM_ERR_SIZE_OVERFLOW: engram_status = 2;
pub const ENGRAM_ERR_OVERLAP: engram_status = 3;
pub const ENGRAM_ERR_INVALID_PARAM: engram_status = 4;
pub const ENGRAM_ERR_INVALID_GRAPH: engram_status = 5;
pub const ENGRAM_ERR_INVALID_INPUT: engram_status = 6;
pub const ENGRAM_ERR_UNKNOWN_ISA: engram_status = 7;
pub const ENGRAM_ERR_UNSUPPORTED_ISA: engram_status = 8;
pub const ENGRAM_ERR_OUT_OF_MEMORY: engram_status = 9;

pub const ENGRAM_KERN_VERSION_MAJOR: u32 = 0;
pub const ENGRAM_KERN_VERSION_MINOR: u32 = 1;
pub const ENGRAM_KERN_VERSION_PATCH: u32 = 0;

/// `engram_decay_family`: the values of `engram_decay_params::family`.
pub type engram_decay_family = u32;
pub const ENGRAM_DECAY_EXPONENTIAL: engram_decay_family = 0;
pub const ENGRAM_DECAY_POWER_LAW: engram_decay_family = 1;
pub const ENGRAM_DECAY_HYBRID: engram_decay_family = 2;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct engram_decay_params {
    pub struct_size: u32,
    pub family: u32,
    pub tau_seconds: f64,
    pub beta: f64,
    pub switch_seconds: f64,
    pub floor: f64,
    pub tau_per_memory: *const f32,
}

/// Opaque: created by `engram_graph_create`, freed by `engram_graph_destroy`.
#[repr(C)]
pub struct engram_graph {
    _private: [u8; 0],
}

/// `engram_spread_mode`: the values of `engram_spread_params::mode`.
pub type engram_spread_mode = u32;
pub const ENGRAM_SPREAD_FRONTIER: engram_spread_mode = 0;
pub const ENGRAM_SPREAD_DENSE: engram_spread_mode = 1;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct engram_spread_params {
    pub struct_size: u32,
    pub mode: u32,
    pub steps: u32,
    pub hop_decay: f32,
    pub threshold: f32,
}

/// A C enum returned by value: `int` on every ABI this library targets.
pub type engram_isa_source = c_int;
pub const ENGRAM_ISA_AUTO: engram_isa_source = 0;
pub const ENGRAM_ISA_ENV: engram_isa_source = 1;
pub const ENGRAM_ISA_API: engram_isa_source = 2;
pub const ENGRAM_ISA_ENV_BAD: engram_isa_source = 3;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct engram_arena_stats {
    pub struct_size: u32,
    pub reserved_padding: u32,
    pub bytes_reserved: u64,
    pub high_water_bytes: u64,
    pub growths: u64,
}

extern "C" {
    pub fn engram_status_string(status: engram_status) -> *const c_char;
    pub fn engram_version() -> u32;
    pub fn engram_version_string() -> *const c_char;
    pub fn engram_vector_similarity(
        query: *const f32,
        candidates: *const f32,
        scores: *mut f32,
        query_len: usize,
        num_candidates: usize,
    ) -> engram_status;
    pub fn engram_vector_similarity_batch(
        queries: *const f32,
        num_queries: usize,
        candidates: *const f32,
        num_candidates: usize,
        dim: usize,
        scores: *mut f32,
    ) -> engram_status;
    pub fn engram_vector_topk(
        queries: *const f32,
        num_queries: usize,
        candidates: *const f32,
        num_candidates: usize,
        dim: usize,
        k: usize,
        out_index: *mut u32,
        out_score: *mut f32,
    ) -> engram_status;
    pub fn engram_convert_f32_to_bf16(
        input: *const f32,
        out: *mut u16,
        count: usize,
    ) -> engram_status;
    pub fn engram_quantize_i8(
        rows: *const f32,
        dim: usize,
        num_rows: usize,
        out: *mut i8,
        row_scales: *mut f32,
    ) -> engram_status;
    pub fn engram_vector_similarity_bf16(
        query: *const f32,
        candidates: *const u16,
        scores: *mut f32,
        dim: usize,
        num_candidates: usize,
    ) -> engram_status;
    pub fn engram_vector_similarity_i8(
        query: *const f32,
        candidates: *const i8,
        scores: *mut f32,
        dim: usize,
        num_candidates: usize,
    ) -> engram_status;
    pub fn engram_vector_topk_bf16(
        queries: *const f32,
        num_queries: usize,
        candidates: *const u16,
        num_candidates: usize,
        dim: usize,
        k: usize,
        out_index: *mut u32,
        out_score: *mut f32,
    ) -> engram_status;
    pub fn engram_vector_topk_i8(
        queries: *const f32,
        num_queries: usize,
        candidates: *const i8,
        num_candidates: usize,
        dim: usize,
        k: usize,
        out_index: *mut u32,
        out_score: *mut f32,
    ) -> engram_status;
    pub fn engram_decay_params_default() -> engram_decay_params;
    pub fn engram_apply_decay(
        strengths: *mut f32,
        ages_seconds: *const u64,
        num_memories: usize,
        params: *const engram_decay_params,
    ) -> engram_status;
    pub fn engram_graph_create(
        num_nodes: usize,
        row_offsets: *const u64,
        targets: *const u32,
        weights: *const f32,
        num_edges: usize,
        out: *mut *mut engram_graph,
    ) -> engram_status;
    pub fn engram_graph_destroy(graph: *mut engram_graph);
    pub fn engram_graph_num_nodes(graph: *const engram_graph) -> usize;
    pub fn engram_graph_num_edges(graph: *const engram_graph) -> usize;
    pub fn engram_spread_params_default() -> engram_spread_params;
    pub fn engram_spread_activation(
        graph: *const engram_graph,
        activations: *mut f32,
        params: *const engram_spread_params,
    ) -> engram_status;
    pub fn engram_active_isa() -> *const c_char;
    pub fn engram_active_isa_source() -> engram_isa_source;
    pub fn engram_runnable_isas(
        names: *mut *const c_char,
        capacity: usize,
        count: *mut usize,
    ) -> engram_status;
    pub fn engram_set_isa(name: *const c_char) -> engram_status;
    pub fn engram_active_gather_policy() -> *const c_char;
    pub fn engram_active_gather_policy_source() -> engram_isa_source;
    pub fn engram_set_gather_policy(name: *const c_char) -> engram_status;
    pub fn engram_arena_get_stats(stats: *mut engram_arena_stats) -> engram_status;
    pub fn engram_arena_release();
}
