// bench.cpp — `engram-kern bench`: Google Benchmark timings of the reference, each ISA and the
// peers on named workloads, paired speed-ups, and the baseline gate (docs/benchmarking.md).
#include <fstream>
#include <iostream>
#include <optional>

#include "src/bench/baseline.hpp"
#include "src/bench/report.hpp"
#include "src/bench/runner.hpp"
#include "src/bench/verdict.hpp"
#include "src/bench/workloads.hpp"
#include "src/cli/commands.hpp"

namespace ek::cli {

namespace {

struct bench_options {
  bench::run_options run;
  std::string baseline;
  std::string save_baseline;
  std::string out;
  double threshold = 0.05;
  bool list = false;
};

constexpr int exit_inconclusive = 3;

std::string list_text() {
  std::string text;
  for (const auto& w : bench::all_workloads())
    text += w.name + (w.in_default_set ? "  (default set)" : "") + "\n";
  return text;
}

int run_bench(session& s, const bench_options& o) {
  apply_isa(s);
  if (o.list) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& w : bench::all_workloads())
      names.push_back({{"name", w.name}, {"kernel", w.kernel}, {"default", w.in_default_set}});
    s.doc["workloads"] = names;
    // The key names this machine's baseline file: baselines/<machine_key>.json (ci_gate.sh).
    s.doc["machine_key"] = bench::this_machine().key;
    if (!s.json()) std::cout << list_text() << "machine key: " << bench::this_machine().key << '\n';
    return exit_ok;
  }
  if (!(o.threshold > 0 && o.threshold < 1)) throw usage_error("--threshold must be in (0, 1)");
  // A baseline that cannot be used is an input error before any timing starts.
  std::optional<bench::baseline> before;
  if (!o.baseline.empty()) {
    try {
      before = bench::load_baseline(o.baseline);
    } catch (const bench::baseline_error& e) {
      throw usage_error(e.what());
    }
  }

  const bench::run_output run = bench::run_benchmarks(o.run, std::cerr);

  std::optional<bench::comparison> verdicts;
  if (before) verdicts = bench::compare(run.machine, run.results, *before, o.threshold);
  int code = verdicts ? bench::exit_code(*verdicts) : exit_ok;
  for (const auto& r : run.results)
    if (r.kind != bench::role::peer && r.status.rfind("failed", 0) == 0) {
      log_line("FAILED VERIFICATION: " + r.workload + " " + r.variant + ": " + r.status);
      code = exit_failure;  // a wrong kernel is worse than a slow one
    }
  if (verdicts) {
    if (!verdicts->comparable) log_line(verdicts->note + " (not gated)");
    for (const auto& v : verdicts->verdicts) {
      if (v.kind != bench::verdict_kind::regressed && v.kind != bench::verdict_kind::inconclusive)
        continue;
      char line[256];
      std::snprintf(line, sizeof line, "%s: %s %s: speed-up change %+.1f%% [%+.1f%%, %+.1f%%], "
                    "A/A noise floor %.1f%%, threshold %.1f%%",
                    v.kind == bench::verdict_kind::regressed ? "REGRESSED" : "INCONCLUSIVE",
                    v.workload.c_str(), v.variant.c_str(), 100 * v.change.median,
                    100 * v.change.low, 100 * v.change.high, 100 * v.noise_floor,
                    100 * o.threshold);
      log_line(line);
    }
  }

  if (!o.save_baseline.empty()) {
    bench::baseline b;
    b.machine = run.machine;
    b.repetitions = o.run.repetitions;
    b.min_time_s = o.run.min_time_s;
    for (const auto& r : run.results)
      if (r.timed && r.status == "verified" && r.kind != bench::role::peer) b.results.push_back(r);
    try {
      bench::save_baseline(b, o.save_baseline);
    } catch (const bench::baseline_error& e) {
      throw usage_error(e.what());
    }
    log_line("baseline written: " + o.save_baseline);
  }

  nlohmann::json doc = bench::report_json(run, verdicts, o.baseline);
  for (auto& [key, value] : doc.items()) s.doc[key] = value;
  std::string text;
  if (s.json()) {
    nlohmann::json full = s.doc;
    full["schema_version"] = json_schema_version;
    full["command"] = "bench";
    full["exit_code"] = code;
    text = full.dump(2) + "\n";
  } else {
    text = bench::report_table(run, verdicts, s.format == "markdown");
  }
  if (!o.out.empty()) {
    std::ofstream out(o.out);
    out << text;
    if (!out) throw usage_error("--out " + o.out + ": cannot write");
  } else if (!s.json()) {
    std::cout << text;
  }
  return code == exit_ok || code == exit_failure ? code : exit_inconclusive;
}

}  // namespace

void register_bench(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<bench_options>();
  CLI::App* sub = root.add_subcommand(
      "bench", "Time the reference, each ISA and the peers; paired speed-ups; baseline gate. "
               "Exit: 0 pass, 1 regression, 2 error, 3 inconclusive (too noisy)");
  // --format takes markdown too, and --isa repeats (the ISAs to time), so bench declares both
  // itself instead of add_common_options; the active ISA stays detection / ENGRAM_KERN_ISA.
  sub->add_option("--format", s.format, "Output: table, markdown, or one JSON document")
      ->check(CLI::IsMember({"table", "json", "markdown"}));
  sub->add_option("--kernel", o->run.kernels, "Only these kernels (repeatable)")
      ->check(CLI::IsMember({"cosine", "decay", "spread"}));
  sub->add_option("--workload", o->run.workloads, "Named workloads (repeatable; see --list)");
  sub->add_option("--isa", o->run.isas, "Optimized ISAs to time (repeatable; default: all runnable)");
  sub->add_flag("--peers", o->run.peers, "Also time the peer libraries built in");
  sub->add_option("--repetitions", o->run.repetitions, "Repetitions per benchmark (>= 6)")
      ->capture_default_str();
  sub->add_option("--min-time", o->run.min_time_s, "Minimum seconds per repetition")
      ->capture_default_str();
  sub->add_option("--baseline", o->baseline, "Compare with this baseline file");
  sub->add_option("--save-baseline", o->save_baseline, "Write a baseline file (atomically)");
  sub->add_option("--threshold", o->threshold, "Relative change that counts (default 0.05)")
      ->capture_default_str();
  sub->add_option("--out", o->out, "Write the output to this file instead of stdout");
  sub->add_flag("--list", o->list, "List the named workloads");
  commands.push_back({sub, [&s, o] { return run_bench(s, *o); }});
}

}  // namespace ek::cli
