// workloads.hpp — the named benchmark workloads (`engram-kern bench --list`), their generated
// inputs, the kernel variants that run on them, and the check that a variant's output verified.
// Besides the three kernels, `recall/...` workloads time Engram's whole recall path
// (src/harness/recall.hpp) through one kernel table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "reference/graph.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/recall.hpp"

namespace ek::bench {

struct workload_spec {
  std::string name;             // "cosine/d768/n1000", ...
  std::string kernel;           // cosine | decay | spread | recall
  bool in_default_set = false;  // the short set `bench` runs without --workload (CI)
  size_t dim = 0;               // cosine, recall
  size_t count = 0;             // cosine candidates, decay memories, spread nodes, recall memories
  uint32_t top_k = 0;           // recall
  engram_decay_family decay_family = ENGRAM_DECAY_EXPONENTIAL;
  harness::graph_family graph = harness::graph_family::uniform;
  double degree = 0;
  engram_spread_mode mode = ENGRAM_SPREAD_FRONTIER;
  uint32_t steps = 0;  // spread iterations or hops; recall hops
  uint32_t cues = 0;   // spread frontier: nodes given a starting activation (dense: every node)
};

/// Every named workload: the seed's three (the default set), then the sweeps.
const std::vector<workload_spec>& all_workloads();

/// The named workloads, or the default set when `names` is empty, filtered by `kernels` (empty =
/// all). Throws std::invalid_argument for an unknown name, listing where to see the valid ones.
std::vector<const workload_spec*> select_workloads(const std::vector<std::string>& names,
                                                   const std::vector<std::string>& kernels);

/// A workload's generated inputs, and what one call does (for the units and the roofline).
struct prepared_workload {
  const workload_spec* spec = nullptr;
  harness::cosine_workload cosine;
  harness::decay_workload decay;
  harness::graph_workload spread;
  ek::graph graph;
  harness::memory_store store;              // recall: the store every variant recalls from
  harness::recall_result recall_reference;  // recall: the reference recall, and its envelope
  harness::recall_envelope recall_envelope;
  size_t output_size = 0;  // floats written by one call
  double units = 0;        // candidates, memories (decay, recall), or edges traversed per call
  double bytes = 0;        // bytes one call must move (inputs read, outputs written)
};

/// The seed every bench workload is generated from: fixed, so baselines compare like with like.
inline constexpr uint64_t workload_seed = 1;

/// Generates the inputs of `spec` (deterministic for a given seed).
std::unique_ptr<prepared_workload> prepare(const workload_spec& spec, uint64_t seed);

using variant_fn = std::function<void(float* out)>;

/// One variant on a prepared workload. `call` writes output_size floats to `out` and is the only
/// thing the clock sees. In-place kernels (decay, spread) overwrite their input, so `restore`
/// puts the pristine input back into `out` (or the variant's own state) before every call,
/// outside the timed region: each call then does the same work, and the ratios compare kernels,
/// not kernels plus a copy. `restore` is empty when the call only reads its inputs.
struct variant_calls {
  variant_fn restore;
  variant_fn call;
};

/// The restore of an in-place workload's input (decay strengths, spread activations) into the
/// caller's output buffer; empty for cosine and recall.
variant_fn restore_input(const prepared_workload& w);

/// The variant that calls `table` (the reference table or an ISA's). A recall variant plays the
/// whole recall into `*recall` (its buffers reused call after call, as Engram would) and copies
/// the final scores to `out`; `recall` must be non-null for a recall workload.
variant_calls table_variant(const prepared_workload& w, const kernel_table& table,
                            const std::shared_ptr<harness::recall_result>& recall = nullptr);

/// "" when `got` keeps the kernel's contract against the reference output `want` — the rules
/// verify applies (src/verify/compare.hpp: cosine's bound and special values, decay's ULP budget
/// and bit-exact cases, spreading's bit identity); otherwise the first violation, in one line.
std::string check_output(const prepared_workload& w, const std::vector<float>& want,
                         const std::vector<float>& got);

/// "" when `got`, a recall through some table, agrees with the reference recall under
/// harness::compare_recall (every stage within its kernel's contract, final scores and ranking
/// within the envelope); otherwise the first broken rule.
std::string check_recall(const prepared_workload& w, const harness::recall_result& got);

/// The unit one call is divided into ("ns/candidate", ...) and the matching rate unit.
std::string per_unit_name(const std::string& kernel);
std::string rate_unit_name(const std::string& kernel);

}  // namespace ek::bench
