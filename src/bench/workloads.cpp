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

#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "reference/cosine.hpp"
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

cosine_inputs make_inputs(const cosine_generator& g, uint64_t seed) {
  return {harness::make_cosine(harness::cosine_family::gaussian, g.dim, g.count, seed)};
}
size_t output_size(const cosine_inputs& in) { return in.data.count; }
double units(const cosine_inputs& in) { return static_cast<double>(in.data.count); }
double bytes(const cosine_inputs& in) {
  return 4.0 * static_cast<double>((in.data.count + 1) * in.data.dim + in.data.count);
}
variant_fn restore(const cosine_inputs&) { return nullptr; }
variant_fn table_call(const cosine_inputs& in, const kernel_table& table) {
  return [&d = in.data, fn = table.cosine](float* out) {
    fn(d.query.data(), d.candidates.data(), out, d.dim, d.count);
  };
}
std::string check(const cosine_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  verify::check_result unused;  // bench reports its own timings, not these error statistics
  return verify::cosine_violation(in.data.query, in.data.candidates, want, got, unused);
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
  return {make_queries(g, seed), g.k};
}
size_t slots(const topk_inputs& in) { return in.data.num_queries * in.k; }
size_t output_size(const topk_inputs& in) { return 2 * slots(in); }
double units(const topk_inputs& in) { return pairs(in.data); }
// The inputs read and the k scores and indices per query written: the full score matrix is
// never written, which is the point of fusing the selection into the scan.
double bytes(const topk_inputs& in) { return input_bytes(in.data) + 8.0 * slots(in); }
double flops(const topk_inputs& in) { return flops(in.data); }
variant_fn restore(const topk_inputs&) { return nullptr; }
variant_fn table_call(const topk_inputs& in, const kernel_table& table) {
  auto index = std::make_shared<std::vector<uint32_t>>(slots(in));
  return [&in, fn = table.topk, index](float* out) {
    const harness::cosine_batch_workload& d = in.data;
    fn(d.queries.data(), d.num_queries, d.candidates.data(), d.count, d.dim, in.k, index->data(),
       out);
    write_topk_index(in, index->data(), out);
  };
}
// The check of a variant that is not a kernel table (a peer): its selected pairs' scores keep the
// cosine contract against the reference score of the same pair, each query's list is sorted
// under ref::ranks_before without repeating a candidate, and its i-th score is within the bound
// of the reference's i-th (an exact selection on scores within b of the reference's has its
// order statistics within b of the reference's: the stricter contract of our own kernels,
// check_topk_table, needs every score of the variant, which a peer does not expose).
std::string check(const topk_inputs& in, const std::vector<float>& want,
                  const std::vector<float>& got) {
  const harness::cosine_batch_workload& d = in.data;
  const topk_output w = read_topk(in, want), g = read_topk(in, got);
  const double bound = kern::cosine_error_bound(d.dim);
  const size_t filled = std::min(in.k, d.count);
  std::vector<uint32_t> seen;
  for (size_t i = 0; i < d.num_queries; ++i) {
    const std::string at = "query " + std::to_string(i) + " slot ";
    seen.clear();
    for (size_t j = 0; j < in.k; ++j) {
      const size_t s = i * in.k + j;
      const uint32_t c = g.index[s];
      const std::string where = at + std::to_string(j) + ": ";
      if (j >= filled) {
        if (c != UINT32_MAX || !(g.score[s] == -INFINITY))
          return where + "past the candidates, not UINT32_MAX and -inf";
        continue;
      }
      if (c >= d.count) return where + "index " + std::to_string(c) + " out of range";
      if (std::find(seen.begin(), seen.end(), c) != seen.end())
        return where + "candidate " + std::to_string(c) + " selected twice";
      seen.push_back(c);
      float ref_score = 0;
      ref::cosine(query_row(d, i).data(), d.candidates.data() + c * d.dim, &ref_score, d.dim, 1);
      verify::check_result unused;
      const std::string v =
          verify::cosine_violation(query_row(d, i), {d.candidates.data() + c * d.dim, d.dim},
                                   {&ref_score, 1}, {&g.score[s], 1}, unused);
      if (!v.empty()) return where + "candidate " + std::to_string(c) + ": " + v;
      if (j > 0 && !ref::ranks_before(g.score[s - 1], g.index[s - 1], g.score[s], c))
        return where + "not ranked after the slot before it";
      if (!(std::fabs(double(g.score[s]) - w.score[s]) <= bound))
        return where + "score " + harness::formatted("%.9g", g.score[s]) +
               " too far from the reference's score of that rank " +
               harness::formatted("%.9g", w.score[s]);
    }
  }
  return "";
}

// Only batch and top-k count their floating-point work.
template <class Inputs>
double flops(const Inputs&) {
  return 0;
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
std::string check_topk_table(const topk_inputs& in, const kernel_table& table,
                             const std::vector<float>& want, const std::vector<float>& got) {
  const harness::cosine_batch_workload& d = in.data;
  std::vector<float> batch(d.num_queries * d.count);
  table.cosine_batch(d.queries.data(), d.num_queries, d.candidates.data(), d.count, d.dim,
                     batch.data());
  const topk_output g = read_topk(in, got);
  const std::string v =
      verify::topk_violation(batch, d.num_queries, d.count, in.k, g.index, g.score);
  return v.empty() ? check(in, want, got) : v;
}

variant_calls table_calls(const topk_inputs& in, const kernel_table& table) {
  return {nullptr, table_call(in, table),
          [&in, &table](const std::vector<float>& want, const std::vector<float>& got) {
            return want.size() == got.size() ? check_topk_table(in, table, want, got)
                                             : "output size differs";
          }};
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
    {"batch", "ns/candidate/query", "GFLOP/s"}, {"topk", "ns/candidate/query", "GFLOP/s"}};
static_assert(std::size(names) == std::size(all_kernel_ids));

const kernel_names& names_of(kernel_id k) { return names[static_cast<size_t>(k)]; }

}  // namespace

std::string to_string(kernel_id k) { return names_of(k).name; }
std::string per_unit_name(kernel_id k) { return names_of(k).per_unit; }
std::string rate_unit_name(kernel_id k) { return names_of(k).rate_unit; }

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
      },
      w->inputs);
  return w;
}

variant_fn restore_input(const prepared_workload& w) {
  return std::visit([](const auto& in) { return restore(in); }, w.inputs);
}

variant_calls table_variant(const prepared_workload& w, const kernel_table& table) {
  return std::visit([&table](const auto& in) { return table_calls(in, table); }, w.inputs);
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
