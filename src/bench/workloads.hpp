// workloads.hpp — the named benchmark workloads (`engram-kern bench --list`), their generated
// inputs, the kernel variants that run on them, and the check that a variant's output verified.
// Besides the three kernels and cosine's multi-query forms (`batch/...`: every pair of several
// queries and the candidates; `topk/...`: the fused top-k), `recall/...` workloads time Engram's
// whole recall path (src/harness/recall.hpp) through one kernel table. Cosine and top-k also run
// on compact candidates (bfloat16, int8: `cosine_bf16/...`, `topk_i8/...`), and `convert_bf16/...`
// and `quantize_i8/...` time the conversions to them. A workload is a kernel plus the generator
// options of that kernel alone; its prepared form holds that kernel's inputs alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kernels/kernel_table.hpp"
#include "reference/graph.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/recall.hpp"

namespace ek::bench {

/// What a bench workload times: one of the three kernels, the whole recall path, one of
/// cosine's multi-query kernels (batch scores, fused top-k), or a conversion of float rows to a
/// compact candidate type.
enum class kernel_id { cosine, decay, spread, recall, batch, topk, convert };
inline constexpr kernel_id all_kernel_ids[] = {
    kernel_id::cosine, kernel_id::decay, kernel_id::spread, kernel_id::recall,
    kernel_id::batch,  kernel_id::topk,  kernel_id::convert};
// "cosine", "decay", "spread", "recall", "batch", "topk", "convert"
std::string to_string(kernel_id k);
/// Throws std::invalid_argument naming the valid choices.
kernel_id parse_kernel_id(const std::string& name);

/// What each kernel's workloads are generated from. Spreading and recall use the harness's
/// options as they are; cosine and decay take the harness's default families (Gaussian vectors;
/// Engram's default decay parameters) and need only sizes.
/// Candidates are stored as floats unless `stored` names a compact type: then they are the same
/// floats converted as a user would store them (harness::make_compact).
struct cosine_generator {
  size_t dim = 0;
  size_t count = 0;  // candidates
  std::optional<harness::element_type> stored = {};
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
  size_t k = 0;                                      // selected per query
  std::optional<harness::element_type> stored = {};  // as cosine_generator's
};
/// Gaussian float rows [count][dim] converted to `type`: engram_convert_f32_to_bf16 of all
/// count * dim elements, or engram_quantize_i8 of the rows (with their scales).
struct convert_generator {
  harness::element_type type = harness::element_type::bf16;
  size_t dim = 0;
  size_t count = 0;  // rows
};
/// Same order as kernel_id.
using generator =
    std::variant<cosine_generator, decay_generator, harness::graph_options, harness::recall_options,
                 batch_generator, topk_generator, convert_generator>;

struct workload_spec {
  std::string name;             // "cosine/d768/n1000", ...
  bool in_default_set = false;  // the short set `bench` runs without --workload (CI)
  bench::generator generator;   // its alternative is the kernel

  kernel_id kernel() const { return static_cast<kernel_id>(generator.index()); }
};

/// The unit one call is divided into ("ns/candidate", ...) and the matching rate unit.
std::string per_unit_name(kernel_id k);
std::string rate_unit_name(kernel_id k);
/// The stored type of a cosine or top-k workload's compact candidates; empty for floats and every
/// other kernel.
std::optional<harness::element_type> stored_type(const workload_spec& spec);
/// The kernel's rate unit, except GB/s for top-k on compact candidates: the bytes they save are
/// their point.
std::string rate_unit_name(const workload_spec& spec);

/// Every named workload: the seed's three (the default set), then the sweeps.
const std::vector<workload_spec>& all_workloads();

/// The named workloads, or the default set when `names` is empty, filtered by `kernels` (empty =
/// all). Throws std::invalid_argument for an unknown name, listing where to see the valid ones.
std::vector<const workload_spec*> select_workloads(const std::vector<std::string>& names,
                                                   const std::vector<kernel_id>& kernels);

/// The inputs of each kernel, generated once per workload. A workload on compact candidates also
/// keeps the floats they were converted from (`data`): the input of its f32 row (f32_variant).
struct cosine_inputs {
  harness::cosine_workload data;
  std::optional<harness::compact_workload> compact;  // the candidates timed, when not floats
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
  std::optional<harness::compact_workload> compact;  // as cosine_inputs'
};
/// Output: the converted elements' bytes, then (int8) the row scales; the float buffer is only
/// their storage, compared byte for byte.
struct convert_inputs {
  harness::element_type type = harness::element_type::bf16;
  harness::cosine_workload data;  // its candidates are the rows converted
};
/// Same order as kernel_id.
using workload_inputs = std::variant<cosine_inputs, decay_inputs, spread_inputs, recall_inputs,
                                     batch_inputs, topk_inputs, convert_inputs>;

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
  double units = 0;  // candidates, memories (decay, recall), edges traversed or elements converted
  double bytes = 0;  // bytes one call must move (inputs read, outputs written)
  // The roofline probe reads `bytes` (memchr), or for a conversion, which writes as much as a
  // third of what it reads, copies bytes / 2 (memcpy: as many bytes read and written in all).
  bool copy_roofline = false;
  double f32_bytes = 0;  // what the f32 row moves (workloads on compact candidates; else 0)
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

/// The f32 row of a workload on compact candidates: `table`'s f32 kernel (cosine or top-k) on the
/// floats the candidates were converted from, the same dim and count, checked by the f32 rules;
/// empty for every other workload. Its time over a compact row's is the speed-up the compact
/// type buys (the "vs f32" column).
variant_calls f32_variant(const prepared_workload& w, const kernel_table& table);

/// A cosine, top-k or conversion workload's call through one set of entry points (a kernel
/// table's or a loaded library's C ABI, whose signatures agree): the one its stored type needs.
/// Null when that entry point is.
template <class F32, class Bf16, class I8>
variant_fn cosine_call(const cosine_inputs& in, F32 f32, Bf16 bf16, I8 i8) {
  const harness::cosine_workload& d = in.data;
  if (!in.compact)
    return f32 == nullptr ? nullptr : variant_fn([&d, f32](float* out) {
      f32(d.query.data(), d.candidates.data(), out, d.dim, d.count);
    });
  const harness::compact_workload& c = *in.compact;
  if (c.type == harness::element_type::bf16)
    return bf16 == nullptr ? nullptr : variant_fn([&d, &c, bf16](float* out) {
      bf16(d.query.data(), c.bf16.data(), out, d.dim, d.count);
    });
  return i8 == nullptr ? nullptr : variant_fn([&d, &c, i8](float* out) {
    i8(d.query.data(), c.i8.data(), out, d.dim, d.count);
  });
}
/// A top-k call of `fn` on `candidates` (the workload's, as some type): the indices go to a
/// buffer of the call's own and are copied behind the scores (topk_inputs).
template <class Fn, class C>
variant_fn topk_call_on(const topk_inputs& in, Fn fn, const C* candidates) {
  if (fn == nullptr) return nullptr;
  auto index = std::make_shared<std::vector<uint32_t>>(in.data.num_queries * in.k);
  return [&in, index, fn, candidates](float* out) {
    const harness::cosine_batch_workload& d = in.data;
    fn(d.queries.data(), d.num_queries, candidates, d.count, d.dim, in.k, index->data(), out);
    write_topk_index(in, index->data(), out);
  };
}
template <class F32, class Bf16, class I8>
variant_fn topk_call(const topk_inputs& in, F32 f32, Bf16 bf16, I8 i8) {
  if (!in.compact) return topk_call_on(in, f32, in.data.candidates.data());
  if (in.compact->type == harness::element_type::bf16)
    return topk_call_on(in, bf16, in.compact->bf16.data());
  return topk_call_on(in, i8, in.compact->i8.data());
}
/// The converted bytes at the start of `out`, the int8 row scales behind them.
template <class Bf16, class I8>
variant_fn convert_call(const convert_inputs& in, Bf16 bf16, I8 i8) {
  const harness::cosine_workload& d = in.data;
  if (in.type == harness::element_type::bf16)
    return bf16 == nullptr ? nullptr : variant_fn([&d, bf16](float* out) {
      bf16(d.candidates.data(), reinterpret_cast<uint16_t*>(out), d.candidates.size());
    });
  return i8 == nullptr ? nullptr : variant_fn([&d, i8](float* out) {
    auto* q = reinterpret_cast<int8_t*>(out);
    i8(d.candidates.data(), d.dim, d.count, q, out + (d.candidates.size() + 3) / 4);
  });
}

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
