// recall.hpp — Engram's recall path end to end on one generated memory store: the fused top-k of
// a query's cosine against every embedding as seeds of frontier spreading over the memory graph,
// decay by age, final top-k ranking; and the comparison of one kernel table's recall with the
// reference's under the kernels' contracts. Method: docs/recall.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "kernels/kernel_table.hpp"
#include "reference/graph.hpp"
#include "src/harness/generators.hpp"

namespace ek::harness {

struct recall_options {
  size_t memories = 10000;
  size_t dim = 768;
  graph_family graph = graph_family::uniform;
  double average_degree = 16;
  uint32_t top_k = 10;  // cosine seeds, and the length of the final ranking
  uint32_t hops = 3;
  float hop_decay = 0.5f;
  float threshold = 0.01f;
  engram_decay_family decay_family = ENGRAM_DECAY_EXPONENTIAL;
};

/// One memory store and one query. Edge weights are in (0, 1]: never negative, which makes
/// frontier spreading monotone in its input (the comparison relies on it).
struct memory_store {
  recall_options options;
  std::vector<float> query;       // dim
  std::vector<float> embeddings;  // memories x dim, row-major
  std::vector<float> strengths;   // (0, 1]
  std::vector<uint64_t> ages;     // seconds: 0 or log-spread over one minute ... one year
  ek::graph graph;                // the memory graph, with the optimized kernels' layouts
  engram_decay_params decay{};
  engram_spread_params spread{};
};

/// Generates a store (the same options and seed give the same store). The query is one memory's
/// embedding plus as much Gaussian noise, so the store holds one clear match. Throws
/// std::invalid_argument for options the generators reject (zero memories or dim, top_k 0,
/// hop_decay outside (0, 1], a negative or non-finite threshold).
memory_store make_memory_store(const recall_options& options, uint64_t seed);

/// What one recall computed; every vector has one entry per memory except the seeds and the
/// ranking.
struct recall_result {
  // The fused top-k of the query's cosine against every embedding (engram_vector_topk): the
  // min(top_k, memories) best memories, ties to the lower id, and their scores. The full score
  // array is never written.
  std::vector<uint32_t> seeds;
  std::vector<float> seed_scores;
  std::vector<float> seed_input;    // the spreading input: clamp(score, 0, 1) on seeds, else 0
  std::vector<float> activations;   // after frontier spreading
  std::vector<float> final_scores;  // activation * strength, decayed by age
  std::vector<uint32_t> ranking;    // top_k by final score (ties: lower id first)
  std::vector<uint32_t> order;      // scratch for the rankings
};

/// Plays one recall through `table`. Reuses the vectors of `out`, so repeated calls on one store
/// allocate nothing beyond the spreading kernel's arena (what bench times).
void run_recall(const memory_store& store, const kernel_table& table, recall_result& out);

/// Bounds that every final score of a contract-conforming table lies in, built from the
/// reference recall and the reference cosine of every memory (computed here, once): seed inputs
/// within the cosine bound (0 for memories that may or may not be seeds), spread by the reference
/// (monotone, and every ISA is bit-identical to it), decayed by the reference, widened by the decay
/// ULP budget.
struct recall_envelope {
  double cosine_bound = 0;     // kern::cosine_error_bound(dim)
  size_t uncertain_seeds = 0;  // memories that may or may not be among the cosine top-k
  std::vector<float> seed_low, seed_high;
  std::vector<float> low, high;  // final scores
};
recall_envelope make_envelope(const memory_store& store, const recall_result& reference);

struct recall_comparison {
  bool agrees = true;
  std::string failure;              // the first broken rule, empty when agrees
  double max_cosine_error = 0;      // over got's seeds
  bool same_seeds = true;           // the same seed set as the reference
  bool spread_identical = true;     // bit-identical to the reference spread of the same seed input
  uint64_t max_decay_ulp = 0;       // against the reference decay of the same activations
  bool same_ranking = true;         // the final top_k identical to the reference's, in order
  size_t inversions = 0;            // pairs ranked the other way round than by the reference
  double max_final_difference = 0;  // |final - reference final|, over all memories
};

/// Checks `got` (a recall through some table) against the reference recall `want`: each stage
/// against the reference kernel run on got's own input (each seed's cosine within its bound of
/// the reference cosine of that memory, spreading
/// bit-identical, decay within its ULP budget), the seed inputs and final scores inside the
/// envelope, and every pair the two final rankings order differently within the envelope.
recall_comparison compare_recall(const memory_store& store, const recall_result& want,
                                 const recall_envelope& envelope, const recall_result& got);

}  // namespace ek::harness
