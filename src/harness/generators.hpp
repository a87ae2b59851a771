// generators.hpp — seeded workload generators. The same (family, sizes, seed) gives the same
// bytes on every machine and standard library: a specified PRNG (prng.hpp) and our own
// transforms, never std::*_distribution.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engram_kern.h"

namespace ek::harness {

// ---- cosine ------------------------------------------------------------------------------------
enum class cosine_family {
  gaussian,         // N(0, 1) elements
  uniform,          // U(-1, 1)
  lognormal,        // exp(N(0, 1)) with random signs (heavy right tail)
  cauchy,           // standard Cauchy (heavy tails both sides)
  integer,          // integers in [-32, 32]: every partial sum of a dot product is exact in f32;
                    // half the candidates along ±query (scores near ±1)
  extreme,          // magnitudes log-spread over 1e-40 ... 1e38, mixed within one vector
  zero,             // some candidates (and sometimes the query) all ±0
  nonfinite,        // NaN / ±Inf injected into some candidates (and sometimes the query)
  near_parallel,    // candidates = query + tiny perturbation (scores near +1 / -1)
  near_orthogonal,  // candidates made nearly orthogonal to the query (scores near 0)
};
inline constexpr cosine_family all_cosine_families[] = {
    cosine_family::gaussian,       cosine_family::uniform,   cosine_family::lognormal,
    cosine_family::cauchy,         cosine_family::integer,   cosine_family::extreme,
    cosine_family::zero,           cosine_family::nonfinite, cosine_family::near_parallel,
    cosine_family::near_orthogonal};

struct cosine_workload {
  cosine_family family = cosine_family::gaussian;
  size_t dim = 0;
  size_t count = 0;
  std::vector<float> query;       // dim
  std::vector<float> candidates;  // count * dim, row-major
};
cosine_workload make_cosine(cosine_family family, size_t dim, size_t count, uint64_t seed);

/// Many queries against one candidate set (engram_vector_similarity_batch, engram_vector_topk).
struct cosine_batch_workload {
  cosine_family family = cosine_family::gaussian;
  size_t dim = 0;
  size_t num_queries = 0;
  size_t count = 0;
  size_t k = 0;                   // top-k only: results per query (make_cosine_batch leaves 0)
  std::vector<float> queries;     // num_queries * dim, row-major
  std::vector<float> candidates;  // count * dim, row-major
};
/// Candidates and query 0 as make_cosine(family, dim, count, seed) makes them; every third
/// further query is a copy of a candidate (a score of exactly 1), the others are fresh queries of
/// the family. With duplicates, every fourth candidate repeats an earlier one, so scores tie.
cosine_batch_workload make_cosine_batch(cosine_family family, size_t dim, size_t num_queries,
                                        size_t count, uint64_t seed, bool duplicates = false);

/// The stored type of compact candidates (engram_vector_similarity_bf16 / _i8, engram_vector_topk_
/// bf16 / _i8).
enum class element_type { bf16, i8 };
std::string to_string(element_type t);  // "bf16", "i8"

/// Float queries against candidates stored as bfloat16 or int8, the inputs of the compact
/// similarity (query 0) and top-k calls. Only the vector of `type` is filled.
struct compact_workload {
  element_type type = element_type::bf16;
  cosine_family family = cosine_family::gaussian;
  size_t dim = 0;
  size_t num_queries = 0;
  size_t count = 0;
  size_t k = 0;                // top-k only: results per query (make_compact leaves 0)
  std::vector<float> queries;  // num_queries * dim, row-major
  std::vector<uint16_t> bf16;  // count * dim: bfloat16 bits
  std::vector<int8_t> i8;      // count * dim
};
/// make_cosine_batch's queries and candidates, the candidates converted as a user would store
/// them: ek::ref::convert_to_bf16, or ek::ref::quantize_i8 per row after non-finite elements are
/// set to 0 (int8 has no NaN or Inf; the bf16 rows keep theirs).
compact_workload make_compact(element_type type, cosine_family family, size_t dim,
                              size_t num_queries, size_t count, uint64_t seed,
                              bool duplicates = false);
/// Calls f with the candidates of w's type, a std::span<const uint16_t> (bfloat16 bits) or a
/// std::span<const int8_t>, so one generic lambda serves both types.
template <class F>
decltype(auto) with_candidates(const compact_workload& w, F&& f) {
  if (w.type == element_type::bf16) return f(std::span<const uint16_t>(w.bf16));
  return f(std::span<const int8_t>(w.i8));
}
/// The candidates widened exactly to float (ek::ref::widen_bf16, or the int8 value): the values
/// the compact kernels and the reference compute on.
std::vector<float> widened_candidates(const compact_workload& w);

// ---- decay -------------------------------------------------------------------------------------
struct decay_options {
  engram_decay_family family = ENGRAM_DECAY_EXPONENTIAL;
  bool per_memory_tau = false;  // fill tau_per_memory (and point params at it)
  bool with_floor = false;      // a random floor in (0, 0.5]
  bool special_values = false;  // strengths over the whole float range (both signs, subnormal
                                // to FLT_MAX), ±0, ±Inf, quiet and signaling NaNs with payloads,
                                // and age-0 / huge ages
};
struct decay_workload {
  std::vector<float> strengths;       // in [0, 1], or any float with special_values
  std::vector<uint64_t> ages;         // 0 ... 1e12 s, log-spread
  std::vector<float> tau_per_memory;  // empty unless per_memory_tau
  engram_decay_params params{};       // valid; params.tau_per_memory is left null: the τ per
                                      // memory is the vector above, so copies need no fix-up

  /// `params` with tau_per_memory pointing at this object's τ per memory (null when it has
  /// none): what a kernel call takes. Valid while this object lives unchanged.
  engram_decay_params call_params() const;
};
decay_workload make_decay(const decay_options& options, size_t count, uint64_t seed);

// ---- spreading -------------------------------------------------------------------------------
enum class graph_family { uniform, power_law, star, chain, cycle, complete };
inline constexpr graph_family all_graph_families[] = {
    graph_family::uniform, graph_family::power_law, graph_family::star,
    graph_family::chain,   graph_family::cycle,     graph_family::complete};

struct graph_options {
  graph_family family = graph_family::uniform;
  uint32_t nodes = 0;
  double average_degree = 16;     // uniform and power_law
  bool self_loops = false;        // add a few u -> u edges
  bool multi_edges = false;       // duplicate a few edges
  bool negative_weights = false;  // some inhibitory (negative) weights
  bool isolated_nodes = false;    // leave some nodes without edges
  uint32_t cues = 16;             // nodes given a starting activation
  engram_spread_params params{};  // struct_size must be set; generated values are valid
};
struct graph_workload {
  uint32_t nodes = 0;
  std::vector<uint64_t> row_offsets;  // nodes + 1
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  std::vector<float> activations;  // nodes, in [0, 1]
  engram_spread_params params{};
};
graph_workload make_graph(const graph_options& options, uint64_t seed);

// ---- names (CLI flags, file metadata, test names) ---------------------------------------------
std::string to_string(cosine_family f);
std::string to_string(graph_family f);
std::string to_string(engram_decay_family f);
/// Parse a name; throws std::invalid_argument naming the valid choices.
cosine_family parse_cosine_family(const std::string& name);
graph_family parse_graph_family(const std::string& name);
engram_decay_family parse_decay_family(const std::string& name);  // exponential|power_law|hybrid

}  // namespace ek::harness
