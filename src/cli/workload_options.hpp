// workload_options.hpp — the generator flags shared by `gen` and `run` (and later verify and
// bench): kernel, family, sizes, decay and graph options, seed; and the workload they make.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "src/harness/recall.hpp"
#include "src/harness/workload_file.hpp"

namespace ek::cli {

struct workload_options {
  std::string kernel;  // cosine | decay | spread | cosine_bf16 | cosine_i8 | topk_bf16 | topk_i8 |
                       // recall ("" when not given)
  std::string family = "gaussian";   // cosine family (every cosine and top-k kind)
  uint64_t dim = 768, count = 1000;  // cosine: dim x count; decay: count memories
  uint64_t queries = 8;              // topk_bf16, topk_i8: queries
  std::string decay_family = "exponential";
  bool per_memory_tau = false, floor = false, special_values = false;
  std::string graph = "uniform";
  uint32_t nodes = 1000;
  double degree = 16;
  std::string mode = "frontier";
  uint32_t steps = 3, cues = 16;
  float hop_decay = 0.5f, threshold = 0.01f;
  bool self_loops = false, multi_edges = false, negative_weights = false, isolated_nodes = false;
  uint64_t memories = 10000;  // recall: memories in the store (graph nodes, cosine candidates)
  uint32_t top_k = 10;        // recall: cosine seeds, and the length of the final ranking;
                              // topk_bf16, topk_i8: k
  uint64_t seed = 0;
  CLI::Option* seed_option = nullptr;  // seed_option->count() tells whether --seed was given
  CLI::Option* kernel_option = nullptr;
};

/// Adds the generator flags to `sub`; `kernel_required` makes --kernel mandatory (gen).
void add_workload_options(CLI::App& sub, workload_options& o, bool kernel_required);

/// Announces the seed (stderr) and generates the workload the flags describe. Throws usage_error
/// or std::invalid_argument for values the generators reject.
harness::loaded_workload generate(const workload_options& o);

/// The recall store the flags describe (`run --kernel recall`): --memories, --dim, --graph,
/// --degree, --top-k, --steps as hops, --hop-decay, --threshold, --decay-family.
harness::recall_options recall_options_of(const workload_options& o);

}  // namespace ek::cli
