// run.cpp — `engram-kern run`: one kernel through the C ABI, N times on fresh copies of its
// inputs (copies are not timed), for profilers and quick timings; writes the outputs. `--kernel
// recall` plays the end-to-end recall scenario on the reference and each ISA and compares them.
#include <cstdio>
#include <iostream>
#include <memory>

#include "engram_kern.h"
#include "kernels/decay.hpp"
#include "kernels/dispatch.hpp"
#include "src/bench/stats.hpp"
#include "src/bench/timing.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/workload_options.hpp"
#include "src/harness/owned_graph.hpp"
#include "src/harness/recall.hpp"
#include "src/harness/text_format.hpp"

namespace ek::cli {

namespace {

struct run_options {
  workload_options workload;
  std::string input;
  std::string output;
  uint32_t repeat = 1;
};

void check(engram_status st, const char* call) {
  if (st != ENGRAM_OK)
    throw usage_error(std::string(call) + " failed: " + engram_status_string(st));
}

using bench::median;
using bench::time_calls;
using harness::formatted;

// The C ABI calls over compact candidates, by element type.
engram_status similarity(const float* q, const uint16_t* c, float* s, size_t dim, size_t n) {
  return engram_vector_similarity_bf16(q, c, s, dim, n);
}
engram_status similarity(const float* q, const int8_t* c, float* s, size_t dim, size_t n) {
  return engram_vector_similarity_i8(q, c, s, dim, n);
}
engram_status topk(const float* q, size_t nq, const uint16_t* c, size_t n, size_t dim, size_t k,
                   uint32_t* index, float* score) {
  return engram_vector_topk_bf16(q, nq, c, n, dim, k, index, score);
}
engram_status topk(const float* q, size_t nq, const int8_t* c, size_t n, size_t dim, size_t k,
                   uint32_t* index, float* score) {
  return engram_vector_topk_i8(q, nq, c, n, dim, k, index, score);
}

// cosine_bf16 / cosine_i8 (the scores of query 0) or topk_bf16 / topk_i8 (the top scores of
// every query; the indices are not kept, as for every kernel run writes one tensor).
std::vector<double> time_compact(const harness::compact_workload& w, harness::kernel_kind kernel,
                                 uint32_t repeat, std::vector<float>& out) {
  const std::string call = "engram_vector_" +
                           std::string(harness::is_topk(kernel) ? "topk_" : "similarity_") +
                           harness::to_string(w.type);
  return harness::with_candidates(w, [&](auto rows) {
    if (!harness::is_topk(kernel)) {
      out.assign(w.count, 0.0f);
      return time_calls(
          repeat, [] {},
          [&] {
            check(similarity(w.queries.data(), rows.data(), out.data(), w.dim, w.count),
                  call.c_str());
          });
    }
    out.assign(w.num_queries * w.k, 0.0f);
    std::vector<uint32_t> index(out.size());
    return time_calls(
        repeat, [] {},
        [&] {
          check(topk(w.queries.data(), w.num_queries, rows.data(), w.count, w.dim, w.k,
                     index.data(), out.data()),
                call.c_str());
        });
  });
}

// The recall scenario (src/harness/recall.hpp) on the reference and each runnable ISA (or the
// reference and --isa); exit_failure when any disagrees with the reference.
int run_recall_scenario(session& s, const run_options& o) {
  const workload_options& w = o.workload;
  const harness::recall_options r = recall_options_of(w);
  const uint64_t seed = announce_seed(w.seed_option->count() > 0, w.seed);
  const harness::memory_store store = harness::make_memory_store(r, seed);

  std::vector<std::string> isas = kern::runnable_isas();
  if (!s.isa.empty()) {
    isas = {"reference"};
    if (s.isa != "reference") isas.push_back(s.isa);
  }
  harness::recall_result want;
  harness::run_recall(store, *kern::runnable_table("reference"), want);
  const harness::recall_envelope envelope = harness::make_envelope(store, want);

  s.doc["kernel"] = "recall";
  s.doc["seed"] = seed;
  s.doc["store"] = {{"memories", r.memories},
                    {"dim", r.dim},
                    {"graph", w.graph},
                    {"degree", r.average_degree},
                    {"top_k", r.top_k},
                    {"hops", r.hops},
                    {"hop_decay", r.hop_decay},
                    {"threshold", r.threshold},
                    {"decay_family", w.decay_family}};
  s.doc["cosine_bound"] = envelope.cosine_bound;
  s.doc["decay_max_ulp"] = kern::decay_numerics::max_ulp;
  s.doc["uncertain_seeds"] = envelope.uncertain_seeds;
  nlohmann::json ranking = nlohmann::json::array();
  for (uint32_t v : want.ranking)
    ranking.push_back({{"memory", v},
                       {"score", want.final_scores[v]},
                       {"low", envelope.low[v]},
                       {"high", envelope.high[v]}});
  s.doc["reference_ranking"] = ranking;
  if (!s.json()) {
    std::cout << "recall: " << r.memories << " memories, dim " << r.dim << ", " << w.graph
              << " graph (degree " << r.average_degree << "), top-k " << r.top_k << ", " << r.hops
              << " hops, " << w.decay_family << " decay, seed " << seed << '\n'
              << "bounds: cosine " << formatted("%.3g", envelope.cosine_bound) << ", decay "
              << kern::decay_numerics::max_ulp
              << " ULP; memories that may or may not be seeds: " << envelope.uncertain_seeds << '\n'
              << "reference ranking (memory: final score):";
    for (uint32_t v : want.ranking)
      std::cout << ' ' << v << ':' << formatted("%.6g", want.final_scores[v]);
    std::cout << "\n\n"
              << "isa        median/recall  cosine err  seeds      spread         decay ULP  "
                 "ranking              verdict\n";
  }

  bool all_agree = true;
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& isa : isas) {
    const kernel_table& table = *kern::runnable_table(isa);
    harness::recall_result got;
    const std::vector<double> ns = time_calls(
        o.repeat, [] {}, [&] { harness::run_recall(store, table, got); });
    const harness::recall_comparison c = harness::compare_recall(store, want, envelope, got);
    all_agree = all_agree && c.agrees;
    const std::string ranking_text =
        c.same_ranking ? "identical" : std::to_string(c.inversions) + " swap(s) in bounds";
    rows.push_back({{"isa", isa},
                    {"median_ns_per_recall", median(ns)},
                    {"times_ns", ns},
                    {"agrees", c.agrees},
                    {"failure", c.failure},
                    {"max_cosine_error", c.max_cosine_error},
                    {"same_seeds", c.same_seeds},
                    {"spread_identical", c.spread_identical},
                    {"max_decay_ulp", c.max_decay_ulp},
                    {"same_ranking", c.same_ranking},
                    {"inversions", c.inversions},
                    {"max_final_difference", c.max_final_difference},
                    {"ranking", got.ranking}});
    if (!s.json()) {
      std::printf("%-10s %10.3f ms  %10.3g  %-9s  %-13s  %9llu  %-19s  %s\n", isa.c_str(),
                  median(ns) / 1e6, c.max_cosine_error, c.same_seeds ? "identical" : "differ",
                  c.spread_identical ? "bit-identical" : "DIFFERS",
                  static_cast<unsigned long long>(c.max_decay_ulp),
                  c.agrees ? ranking_text.c_str() : "-", c.agrees ? "agrees" : "DISAGREES");
      if (!c.agrees) std::printf("  %s: %s\n", isa.c_str(), c.failure.c_str());
    }
  }
  s.doc["isas"] = rows;
  s.doc["agrees"] = all_agree;
  s.doc["repetitions"] = o.repeat;
  return all_agree ? exit_ok : exit_failure;
}

int run_run(session& s, const run_options& o) {
  apply_isa(s);
  if (o.repeat == 0) throw usage_error("--repeat must be at least 1");
  if (o.workload.kernel == "recall") {
    if (!o.input.empty() || !o.output.empty())
      throw usage_error("--kernel recall generates its store: no --workload or --output");
    return run_recall_scenario(s, o);
  }
  if (o.input.empty() == o.workload.kernel.empty())
    throw usage_error("give either --workload FILE or --kernel with generator flags");
  harness::loaded_workload w =
      o.input.empty() ? generate(o.workload) : harness::load_workload(o.input);

  std::vector<float> out;
  std::vector<double> ns;
  switch (w.kernel) {
    case harness::kernel_kind::cosine: {
      const auto& c = std::get<harness::cosine_workload>(w.data);
      out.assign(c.count, 0.0f);
      ns = time_calls(
          o.repeat, [] {},
          [&] {
            check(engram_vector_similarity(c.query.data(), c.candidates.data(), out.data(), c.dim,
                                           c.count),
                  "engram_vector_similarity");
          });
      break;
    }
    case harness::kernel_kind::decay: {
      const auto& d = std::get<harness::decay_workload>(w.data);
      const engram_decay_params params = d.call_params();
      ns = time_calls(
          o.repeat, [&] { out = d.strengths; },
          [&] {
            check(engram_apply_decay(out.data(), d.ages.data(), out.size(), &params),
                  "engram_apply_decay");
          });
      break;
    }
    case harness::kernel_kind::spread: {
      const auto& g = std::get<harness::graph_workload>(w.data);
      harness::owned_graph h;
      check(harness::create_graph(g.nodes, g.row_offsets.data(), g.targets.data(), g.weights.data(),
                                  g.targets.size(), h),
            "engram_graph_create");
      ns = time_calls(
          o.repeat, [&] { out = g.activations; },
          [&] {
            check(engram_spread_activation(h.get(), out.data(), &g.params),
                  "engram_spread_activation");
          });
      break;
    }
    case harness::kernel_kind::cosine_bf16:
    case harness::kernel_kind::cosine_i8:
    case harness::kernel_kind::topk_bf16:
    case harness::kernel_kind::topk_i8:
      ns = time_compact(std::get<harness::compact_workload>(w.data), w.kernel, o.repeat, out);
      break;
    case harness::kernel_kind::batch:
    case harness::kernel_kind::topk:
      // Only verify writes these files (its shrunk failures), and replays them itself.
      throw usage_error("a " + harness::to_string(w.kernel) +
                        " workload file is replayed with `engram-kern verify --replay FILE`");
  }

  const double median_ns = median(ns);
  if (!o.output.empty()) {
    harness::workload_meta meta = w.meta;
    meta.generator = tool_version();
    meta.extra["isa"] = engram_active_isa();
    harness::save_output(o.output, w.kernel, out, meta);
  }
  s.doc["kernel"] = harness::to_string(w.kernel);
  s.doc["isa"] = engram_active_isa();
  s.doc["isa_source"] = isa_source_name();
  s.doc["repetitions"] = o.repeat;
  s.doc["median_ns_per_call"] = median_ns;
  s.doc["times_ns"] = ns;
  s.doc["workload"] = o.input.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.input);
  s.doc["seed"] = w.meta.seed ? nlohmann::json(*w.meta.seed) : nlohmann::json(nullptr);
  s.doc["output"] = o.output.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.output);
  if (!s.json())
    std::cout << "kernel " << harness::to_string(w.kernel) << "  isa " << engram_active_isa()
              << "  repetitions " << o.repeat << "  median " << median_ns / 1e3 << " us/call\n";
  return exit_ok;
}

}  // namespace

void register_run(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<run_options>();
  CLI::App* sub = root.add_subcommand(
      "run", "Run one kernel through the C ABI on a workload file or a generated workload");
  sub->add_option("--workload", o->input, "Workload file (from gen)");
  add_workload_options(*sub, o->workload, false);
  sub->add_option("--repeat", o->repeat, "Repetitions (the median time is reported)")
      ->capture_default_str();
  sub->add_option("-o,--output", o->output, "Write the kernel's output tensor here");
  add_common_options(*sub, s);
  commands.push_back({sub, [&s, o] { return run_run(s, *o); }});
}

}  // namespace ek::cli
