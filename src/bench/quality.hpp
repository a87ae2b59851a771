// quality.hpp — what storing candidates as bfloat16 or int8 changes in what a search finds
// (`engram-kern bench --quality`, #17): on a few embedding families, the top-k overlap of each
// compact type with exact f32 and the |Δcos| of every pair. Measured, not a kernel contract: the
// reference scores both sides (ref::cosine, cosine_bf16, cosine_i8), so the figures are the same on
// every machine and ISA (docs/benchmarking.md, "Quantization quality").
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ek::bench {

struct quality_options {
  size_t dim = 768;
  size_t count = 10000;  // candidates
  size_t queries = 100;
  size_t k = 10;
  uint64_t seed = 1;
};

/// One family × compact type.
struct quality_row {
  std::string family;  // "clustered", "gaussian", "lognormal", "cauchy"
  std::string type;    // "bf16", "i8"
  // |top-k of the f32 scores ∩ top-k of the compact scores| / k, averaged over the queries (both
  // selections by ref::select_topk: ties to the lower index).
  double overlap = 0;
  // |compact score − f32 score| of the same (query, candidate) pair, over every pair.
  double max_delta = 0;
  double mean_delta = 0;
};

std::vector<quality_row> measure_quality(const quality_options& o);

/// family, type, top-k overlap, max and mean |Δcos|; `markdown` selects GitHub table syntax.
std::string quality_table(const quality_options& o, const std::vector<quality_row>& rows,
                          bool markdown);
/// {dim, count, queries, k, seed, rows: [{family, type, overlap, max_delta, mean_delta}]}.
nlohmann::json quality_json(const quality_options& o, const std::vector<quality_row>& rows);

}  // namespace ek::bench
