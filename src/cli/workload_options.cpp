// workload_options.cpp — generator flags to generator calls.
#include "src/cli/workload_options.hpp"

#include <utility>

#include "src/cli/common.hpp"

namespace ek::cli {

void add_workload_options(CLI::App& sub, workload_options& o, bool kernel_required) {
  o.kernel_option =
      sub.add_option("--kernel", o.kernel,
                     "Kernel: cosine, decay, spread, cosine_bf16, cosine_i8, topk_bf16 or topk_i8; "
                     "or recall (run only: the end-to-end recall scenario)")
          ->check(CLI::IsMember({"cosine", "decay", "spread", "cosine_bf16", "cosine_i8",
                                 "topk_bf16", "topk_i8", "recall"}));
  if (kernel_required) o.kernel_option->required();
  std::vector<std::string> cosine_families;
  for (auto f : harness::all_cosine_families) cosine_families.push_back(harness::to_string(f));
  std::vector<std::string> graph_families;
  for (auto f : harness::all_graph_families) graph_families.push_back(harness::to_string(f));

  sub.add_option("--family", o.family, "cosine and its bf16 / int8 forms: element family")
      ->check(CLI::IsMember(cosine_families))
      ->capture_default_str();
  sub.add_option("--dim", o.dim, "cosine, bf16 / int8 kinds: vector length")->capture_default_str();
  sub.add_option("--count", o.count, "cosine, bf16 / int8 kinds: candidates; decay: memories")
      ->capture_default_str();
  sub.add_option("--queries", o.queries, "topk_bf16, topk_i8: queries")->capture_default_str();
  sub.add_option("--decay-family", o.decay_family, "decay: exponential, power_law or hybrid")
      ->check(CLI::IsMember({"exponential", "power_law", "hybrid"}))
      ->capture_default_str();
  sub.add_flag("--per-memory-tau", o.per_memory_tau, "decay: a tau per memory");
  sub.add_flag("--floor", o.floor, "decay: a random floor in (0, 0.5]");
  sub.add_flag("--special-values", o.special_values,
               "decay: inject +-0, NaN, subnormal strengths, age 0 and ages near 2^63 / 2^64");
  sub.add_option("--graph", o.graph, "spread: graph family")
      ->check(CLI::IsMember(graph_families))
      ->capture_default_str();
  sub.add_option("--nodes", o.nodes, "spread: nodes")->capture_default_str();
  sub.add_option("--degree", o.degree, "spread: average out-degree (uniform, power_law)")
      ->capture_default_str();
  sub.add_option("--mode", o.mode, "spread: frontier or dense")
      ->check(CLI::IsMember({"frontier", "dense"}))
      ->capture_default_str();
  sub.add_option("--steps", o.steps, "spread: hops (frontier) or iterations (dense)")
      ->capture_default_str();
  sub.add_option("--cues,--seeds", o.cues,
                 "spread: nodes given a starting activation (--seeds is a deprecated alias)")
      ->capture_default_str();
  sub.add_option("--hop-decay", o.hop_decay, "spread: decay per hop, in (0, 1]")
      ->capture_default_str();
  sub.add_option("--threshold", o.threshold, "spread: frontier threshold, >= 0")
      ->capture_default_str();
  sub.add_flag("--self-loops", o.self_loops, "spread: add a few u -> u edges");
  sub.add_flag("--multi-edges", o.multi_edges, "spread: duplicate a few edges");
  sub.add_flag("--negative-weights", o.negative_weights, "spread: some weights in [-1, 0)");
  sub.add_flag("--isolated-nodes", o.isolated_nodes, "spread: leave some nodes without edges");
  sub.add_option("--memories", o.memories, "recall: memories in the store")->capture_default_str();
  sub.add_option("--top-k", o.top_k,
                 "recall: cosine seeds and final ranking length; topk_bf16, topk_i8: k, results "
                 "per query")
      ->capture_default_str();
  o.seed_option = sub.add_option("--seed", o.seed, "PRNG seed (random and printed when omitted)");
}

harness::loaded_workload generate(const workload_options& o) {
  if (o.kernel.empty()) throw usage_error("--kernel is required to generate a workload");
  if (o.kernel == "recall")
    throw usage_error("--kernel recall is a scenario for `run`, not a workload file");
  const uint64_t seed = announce_seed(o.seed_option->count() > 0, o.seed);
  harness::loaded_workload w;
  w.kernel = harness::parse_kernel_kind(o.kernel);
  w.meta.generator = tool_version();
  w.meta.seed = seed;
  switch (w.kernel) {
    case harness::kernel_kind::cosine: {
      const auto family = harness::parse_cosine_family(o.family);
      w.meta.family = o.family;
      w.data = harness::make_cosine(family, o.dim, o.count, seed);
      break;
    }
    case harness::kernel_kind::decay: {
      harness::decay_options d;
      d.family = harness::parse_decay_family(o.decay_family);
      d.per_memory_tau = o.per_memory_tau;
      d.with_floor = o.floor;
      d.special_values = o.special_values;
      w.meta.family = o.decay_family;
      w.data = harness::make_decay(d, o.count, seed);
      break;
    }
    case harness::kernel_kind::spread: {
      harness::graph_options g;
      g.family = harness::parse_graph_family(o.graph);
      g.nodes = o.nodes;
      g.average_degree = o.degree;
      g.self_loops = o.self_loops;
      g.multi_edges = o.multi_edges;
      g.negative_weights = o.negative_weights;
      g.isolated_nodes = o.isolated_nodes;
      g.cues = o.cues;
      g.params = {
          sizeof(engram_spread_params),
          o.mode == "dense" ? uint32_t{ENGRAM_SPREAD_DENSE} : uint32_t{ENGRAM_SPREAD_FRONTIER},
          o.steps, o.hop_decay, o.threshold};
      w.meta.family = o.graph;
      w.data = harness::make_graph(g, seed);
      break;
    }
    case harness::kernel_kind::cosine_bf16:
    case harness::kernel_kind::cosine_i8:
    case harness::kernel_kind::topk_bf16:
    case harness::kernel_kind::topk_i8: {
      // The candidates of make_cosine_batch (query 0 and the candidates are make_cosine's),
      // stored as a user would: converted by the reference.
      const bool topk = harness::is_topk(w.kernel);
      w.meta.family = o.family;
      harness::compact_workload c = harness::make_compact(
          *harness::compact_type(w.kernel), harness::parse_cosine_family(o.family), o.dim,
          topk ? o.queries : 1, o.count, seed);
      if (topk) c.k = o.top_k;
      w.data = std::move(c);
      break;
    }
    case harness::kernel_kind::batch:
    case harness::kernel_kind::topk:  // --kernel's check lets neither through
      throw usage_error("gen makes no " + o.kernel + " workloads");
  }
  return w;
}

harness::recall_options recall_options_of(const workload_options& o) {
  return {.memories = o.memories,
          .dim = o.dim,
          .graph = harness::parse_graph_family(o.graph),
          .average_degree = o.degree,
          .top_k = o.top_k,
          .hops = o.steps,
          .hop_decay = o.hop_decay,
          .threshold = o.threshold,
          .decay_family = harness::parse_decay_family(o.decay_family)};
}

}  // namespace ek::cli
