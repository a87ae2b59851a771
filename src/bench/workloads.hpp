// workloads.hpp — the named benchmark workloads (`engram-kern bench --list`), their generated
// inputs, the kernel variants that run on them, and the check that a variant's output verified.
// Besides the three kernels and cosine's multi-query forms (`batch/...`: every pair of several
// queries and the candidates; `topk/...`: the fused top-k), `recall/...` workloads time Engram's
// whole recall path (src/harness/recall.hpp) through one kernel table. A workload is a kernel plus
// the generator options of that kernel alone; its prepared form holds that kernel's inputs alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "reference/graph.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/recall.hpp"

namespace ek::bench {

/// What a bench workload times: one of the three kernels, the whole recall path, or one of
/// cosine's multi-query kernels (batch scores, fused top-k).
enum class kernel_id { cosine, decay, spread, recall, batch, topk };
inline constexpr kernel_id all_kernel_ids[] = {kernel_id::cosine, kernel_id::decay,
                                               kernel_id::spread, kernel_id::recall,
                                               kernel_id::batch,  kernel_id::topk};
std::string to_string(kernel_id k);  // "cosine", "decay", "spread", "recall", "batch", "topk"
/// Throws std::invalid_argument naming the valid choices.
kernel_id parse_kernel_id(const std::string& name);

/// The unit one call is divided into ("ns/candidate", ...) and the matching rate unit.
std::string per_unit_name(kernel_id k);
std::string rate_unit_name(kernel_id k);

/// What each kernel's workloads are generated from. Spreading and recall use the harness's
/// options as they are; cosine and decay take the harness's default families (Gaussian vectors;
/// Engram's default decay parameters) and need only sizes.
struct cosine_generator {
  size_t dim = 0;
  size_t count = 0;  // candidates
};
struct decay_generator {
  engram_decay_family family = ENGRAM_DECAY_EXPONENTIAL;
  size_t count = 0;  // memories
};
/// Gaussian queries and candidates from harness::make_cosine_batch: query 0 and the candidates are
/// the bytes of the cosine workload of the same dim and count, so a one-query row times the same
/// input as cosine's.
struct batch_generator {
  size_t dim = 0;
  size_t count = 0;    // candidates
  size_t queries = 0;  // rows of the query matrix
};
struct topk_generator : batch_generator {
  size_t k = 0;  // selected per query
};
/// Same order as kernel_id.
using generator = std::variant<cosine_generator, decay_generator, harness::graph_options,
                               harness::recall_options, batch_generator, topk_generator>;

struct workload_spec {
  std::string name;             // "cosine/d768/n1000", ...
  bool in_default_set = false;  // the short set `bench` runs without --workload (CI)
  bench::generator generator;   // its alternative is the kernel

  kernel_id kernel() const { return static_cast<kernel_id>(generator.index()); }
};

/// Every named workload: the seed's three (the default set), then the sweeps.
const std::vector<workload_spec>& all_workloads();

/// The named workloads, or the default set when `names` is empty, filtered by `kernels` (empty =
/// all). Throws std::invalid_argument for an unknown name, listing where to see the valid ones.
std::vector<const workload_spec*> select_workloads(const std::vector<std::string>& names,
                                                   const std::vector<kernel_id>& kernels);

/// The inputs of each kernel, generated once per workload.
struct cosine_inputs {
  harness::cosine_workload data;
};
struct decay_inputs {
  harness::decay_workload data;
};
struct spread_inputs {
  harness::graph_workload data;
  ek::graph graph;   // `data` validated and laid out for the kernels
  double edges = 0;  // edges one call traverses
};
struct recall_inputs {
  harness::memory_store store;       // the store every variant recalls from
  harness::recall_result reference;  // the reference recall, and its envelope
  harness::recall_envelope envelope;
};
/// Output: scores [queries][count], row-major.
struct batch_inputs {
  harness::cosine_batch_workload data;
};
/// Output: the scores [queries][k], then the indices [queries][k], each index's uint32_t bits
/// copied into a float slot (a variant's output is one float buffer; a variant's kernel writes
/// the indices into a uint32_t buffer of its own, copied with memcpy: 4 bytes per slot, in the
/// clock, the same for every variant). read_topk reads it back.
struct topk_inputs {
  harness::cosine_batch_workload data;
  size_t k = 0;
};
/// Same order as kernel_id.
using workload_inputs = std::variant<cosine_inputs, decay_inputs, spread_inputs, recall_inputs,
                                     batch_inputs, topk_inputs>;

/// A top-k workload's output buffer read as what it holds.
struct topk_output {
  std::vector<float> score;     // queries x k
  std::vector<uint32_t> index;  // queries x k
};
topk_output read_topk(const topk_inputs& in, const std::vector<float>& out);
/// The inverse: `index` (queries x k) copied behind the scores at `out`.
void write_topk_index(const topk_inputs& in, const uint32_t* index, float* out);

/// A workload's generated inputs, and what one call does (for the units and the roofline).
struct prepared_workload {
  const workload_spec* spec = nullptr;
  workload_inputs inputs;
  size_t output_size = 0;  // floats written by one call
  double units = 0;        // candidates, memories (decay, recall), or edges traversed per call
  double bytes = 0;        // bytes one call must move (inputs read, outputs written)
  // Floating-point operations one call counts (batch, top-k; 0 for the others): 2 dim per pair
  // for the dot product, 2 dim per candidate and per query for the sums of squares.
  double flops = 0;
};

/// The seed every bench workload is generated from: fixed, so baselines compare like with like.
inline constexpr uint64_t workload_seed = 1;

/// Generates the inputs of `spec` (deterministic for a given seed).
std::unique_ptr<prepared_workload> prepare(const workload_spec& spec, uint64_t seed);

using variant_fn = std::function<void(float* out)>;
/// "" when a variant's output `got` keeps the kernel's contract against the reference output
/// `want`; otherwise the first violation, in one line.
using check_fn =
    std::function<std::string(const std::vector<float>& want, const std::vector<float>& got)>;

/// One variant on a prepared workload. `call` writes output_size floats to `out` and is the only
/// thing the clock sees. In-place kernels (decay, spread) overwrite their input, so `restore`
/// puts the pristine input back into `out` (or the variant's own state) before every call,
/// outside the timed region: each call then does the same work, and the ratios compare kernels,
/// not kernels plus a copy. `restore` is empty when the call only reads its inputs. `check`
/// judges the last call's output (a peer's factory leaves it to peers_of).
struct variant_calls {
  variant_fn restore;
  variant_fn call;
  check_fn check = nullptr;
};

/// The restore of an in-place workload's input (decay strengths, spread activations) into the
/// caller's output buffer; empty for cosine and recall.
variant_fn restore_input(const prepared_workload& w);

/// The variant that calls `table` (the reference table or an ISA's). A recall variant plays the
/// whole recall into buffers of its own (reused call after call, as Engram would), copies the
/// final scores to `out`, and its check compares every stage of the last recall.
variant_calls table_variant(const prepared_workload& w, const kernel_table& table);

/// The output check of a cosine, decay or spread workload — the rules verify applies
/// (src/verify/compare.hpp: cosine's bound and special values, decay's ULP budget and bit-exact
/// cases, spreading's bit identity). For a variant that brings no check of its own (the peers).
/// Throws std::logic_error for a recall workload, whose check needs the recall's stages.
std::string check_output(const prepared_workload& w, const std::vector<float>& want,
                         const std::vector<float>& got);

/// "" when `got`, a recall through some table, agrees with the reference recall under
/// harness::compare_recall (every stage within its kernel's contract, final scores and ranking
/// within the envelope); otherwise the first broken rule.
std::string check_recall(const recall_inputs& w, const harness::recall_result& got);

}  // namespace ek::bench
