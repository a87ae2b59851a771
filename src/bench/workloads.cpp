// workloads.cpp — the workload catalogue, input generation, the table-backed variants and the
// output check every variant passes before it is timed.
#include "src/bench/workloads.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "src/verify/compare.hpp"

namespace ek::bench {

namespace {

std::vector<workload_spec> make_catalogue() {
  std::vector<workload_spec> all;
  auto cosine = [&](size_t dim, size_t n, bool seed) {
    workload_spec w;
    w.name = "cosine/d" + std::to_string(dim) + "/n" + std::to_string(n);
    w.kernel = "cosine";
    w.in_default_set = seed;
    w.dim = dim;
    w.count = n;
    all.push_back(w);
  };
  auto decay = [&](engram_decay_family f, size_t n, bool seed) {
    workload_spec w;
    w.name = "decay/" + harness::to_string(f) + "/n" + std::to_string(n);
    w.kernel = "decay";
    w.in_default_set = seed;
    w.decay_family = f;
    w.count = n;
    all.push_back(w);
  };
  // Frontier mode starts from `cues` seeded nodes; dense mode from every node (cues unused).
  auto spread = [&](const std::string& name, engram_spread_mode mode, harness::graph_family g,
                    uint32_t nodes, uint32_t steps, uint32_t cues, bool seed) {
    workload_spec w;
    w.name = name;
    w.kernel = "spread";
    w.in_default_set = seed;
    w.mode = mode;
    w.graph = g;
    w.count = nodes;
    w.degree = 16;
    w.steps = steps;
    w.cues = cues;
    all.push_back(w);
  };
  // The seed's three: the default (CI) set.
  cosine(768, 1000, true);
  decay(ENGRAM_DECAY_EXPONENTIAL, 10000, true);
  spread("spread/dense/n1000/deg16/it100", ENGRAM_SPREAD_DENSE, harness::graph_family::uniform,
         1000, 100, 0, true);
  auto recall = [&](size_t memories, size_t dim, uint32_t k, bool in_default) {
    workload_spec w;
    w.name = "recall/m" + std::to_string(memories) + "/d" + std::to_string(dim) + "/k" +
             std::to_string(k);
    w.kernel = "recall";
    w.in_default_set = in_default;
    w.dim = dim;
    w.count = memories;
    w.top_k = k;
    w.graph = harness::graph_family::uniform;
    w.degree = 16;
    w.steps = 3;
    all.push_back(w);
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

}  // namespace

const std::vector<workload_spec>& all_workloads() {
  static const std::vector<workload_spec> all = make_catalogue();
  return all;
}

std::vector<const workload_spec*> select_workloads(const std::vector<std::string>& names,
                                                   const std::vector<std::string>& kernels) {
  auto kernel_ok = [&](const workload_spec& w) {
    if (kernels.empty()) return true;
    for (const auto& k : kernels)
      if (k == w.kernel) return true;
    return false;
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
  if (spec.kernel == "cosine") {
    w->cosine = harness::make_cosine(harness::cosine_family::gaussian, spec.dim, spec.count, seed);
    w->output_size = spec.count;
    w->units = static_cast<double>(spec.count);
    w->bytes = 4.0 * static_cast<double>((spec.count + 1) * spec.dim + spec.count);
  } else if (spec.kernel == "decay") {
    harness::decay_options o;
    o.family = spec.decay_family;
    w->decay = harness::make_decay(o, spec.count, seed);
    // Engram's defaults (τ = 1 day, β = 1, switch at 1 day) rather than random parameters.
    w->decay.params = engram_decay_params_default();
    w->decay.params.family = static_cast<uint32_t>(spec.decay_family);
    w->output_size = spec.count;
    w->units = static_cast<double>(spec.count);
    // Read strengths and ages, write strengths (the untimed restore is not counted).
    w->bytes = static_cast<double>(spec.count) * (4 + 8 + 4);
  } else if (spec.kernel == "recall") {
    harness::recall_options o;
    o.memories = spec.count;
    o.dim = spec.dim;
    o.graph = spec.graph;
    o.average_degree = spec.degree;
    o.top_k = spec.top_k;
    o.hops = spec.steps;
    w->store = harness::make_memory_store(o, seed);
    harness::run_recall(w->store, *kern::runnable_table("reference"), w->recall_reference);
    w->recall_envelope = harness::make_envelope(w->store, w->recall_reference);
    w->output_size = spec.count;
    w->units = static_cast<double>(spec.count);
    // Embeddings and query read; per memory a score written, strength and age read, the
    // activation and final score written (the spreading traffic is small beside them).
    w->bytes = 4.0 * static_cast<double>((spec.count + 1) * spec.dim) +
               static_cast<double>(spec.count) * (4 + 4 + 8 + 4 + 4);
  } else {
    harness::graph_options o;
    o.family = spec.graph;
    o.nodes = static_cast<uint32_t>(spec.count);
    o.average_degree = spec.degree;
    o.seed_nodes =
        spec.mode == ENGRAM_SPREAD_FRONTIER ? spec.cues : static_cast<uint32_t>(spec.count);
    o.params = {sizeof(engram_spread_params), static_cast<uint32_t>(spec.mode), spec.steps, 0.5f,
                0.01f};
    w->spread = harness::make_graph(o, seed);
    const auto& s = w->spread;
    w->graph = ek::kern::make_graph(s.nodes, s.row_offsets.data(), s.targets.data(),
                                    s.weights.data(), s.targets.size());
    w->output_size = s.nodes;
    const double n = s.nodes, e = static_cast<double>(s.targets.size());
    if (spec.mode == ENGRAM_SPREAD_DENSE) {
      w->units = e * spec.steps;
      // Per iteration: the in-CSR (offsets, sources, weights) and the activations read and written.
      w->bytes = spec.steps * (8 * (n + 1) + 8 * e + 8 * n);
    } else {
      w->units = frontier_edges(w->graph, s.activations, s.params);
      // Per traversed edge a target and a weight, and the activations read once to find the
      // cues. The writes land on the nodes those edges reach (at most one per edge, mostly in
      // cache) and are not counted; the untimed restore is not either.
      w->bytes = 8 * w->units + 4 * n;
    }
  }
  return w;
}

variant_fn restore_input(const prepared_workload& w) {
  if (w.spec->kernel == "decay")
    return [&w](float* out) {
      std::memcpy(out, w.decay.strengths.data(), w.decay.strengths.size() * sizeof(float));
    };
  if (w.spec->kernel == "spread")
    return [&w](float* out) {
      std::memcpy(out, w.spread.activations.data(), w.spread.activations.size() * sizeof(float));
    };
  return nullptr;
}

variant_calls table_variant(const prepared_workload& w, const kernel_table& table,
                            const std::shared_ptr<harness::recall_result>& recall) {
  if (w.spec->kernel == "recall") {
    if (!recall) throw std::invalid_argument("a recall variant needs its result buffers");
    return {nullptr, [&w, &table, recall](float* out) {
              harness::run_recall(w.store, table, *recall);
              std::memcpy(out, recall->final_scores.data(),
                          recall->final_scores.size() * sizeof(float));
            }};
  }
  if (w.spec->kernel == "cosine") {
    return {nullptr, [&w, fn = table.cosine](float* out) {
              fn(w.cosine.query.data(), w.cosine.candidates.data(), out, w.cosine.query.size(),
                 w.cosine.candidates.size() / std::max<size_t>(1, w.cosine.query.size()));
            }};
  }
  if (w.spec->kernel == "decay") {
    return {restore_input(w), [&w, fn = table.decay](float* out) {
              fn(out, w.decay.ages.data(), w.decay.strengths.size(), w.decay.params);
            }};
  }
  return {restore_input(w), [&w, fn = table.spread_for(w.graph.num_nodes)](float* out) {
            fn(w.graph, out, w.spread.params);
          }};
}

std::string check_output(const prepared_workload& w, const std::vector<float>& want,
                         const std::vector<float>& got) {
  if (want.size() != got.size()) return "output size differs";
  // The same contract verify holds every kernel to (src/verify/compare.hpp); bench reports its
  // own timings, not these error statistics.
  verify::check_result unused;
  const std::string& kernel = w.spec->kernel;
  if (kernel == "cosine")
    return verify::cosine_violation(w.cosine.query, w.cosine.candidates, want, got, unused);
  if (kernel == "decay")
    return verify::decay_violation(w.decay.strengths, w.decay.ages, want, got, unused);
  return verify::spread_violation(want, got, unused);
}

std::string check_recall(const prepared_workload& w, const harness::recall_result& got) {
  const harness::recall_comparison c =
      harness::compare_recall(w.store, w.recall_reference, w.recall_envelope, got);
  return c.agrees ? "" : "recall disagrees with the reference: " + c.failure;
}

std::string per_unit_name(const std::string& kernel) {
  if (kernel == "cosine") return "ns/candidate";
  return kernel == "spread" ? "ns/edge" : "ns/memory";
}

std::string rate_unit_name(const std::string& kernel) {
  if (kernel == "cosine") return "GB/s";
  return kernel == "spread" ? "edges/s" : "memories/s";
}

}  // namespace ek::bench
