// workloads.cpp — the workload catalogue, input generation, and per kernel in one place: its
// inputs, units, bytes moved, restore, table call and the output check every variant passes
// before it is timed.
#include "src/bench/workloads.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "reference/cosine.hpp"
#include "reference/lowp.hpp"
#include "reference/topk.hpp"
#include "src/harness/text_format.hpp"
#include "src/harness/ulp.hpp"
#include "src/verify/compare.hpp"

namespace ek::bench {

namespace {

std::vector<workload_spec> make_catalogue() {
  std::vector<workload_spec> all;
  auto add = [&](std::string name, bool in_default_set, bench::generator g) {
    all.push_back({std::move(name), in_default_set, g});
  };
  auto cosine = [&](size_t dim, size_t n, bool seed) {
    add("cosine/d" + std::to_string(dim) + "/n" + std::to_string(n), seed,
        cosine_generator{dim, n});
  };
  auto decay = [&](engram_decay_family f, size_t n, bool seed) {
    add("decay/" + harness::to_string(f) + "/n" + std::to_string(n), seed, decay_generator{f, n});
  };
  // Frontier mode starts from `cues` seeded nodes; dense mode from every node.
  auto spread = [&](const std::string& name, engram_spread_mode mode, harness::graph_family g,
                    uint32_t nodes, uint32_t steps, uint32_t cues, bool seed) {
    harness::graph_options o;
    o.family = g;
    o.nodes = nodes;
    o.average_degree = 16;
    o.cues = mode == ENGRAM_SPREAD_FRONTIER ? cues : nodes;
    o.params = {sizeof(engram_spread_params), static_cast<uint32_t>(mode), steps, 0.5f, 0.01f};
    add(name, seed, o);
  };
  // The seed's three: the default (CI) set.
  cosine(768, 1000, true);
  decay(ENGRAM_DECAY_EXPONENTIAL, 10000, true);
  spread("spread/dense/n1000/deg16/it100", ENGRAM_SPREAD_DENSE, harness::graph_family::uniform,
         1000, 100, 0, true);
  auto recall = [&](size_t memories, size_t dim, uint32_t k, bool in_default) {
    harness::recall_options o;
    o.memories = memories;
    o.dim = dim;
    o.top_k = k;
    add("recall/m" + std::to_string(memories) + "/d" + std::to_string(dim) + "/k" +
            std::to_string(k),
        in_default, o);
  };
  // A small recall keeps the whole path (and the glue between the kernels) under the gate at a
  // cost of about two seconds of the default run.
  recall(1000, 768, 10, true);
  // Sweeps (opt-in with --workload).
  for (size_t n : {16, 256, 10000, 100000}) cosine(768, n, false);
  for (size_t d : {384, 1536}) cosine(d, 1000, false);
  for (auto f : {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID})
    for (size_t n : {1000, 10000, 1000000, 10000000})
      if (!(f == ENGRAM_DECAY_EXPONENTIAL && n == 10000)) decay(f, n, false);
  for (auto g : {harness::graph_family::uniform, harness::graph_family::power_law})
    for (uint32_t n : {1000u, 64000u, 1000000u}) {
      const std::string tail = harness::to_string(g) + "/n" + std::to_string(n) + "/deg16";
      spread("spread/frontier/" + tail + "/cues16/hops3", ENGRAM_SPREAD_FRONTIER, g, n, 3, 16,
             false);
      // Ten iterations keep the million-node dense sweep near a second per call.
      spread("spread/dense/" + tail + "/it10", ENGRAM_SPREAD_DENSE, g, n, 10, 0, false);
    }
  // The two million-node rows of the kernels' performance table that the sweep above lacks: a
  // wide spread from 1000 cues, and a single dense iteration.
  spread("spread/frontier/uniform/n1000000/deg16/cues1000/hops3", ENGRAM_SPREAD_FRONTIER,
         harness::graph_family::uniform, 1000000, 3, 1000, false);
  spread("spread/dense/uniform/n1000000/deg16/it1", ENGRAM_SPREAD_DENSE,
         harness::graph_family::uniform, 1000000, 1, 0, false);
  for (size_t m : {10000, 100000}) recall(m, 768, 10, false);
  // Cosine's multi-query kernels (docs/kernel-topk.md, "Measured"): the top-k of one query
  // beside the single-query scan of the same input (cosine/d768/n100000), 16 queries against
  // memory-resident candidates, and 64 against candidates that stay in cache (the FMA-bound case).
  auto multi = [](size_t dim, size_t n, size_t q) {
    return "/d" + std::to_string(dim) + "/n" + std::to_string(n) + "/q" + std::to_string(q);
  };
  auto topk = [&](size_t dim, size_t n, size_t q, size_t k) {
    add("topk" + multi(dim, n, q) + "/k" + std::to_string(k), false,
        topk_generator{{dim, n, q}, k});
  };
  auto batch = [&](size_t dim, size_t n, size_t q) {
    add("batch" + multi(dim, n, q), false, batch_generator{dim, n, q});
  };
  topk(768, 100000, 1, 10);
  topk(768, 100000, 1, 100);
  batch(768, 100000, 16);
  batch(768, 1000, 64);
  topk(768, 100000, 16, 10);
  // Compact candidates (#17; docs/benchmarking.md, "Compact candidates"), each workload with an
  // f32 row on the floats it was converted from: in cache (d768 n1000), and streaming from DRAM at
  // n200000, the smallest round count whose int8 rows (153.6 MB) are at least 4x the 32 MiB L3 of
  // the machines measured (bf16 307 MB, f32 614 MB). The conversions run on the same floats.
  for (const auto t : {harness::element_type::bf16, harness::element_type::i8}) {
    const std::string type = "_" + harness::to_string(t);
    for (size_t n : {1000, 200000}) {
      add("cosine" + type + "/d768/n" + std::to_string(n), false, cosine_generator{768, n, t});
      add("topk" + type + multi(768, n, 1) + "/k10", false, topk_generator{{768, n, 1}, 10, t});
      add(t == harness::element_type::bf16 ? "convert_bf16/n" + std::to_string(768 * n)
                                           : "quantize_i8/d768/n" + std::to_string(n),
          false, convert_generator{t, 768, n});
    }
  }
  return all;
}

// Edges the frontier mode traverses: the out-degrees of every hop's frontier. It follows the
// frontier rule of docs/kernels.md in f32 (no FMA) so that the count matches what kernels do.
double frontier_edges(const ek::graph& g, std::vector<float> a, const engram_spread_params& p) {
  std::vector<uint32_t> frontier;
  std::vector<float> delta(g.num_nodes), next(g.num_nodes);
  std::vector<uint8_t> touched(g.num_nodes);
  for (uint32_t u = 0; u < g.num_nodes; ++u)
    if (a[u] > p.threshold) {
      frontier.push_back(u);
      delta[u] = a[u];
    }
  uint64_t edges = 0;
  for (uint32_t hop = 0; hop < p.steps && !frontier.empty(); ++hop) {
    std::vector<uint32_t> hit;
    for (uint32_t u : frontier)
      for (uint64_t e = g.out.offsets[u]; e < g.out.offsets[u + 1]; ++e, ++edges) {
        const uint32_t v = g.out.index[e];
        if (!touched[v]) {
          touched[v] = 1;
          next[v] = 0.0f;
          hit.push_back(v);
        }
        next[v] = next[v] + (delta[u] * g.out.weights[e]) * p.hop_decay;
      }
    std::sort(hit.begin(), hit.end());
    frontier.clear();
    for (uint32_t v : hit) {
      touched[v] = 0;
      if (next[v] > p.threshold) {
        frontier.push_back(v);
        delta[v] = next[v];
      }
    }
  }
  return static_cast<double>(edges);
}

// ---- cosine: reads the query and the candidates, writes one score per candidate -------------

// ---- compact candidates: what cosine and top-k need to know of them --------------------------

const harness::compact_workload* compact_of(const std::optional<harness::compact_workload>& c) {
  return c ? &*c : nullptr;
}
// Bytes per stored candidate element: 4 for floats (c null).
double element_bytes(const harness::compact_workload* c) {
  return c == nullptr ? 4.0 : c->type == harness::element_type::bf16 ? 2.0 : 1.0;
}
// Rows [first, first + rows) of the candidates as the contract defines them: floats as stored,
// compact ones widened exactly (the values ref::cosine_bf16 / cosine_i8 score).
std::span<const float> candidate_rows(const harness::compact_workload* c, const float* floats,
                                      size_t dim, size_t first, size_t rows,
                                      std::vector<float>& scratch) {
  if (c == nullptr) return {floats + first * dim, rows * dim};
  scratch.resize(rows * dim);
  for (size_t i = 0; i < rows * dim; ++i)
    scratch[i] = c->type == harness::element_type::bf16 ? ref::widen_bf16(c->bf16[first * dim + i])
                                                        : float(c->i8[first * dim + i]);
  return scratch;
}

cosine_inputs make_inputs(const cosine_generator& g, uint64_t seed) {
  cosine_inputs in{harness::make_cosine(harness::cosine_family::gaussian, g.dim, g.count, seed),
                   std::nullopt};
  // Query 0 and the candidates of make_cosine_batch are make_cosine's: `data` holds the floats
  // these were converted from.
  if (g.stored)
    in.compact =
        harness::make_compact(*g.stored, harness::cosine_family::gaussian, g.dim, 1, g.count, seed);
  return in;
}
size_t output_size(const cosine_inputs& in) { return in.data.count; }
double units(const cosine_inputs& in) { return static_cast<double>(in.data.count); }
// The query, the candidates at `element` bytes each, the scores.
double bytes(const cosine_inputs& in, double element) {
  const auto n = static_cast<double>(in.data.count), dim = static_cast<double>(in.data.dim);
  return 4.0 * dim + element * n * dim + 4.0 * n;
}
variant_fn restore(const cosine_inputs&) { return nullptr; }
variant_fn table_call(const cosine_inputs& in, const kernel_table& table) {
  return cosine_call(in, table.cosine, table.lowp.cosine_bf16, table.lowp.cosine_i8);
}
// Cosine's contract against the reference on the stored candidates' values (c null: the floats).
std::string check_cosine(const cosine_inputs& in, const harness::compact_workload* c,
                         const std::vector<float>& want, const std::vector<float>& got) {
  const harness::cosine_workload& d = in.data;
  std::vector<float> widened;
  verify::check_result unused;  // bench reports its own timings, not these error statistics
  return verify::cosine_violation(
      d.query, candidate_rows(c, d.candidates.data(), d.dim, 0, d.count, widened), want, got,
      unused);
}
std::string check(const cosine_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  return check_cosine(in, compact_of(in.compact), want, got);
}

// ---- decay: in place on the strengths, reading the ages ---------------------------------------

decay_inputs make_inputs(const decay_generator& g, uint64_t seed) {
  harness::decay_options o;
  o.family = g.family;
  decay_inputs in{harness::make_decay(o, g.count, seed)};
  // Engram's defaults (τ = 1 day, β = 1, switch at 1 day) rather than random parameters.
  in.data.params = engram_decay_params_default();
  in.data.params.family = static_cast<uint32_t>(g.family);
  return in;
}
size_t output_size(const decay_inputs& in) { return in.data.strengths.size(); }
double units(const decay_inputs& in) { return static_cast<double>(in.data.strengths.size()); }
// Read strengths and ages, write strengths (the untimed restore is not counted).
double bytes(const decay_inputs& in) { return units(in) * (4 + 8 + 4); }
variant_fn restore(const decay_inputs& in) {
  return [&s = in.data.strengths](float* out) {
    std::memcpy(out, s.data(), s.size() * sizeof(float));
  };
}
variant_fn table_call(const decay_inputs& in, const kernel_table& table) {
  return [&d = in.data, params = in.data.call_params(), fn = table.decay](float* out) {
    fn(out, d.ages.data(), d.strengths.size(), params);
  };
}
std::string check(const decay_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  verify::check_result unused;
  return verify::decay_violation(in.data.strengths, in.data.ages, want, got, unused);
}

// ---- spread: in place on the activations, reading the graph ----------------------------------

spread_inputs make_inputs(const harness::graph_options& g, uint64_t seed) {
  spread_inputs in;
  in.data = harness::make_graph(g, seed);
  const auto& d = in.data;
  in.graph = ek::kern::make_graph(d.nodes, d.row_offsets.data(), d.targets.data(), d.weights.data(),
                                  d.targets.size());
  in.edges = d.params.mode == ENGRAM_SPREAD_DENSE
                 ? static_cast<double>(d.targets.size()) * d.params.steps
                 : frontier_edges(in.graph, d.activations, d.params);
  return in;
}
size_t output_size(const spread_inputs& in) { return in.data.nodes; }
double units(const spread_inputs& in) { return in.edges; }
double bytes(const spread_inputs& in) {
  const double n = in.data.nodes, e = static_cast<double>(in.data.targets.size());
  // Dense, per iteration: the in-CSR (offsets, sources, weights) and the activations read and
  // written.
  if (in.data.params.mode == ENGRAM_SPREAD_DENSE)
    return in.data.params.steps * (8 * (n + 1) + 8 * e + 8 * n);
  // Frontier: per traversed edge a target and a weight, and the activations read once to find
  // the cues. The writes land on the nodes those edges reach (at most one per edge, mostly in
  // cache) and are not counted; the untimed restore is not either.
  return 8 * in.edges + 4 * n;
}
variant_fn restore(const spread_inputs& in) {
  return [&a = in.data.activations](float* out) {
    std::memcpy(out, a.data(), a.size() * sizeof(float));
  };
}
variant_fn table_call(const spread_inputs& in, const kernel_table& table) {
  return [&in, fn = table.spread_for(in.graph.num_nodes)](float* out) {
    fn(in.graph, out, in.data.params);
  };
}
std::string check(const spread_inputs&, const std::vector<float>& want,
                  const std::vector<float>& got) {
  verify::check_result unused;
  return verify::spread_violation(want, got, unused);
}

// ---- recall: the whole path on a memory store, into buffers of the variant's own ------------

recall_inputs make_inputs(const harness::recall_options& o, uint64_t seed) {
  recall_inputs in;
  in.store = harness::make_memory_store(o, seed);
  harness::run_recall(in.store, *kern::runnable_table("reference"), in.reference);
  in.envelope = harness::make_envelope(in.store, in.reference);
  return in;
}
size_t output_size(const recall_inputs& in) { return in.store.options.memories; }
double units(const recall_inputs& in) { return static_cast<double>(in.store.options.memories); }
// Embeddings and query read (the fused top-k writes no score per memory); per memory strength
// and age read, the activation and final score written (the spreading traffic is small beside
// them).
double bytes(const recall_inputs& in) {
  const auto& o = in.store.options;
  return 4.0 * static_cast<double>((o.memories + 1) * o.dim) +
         static_cast<double>(o.memories) * (4 + 8 + 4 + 4);
}
variant_fn restore(const recall_inputs&) { return nullptr; }
std::string check(const recall_inputs&, const std::vector<float>&, const std::vector<float>&) {
  throw std::logic_error("a recall is checked stage by stage (check_recall), not by its output");
}
variant_calls table_calls(const recall_inputs& in, const kernel_table& table) {
  auto got = std::make_shared<harness::recall_result>();
  return {nullptr,
          [&in, &table, got](float* out) {
            harness::run_recall(in.store, table, *got);
            std::memcpy(out, got->final_scores.data(), got->final_scores.size() * sizeof(float));
          },
          [&in, got](const std::vector<float>&, const std::vector<float>&) {
            return check_recall(in, *got);
          }};
}

// ---- batch and top-k: several queries against one candidate matrix --------------------------

harness::cosine_batch_workload make_queries(const batch_generator& g, uint64_t seed) {
  return harness::make_cosine_batch(harness::cosine_family::gaussian, g.dim, g.queries, g.count,
                                    seed);
}
double pairs(const harness::cosine_batch_workload& d) {
  return static_cast<double>(d.num_queries) * static_cast<double>(d.count);
}
double input_bytes(const harness::cosine_batch_workload& d) {
  return 4.0 * static_cast<double>((d.num_queries + d.count) * d.dim);
}
// What one call counts as work (docs/benchmarking.md): 2 dim per pair for the dot product (a
// multiply and an add per element), 2 dim per candidate and per query for the sums of squares the
// norms need, each once per call. The final divisions and the selection are not counted.
double flops(const harness::cosine_batch_workload& d) {
  return 2.0 * static_cast<double>(d.dim) *
         (pairs(d) + static_cast<double>(d.count + d.num_queries));
}
std::span<const float> query_row(const harness::cosine_batch_workload& d, size_t i) {
  return {d.queries.data() + i * d.dim, d.dim};
}

batch_inputs make_inputs(const batch_generator& g, uint64_t seed) {
  return {make_queries(g, seed)};
}
size_t output_size(const batch_inputs& in) { return in.data.num_queries * in.data.count; }
double units(const batch_inputs& in) { return pairs(in.data); }
double bytes(const batch_inputs& in) { return input_bytes(in.data) + 4.0 * pairs(in.data); }
double flops(const batch_inputs& in) { return flops(in.data); }
variant_fn restore(const batch_inputs&) { return nullptr; }
variant_fn table_call(const batch_inputs& in, const kernel_table& table) {
  return [&d = in.data, fn = table.cosine_batch](float* out) {
    fn(d.queries.data(), d.num_queries, d.candidates.data(), d.count, d.dim, out);
  };
}
// Every score keeps the single-query cosine contract against the reference (docs/kernels.md):
// row by row, the check cosine workloads use.
std::string check(const batch_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  const harness::cosine_batch_workload& d = in.data;
  verify::check_result unused;
  return verify::batch_violation(d.queries, d.candidates, d.num_queries, d.dim, want, got, unused);
}

topk_inputs make_inputs(const topk_generator& g, uint64_t seed) {
  topk_inputs in{make_queries(g, seed), g.k, std::nullopt};
  if (g.stored)
    in.compact = harness::make_compact(*g.stored, harness::cosine_family::gaussian, g.dim,
                                       g.queries, g.count, seed);
  return in;
}
size_t slots(const topk_inputs& in) { return in.data.num_queries * in.k; }
size_t output_size(const topk_inputs& in) { return 2 * slots(in); }
double units(const topk_inputs& in) { return pairs(in.data); }
// The inputs read and the k scores and indices per query written: the full score matrix is
// never written, which is the point of fusing the selection into the scan.
// The queries, the candidates at `element` bytes each, the k scores and indices per query.
double bytes(const topk_inputs& in, double element) {
  const harness::cosine_batch_workload& d = in.data;
  return 4.0 * static_cast<double>(d.num_queries * d.dim) +
         element * static_cast<double>(d.count * d.dim) + 8.0 * slots(in);
}
double flops(const topk_inputs& in) { return flops(in.data); }
variant_fn restore(const topk_inputs&) { return nullptr; }
variant_fn table_call(const topk_inputs& in, const kernel_table& table) {
  return topk_call(in, table.topk, table.lowp.topk_bf16, table.lowp.topk_i8);
}
// The check of a variant that is not a kernel table (a peer): its selected pairs' scores keep the
// cosine contract against the reference score of the same pair, each query's list is sorted
// under ref::ranks_before without repeating a candidate, and its i-th score is within the bound
// of the reference's i-th (an exact selection on scores within b of the reference's has its
// order statistics within b of the reference's: the stricter contract of our own kernels,
// check_topk_table, needs every score of the variant, which a peer does not expose).
// On compact candidates (c) the same rules hold on their widened values.
std::string check_topk(const topk_inputs& in, const harness::compact_workload* c,
                       const std::vector<float>& want, const std::vector<float>& got) {
  const harness::cosine_batch_workload& d = in.data;
  const topk_output w = read_topk(in, want), g = read_topk(in, got);
  const double bound = kern::cosine_error_bound(d.dim);
  const size_t filled = std::min(in.k, d.count);
  std::vector<uint32_t> seen;
  std::vector<float> widened;
  for (size_t i = 0; i < d.num_queries; ++i) {
    const std::string at = "query " + std::to_string(i) + " slot ";
    seen.clear();
    for (size_t j = 0; j < in.k; ++j) {
      const size_t s = i * in.k + j;
      const uint32_t id = g.index[s];
      const std::string where = at + std::to_string(j) + ": ";
      if (j >= filled) {
        if (id != UINT32_MAX || !(g.score[s] == -INFINITY))
          return where + "past the candidates, not UINT32_MAX and -inf";
        continue;
      }
      if (id >= d.count) return where + "index " + std::to_string(id) + " out of range";
      if (std::find(seen.begin(), seen.end(), id) != seen.end())
        return where + "candidate " + std::to_string(id) + " selected twice";
      seen.push_back(id);
      const std::span<const float> row =
          candidate_rows(c, d.candidates.data(), d.dim, id, 1, widened);
      float ref_score = 0;
      ref::cosine(query_row(d, i).data(), row.data(), &ref_score, d.dim, 1);
      verify::check_result unused;
      const std::string v =
          verify::cosine_violation(query_row(d, i), row, {&ref_score, 1}, {&g.score[s], 1}, unused);
      if (!v.empty()) return where + "candidate " + std::to_string(id) + ": " + v;
      if (j > 0 && !ref::ranks_before(g.score[s - 1], g.index[s - 1], g.score[s], id))
        return where + "not ranked after the slot before it";
      if (!(std::fabs(double(g.score[s]) - w.score[s]) <= bound))
        return where + "score " + harness::formatted("%.9g", g.score[s]) +
               " too far from the reference's score of that rank " +
               harness::formatted("%.9g", w.score[s]);
    }
  }
  return "";
}
std::string check(const topk_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  return check_topk(in, compact_of(in.compact), want, got);
}

// ---- convert: float rows to bfloat16 or int8 ---------------------------------------------------

convert_inputs make_inputs(const convert_generator& g, uint64_t seed) {
  return {g.type, harness::make_cosine(harness::cosine_family::gaussian, g.dim, g.count, seed)};
}
double units(const convert_inputs& in) { return static_cast<double>(in.data.candidates.size()); }
size_t output_size(const convert_inputs& in) {
  const size_t n = in.data.candidates.size();
  return in.type == harness::element_type::bf16 ? (n + 1) / 2 : (n + 3) / 4 + in.data.count;
}
// The floats read once, the converted elements (and int8's row scales) written.
double bytes(const convert_inputs& in) {
  const double n = units(in);
  return in.type == harness::element_type::bf16
             ? 6.0 * n
             : 5.0 * n + 4.0 * static_cast<double>(in.data.count);
}
variant_fn restore(const convert_inputs&) { return nullptr; }
variant_fn table_call(const convert_inputs& in, const kernel_table& table) {
  return convert_call(in, table.lowp.convert_bf16, table.lowp.quantize_i8);
}
// Bit-identical to the reference: the output's bytes (floats would compare NaN payloads wrong).
std::string check(const convert_inputs&, const std::vector<float>& want,
                  const std::vector<float>& got) {
  const auto* w = reinterpret_cast<const unsigned char*>(want.data());
  const auto* g = reinterpret_cast<const unsigned char*>(got.data());
  const size_t n = want.size() * sizeof(float);
  const size_t at = static_cast<size_t>(std::mismatch(w, w + n, g).first - w);
  return at == n ? ""
                 : "output byte " + std::to_string(at) + " is " + std::to_string(g[at]) +
                       ", the reference wrote " + std::to_string(w[at]);
}

// Only batch and top-k count their floating-point work.
template <class Inputs>
double flops(const Inputs&) {
  return 0;
}

// Cosine and top-k move their candidates at their stored size; a compact workload's f32 row
// moves floats.
double bytes(const cosine_inputs& in) { return bytes(in, element_bytes(compact_of(in.compact))); }
double bytes(const topk_inputs& in) { return bytes(in, element_bytes(compact_of(in.compact))); }
template <class Inputs>
double f32_bytes(const Inputs& in) {
  if constexpr (std::is_same_v<Inputs, cosine_inputs> || std::is_same_v<Inputs, topk_inputs>)
    return in.compact ? bytes(in, 4.0) : 0.0;
  return 0.0;
}

// ---- every kernel but recall -----------------------------------------------------------------

template <class Inputs>
std::string sized_check(const Inputs& in, const std::vector<float>& want,
                        const std::vector<float>& got) {
  return want.size() == got.size() ? check(in, want, got) : "output size differs";
}

// Our top-k kernels keep the stricter contract (kernels/topk.hpp): scores bit-identical to the
// same table's batch on the selected pairs and an exact selection on those scores, i.e. the
// reference selection (ref::select_topk) of that table's batch output, index for index and bit
// for bit; plus the check every top-k variant passes.
// On compact candidates (c), "that table's batch" is its similarity kernel of that type, query
// by query (the contract of kernels/lowp.hpp).
std::string check_topk_table(const topk_inputs& in, const harness::compact_workload* c,
                             const kernel_table& table, const std::vector<float>& want,
                             const std::vector<float>& got) {
  if (want.size() != got.size()) return "output size differs";
  const harness::cosine_batch_workload& d = in.data;
  std::vector<float> batch(d.num_queries * d.count);
  if (c == nullptr)
    table.cosine_batch(d.queries.data(), d.num_queries, d.candidates.data(), d.count, d.dim,
                       batch.data());
  for (size_t i = 0; c != nullptr && i < d.num_queries; ++i) {
    float* scores = batch.data() + i * d.count;
    if (c->type == harness::element_type::bf16)
      table.lowp.cosine_bf16(query_row(d, i).data(), c->bf16.data(), scores, d.dim, d.count);
    else
      table.lowp.cosine_i8(query_row(d, i).data(), c->i8.data(), scores, d.dim, d.count);
  }
  const topk_output g = read_topk(in, got);
  const std::string v =
      verify::topk_violation(batch, d.num_queries, d.count, in.k, g.index, g.score);
  return v.empty() ? check_topk(in, c, want, got) : v;
}

variant_calls table_calls(const topk_inputs& in, const kernel_table& table) {
  return {nullptr, table_call(in, table),
          [&in, &table](const std::vector<float>& want, const std::vector<float>& got) {
            return check_topk_table(in, compact_of(in.compact), table, want, got);
          }};
}

// ---- the f32 row of a compact workload: `table`'s f32 kernel on the floats converted --------

// Its reference output is the f32 reference's on those floats, not the compact `want` it is
// handed, so the check runs it.
variant_calls f32_calls(const cosine_inputs& in, const kernel_table& table) {
  if (!in.compact) return {};
  const harness::cosine_workload& d = in.data;
  auto on_floats = [&d](cosine_fn fn) {
    return [&d, fn](float* out) { fn(d.query.data(), d.candidates.data(), out, d.dim, d.count); };
  };
  return {nullptr, on_floats(table.cosine),
          [&in, ref_call = on_floats(kern::runnable_table("reference")->cosine)](
              const std::vector<float>&, const std::vector<float>& got) {
            std::vector<float> want(in.data.count);
            ref_call(want.data());
            return want.size() == got.size() ? check_cosine(in, nullptr, want, got)
                                             : "output size differs";
          }};
}
variant_calls f32_calls(const topk_inputs& in, const kernel_table& table) {
  if (!in.compact) return {};
  auto on_floats = [&in](topk_fn fn) { return topk_call_on(in, fn, in.data.candidates.data()); };
  return {nullptr, on_floats(table.topk),
          [&in, &table, ref_call = on_floats(kern::runnable_table("reference")->topk)](
              const std::vector<float>&, const std::vector<float>& got) {
            std::vector<float> want(output_size(in));
            ref_call(want.data());
            return check_topk_table(in, nullptr, table, want, got);
          }};
}
template <class Inputs>
variant_calls f32_calls(const Inputs&, const kernel_table&) {
  return {};
}

template <class Inputs>
variant_calls table_calls(const Inputs& in, const kernel_table& table) {
  return {restore(in), table_call(in, table),
          [&in](const std::vector<float>& want, const std::vector<float>& got) {
            return sized_check(in, want, got);
          }};
}

}  // namespace

namespace {

// Per kernel_id, in its order: the name, the unit one call is divided into, the rate unit.
struct kernel_names {
  const char* name;
  const char* per_unit;
  const char* rate_unit;
};
constexpr kernel_names names[] = {
    {"cosine", "ns/candidate", "GB/s"},         {"decay", "ns/memory", "memories/s"},
    {"spread", "ns/edge", "edges/s"},           {"recall", "ns/memory", "memories/s"},
    {"batch", "ns/candidate/query", "GFLOP/s"}, {"topk", "ns/candidate/query", "GFLOP/s"},
    {"convert", "ns/element", "GB/s"}};
static_assert(std::size(names) == std::size(all_kernel_ids));

const kernel_names& names_of(kernel_id k) { return names[static_cast<size_t>(k)]; }

}  // namespace

std::string to_string(kernel_id k) { return names_of(k).name; }
std::string per_unit_name(kernel_id k) { return names_of(k).per_unit; }
std::string rate_unit_name(kernel_id k) { return names_of(k).rate_unit; }

std::optional<harness::element_type> stored_type(const workload_spec& spec) {
  if (const auto* g = std::get_if<cosine_generator>(&spec.generator)) return g->stored;
  if (const auto* g = std::get_if<topk_generator>(&spec.generator)) return g->stored;
  return std::nullopt;
}

std::string rate_unit_name(const workload_spec& spec) {
  return stored_type(spec) ? "GB/s" : rate_unit_name(spec.kernel());
}

kernel_id parse_kernel_id(const std::string& name) {
  std::string choices;
  for (const kernel_id k : all_kernel_ids) {
    if (to_string(k) == name) return k;
    choices += (choices.empty() ? "" : ", ") + to_string(k);
  }
  throw std::invalid_argument("unknown kernel '" + name + "' (choices: " + choices + ")");
}

const std::vector<workload_spec>& all_workloads() {
  static const std::vector<workload_spec> all = make_catalogue();
  return all;
}

std::vector<const workload_spec*> select_workloads(const std::vector<std::string>& names,
                                                   const std::vector<kernel_id>& kernels) {
  auto kernel_ok = [&](const workload_spec& w) {
    return kernels.empty() ||
           std::find(kernels.begin(), kernels.end(), w.kernel()) != kernels.end();
  };
  std::vector<const workload_spec*> out;
  if (names.empty()) {
    for (const auto& w : all_workloads())
      if (w.in_default_set && kernel_ok(w)) out.push_back(&w);
    return out;
  }
  for (const auto& name : names) {
    const workload_spec* found = nullptr;
    for (const auto& w : all_workloads())
      if (w.name == name) found = &w;
    if (!found)
      throw std::invalid_argument("unknown workload '" + name +
                                  "' (engram-kern bench --list prints every name)");
    if (kernel_ok(*found)) out.push_back(found);
  }
  return out;
}

std::unique_ptr<prepared_workload> prepare(const workload_spec& spec, uint64_t seed) {
  auto w = std::make_unique<prepared_workload>();
  w->spec = &spec;
  w->inputs = std::visit([seed](const auto& g) -> workload_inputs { return make_inputs(g, seed); },
                         spec.generator);
  std::visit(
      [&w](const auto& in) {
        w->output_size = output_size(in);
        w->units = units(in);
        w->bytes = bytes(in);
        w->flops = flops(in);
        w->f32_bytes = f32_bytes(in);
      },
      w->inputs);
  w->copy_roofline = spec.kernel() == kernel_id::convert;
  return w;
}

variant_fn restore_input(const prepared_workload& w) {
  return std::visit([](const auto& in) { return restore(in); }, w.inputs);
}

variant_calls table_variant(const prepared_workload& w, const kernel_table& table) {
  return std::visit([&table](const auto& in) { return table_calls(in, table); }, w.inputs);
}

variant_calls f32_variant(const prepared_workload& w, const kernel_table& table) {
  return std::visit([&table](const auto& in) { return f32_calls(in, table); }, w.inputs);
}

std::string check_output(const prepared_workload& w, const std::vector<float>& want,
                         const std::vector<float>& got) {
  return std::visit([&](const auto& in) { return sized_check(in, want, got); }, w.inputs);
}

topk_output read_topk(const topk_inputs& in, const std::vector<float>& out) {
  const size_t n = slots(in);
  topk_output r;
  if (out.size() < 2 * n) return r;
  r.score.assign(out.begin(), out.begin() + static_cast<ptrdiff_t>(n));
  r.index.resize(n);
  std::memcpy(r.index.data(), out.data() + n, n * sizeof(uint32_t));
  return r;
}

void write_topk_index(const topk_inputs& in, const uint32_t* index, float* out) {
  std::memcpy(out + slots(in), index, slots(in) * sizeof(uint32_t));
}

std::string check_recall(const recall_inputs& w, const harness::recall_result& got) {
  const harness::recall_comparison c =
      harness::compare_recall(w.store, w.reference, w.envelope, got);
  return c.agrees ? "" : "recall disagrees with the reference: " + c.failure;
}

}  // namespace ek::bench
