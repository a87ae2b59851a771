// run.cpp — `engram-kern run`: one kernel through the C ABI, N times on fresh copies of its
// inputs (copies are not timed), for profilers and quick timings; writes the outputs.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

#include "engram_kern.h"
#include "src/cli/commands.hpp"
#include "src/cli/workload_options.hpp"

namespace ek::cli {

namespace {

struct run_options {
  workload_options workload;
  std::string input;
  std::string output;
  uint32_t repeat = 1;
};

void check(engram_status st, const char* call) {
  if (st != ENGRAM_OK) throw usage_error(std::string(call) + " failed: " + engram_status_string(st));
}

using clock_type = std::chrono::steady_clock;

// Times `call` once per repetition after `prepare` (untimed) and returns the durations in ns.
template <class Prepare, class Call>
std::vector<double> time_calls(uint32_t repeat, Prepare&& prepare, Call&& call) {
  std::vector<double> ns;
  for (uint32_t r = 0; r < repeat; ++r) {
    prepare();
    const auto start = clock_type::now();
    call();
    ns.push_back(std::chrono::duration<double, std::nano>(clock_type::now() - start).count());
  }
  return ns;
}

struct graph_handle {
  engram_graph* g = nullptr;
  ~graph_handle() { engram_graph_destroy(g); }
};

int run_run(session& s, const run_options& o) {
  apply_isa(s);
  if (o.input.empty() == o.workload.kernel.empty())
    throw usage_error("give either --workload FILE or --kernel with generator flags");
  if (o.repeat == 0) throw usage_error("--repeat must be at least 1");
  harness::loaded_workload w =
      o.input.empty() ? generate(o.workload) : harness::load_workload(o.input);

  std::vector<float> out;
  std::vector<double> ns;
  switch (w.kernel) {
    case harness::kernel_kind::cosine: {
      const auto& c = std::get<harness::cosine_workload>(w.data);
      out.assign(c.count, 0.0f);
      ns = time_calls(o.repeat, [] {}, [&] {
        check(engram_vector_similarity(c.query.data(), c.candidates.data(), out.data(), c.dim,
                                       c.count),
              "engram_vector_similarity");
      });
      break;
    }
    case harness::kernel_kind::decay: {
      auto& d = std::get<harness::decay_workload>(w.data);
      d.fix_pointers();
      ns = time_calls(o.repeat, [&] { out = d.strengths; }, [&] {
        check(engram_apply_decay(out.data(), d.ages.data(), out.size(), &d.params),
              "engram_apply_decay");
      });
      break;
    }
    case harness::kernel_kind::spread: {
      const auto& g = std::get<harness::graph_workload>(w.data);
      graph_handle h;
      check(engram_graph_create(g.nodes, g.row_offsets.data(), g.targets.data(), g.weights.data(),
                                g.targets.size(), &h.g),
            "engram_graph_create");
      ns = time_calls(o.repeat, [&] { out = g.activations; }, [&] {
        check(engram_spread_activation(h.g, out.data(), &g.params), "engram_spread_activation");
      });
      break;
    }
  }

  std::vector<double> sorted = ns;
  std::sort(sorted.begin(), sorted.end());
  const size_t m = sorted.size() / 2;
  const double median = sorted.size() % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
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
  s.doc["median_ns_per_call"] = median;
  s.doc["times_ns"] = ns;
  s.doc["workload"] = o.input.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.input);
  s.doc["seed"] = w.meta.seed ? nlohmann::json(*w.meta.seed) : nlohmann::json(nullptr);
  s.doc["output"] = o.output.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.output);
  if (!s.json())
    std::cout << "kernel " << harness::to_string(w.kernel) << "  isa " << engram_active_isa()
              << "  repetitions " << o.repeat << "  median " << median / 1e3 << " us/call\n";
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
