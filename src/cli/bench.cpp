// bench.cpp — `engram-kern bench`: parses the options into a bench::bench_plan, runs it
// (src/bench/engine.hpp: Google Benchmark timings of the reference, each ISA and the peers on named
// workloads, paired speed-ups, the baseline gate; docs/benchmarking.md) and prints the outcome.
#include <fstream>
#include <functional>
#include <iostream>

#include "src/bench/against.hpp"
#include "src/bench/baseline.hpp"
#include "src/bench/engine.hpp"
#include "src/bench/quality.hpp"
#include "src/bench/report.hpp"
#include "src/bench/workloads.hpp"
#include "src/cli/commands.hpp"
#include "src/harness/json_text.hpp"
#include "src/harness/text_format.hpp"

namespace ek::cli {

namespace {

struct bench_options {
  bench::bench_plan plan;
  std::string save_baseline;
  std::string child_results;  // hidden: where a child process leaves its results
  std::string out;
  bool list = false;
  bool min_time_given = false;
  std::string against;   // the base build's libengram_kern.so (A/B)
  std::string current;   // this build's, when not beside the executable
  bool quality = false;  // measure the compact types' quality instead of timing
};

int list_workloads(session& s) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& w : bench::all_workloads())
    names.push_back({{"name", w.name},
                     {"kernel", bench::to_string(w.kernel())},
                     {"default", w.in_default_set}});
  s.doc["workloads"] = names;
  // The key names this machine's baseline file: baselines/<machine_key>.json (ci_gate.sh).
  const std::string key = bench::this_machine().key;
  s.doc["machine_key"] = key;
  if (!s.json()) {
    for (const auto& w : bench::all_workloads())
      std::cout << w.name << (w.in_default_set ? "  (default set)" : "") << '\n';
    std::cout << "machine key: " << key << '\n';
  }
  return exit_ok;
}

// The findings the exit code stands on, one line each on stderr.
void log_findings(const bench::bench_outcome& out, double threshold) {
  for (const bench::variant_result& r : out.failed)
    log_line("FAILED VERIFICATION: " + r.workload + " " + r.variant + ": " + r.status);
  for (const auto& f : out.slower)
    log_line(harness::formatted(
        "SLOWER: %s %s: slower-than-%s: time ratio %.3f [%.3f, %.3f] (> 1 + max(threshold "
        "%.1f%%, A/A floor %.1f%%))",
        f.workload.c_str(), f.isa.c_str(), f.than.c_str(), f.ratio.median, f.ratio.low,
        f.ratio.high, 100 * threshold, 100 * f.noise_floor));
  if (!out.verdicts) return;
  if (!out.verdicts->comparable) log_line(out.verdicts->note + " (not gated)");
  for (const auto& v : out.verdicts->verdicts) {
    if (v.kind != bench::verdict_kind::regressed && v.kind != bench::verdict_kind::inconclusive)
      continue;
    log_line(harness::formatted(
        "%s: %s %s: speed-up change %+.1f%% [%+.1f%%, %+.1f%%], A/A noise floor %.1f%%, "
        "threshold %.1f%%",
        v.kind == bench::verdict_kind::regressed ? "REGRESSED" : "INCONCLUSIVE", v.workload.c_str(),
        v.variant.c_str(), 100 * v.change.median, 100 * v.change.low, 100 * v.change.high,
        100 * v.noise_floor, 100 * threshold));
  }
}

// The table (or Markdown) to stdout or --out; with --format json, the document to --out (without
// --out, main prints it).
void write_report(const session& s, const std::string& path, int exit_code,
                  const std::function<std::string()>& table) {
  if (s.json() && path.empty()) return;
  const std::string text =
      s.json() ? harness::json_text(envelope(s, exit_code), 2) + "\n" : table();
  if (path.empty()) {
    std::cout << text;
    return;
  }
  std::ofstream file(path);
  file << text;
  if (!file) throw usage_error("--out " + path + ": cannot write");
}

// --against LIB: the A/B of this build and LIB through their C ABIs, one process.
int run_against(session& s, const bench_options& o) {
  bench::against_plan plan;
  plan.base = o.against;
  plan.current = o.current;
  plan.kernels = o.plan.run.kernels;
  plan.workloads = o.plan.run.workloads;
  plan.isas = o.plan.run.isas;
  if (o.plan.repetitions_given) plan.repetitions = o.plan.run.repetitions;
  if (o.min_time_given) plan.min_time_s = o.plan.run.min_time_s;
  plan.threshold = o.plan.threshold;
  bench::against_outcome out;
  try {
    out = bench::run_against(plan, std::cerr);
  } catch (const std::runtime_error& e) {
    throw usage_error(e.what());  // a library that cannot be loaded is an input error
  }
  for (const auto& r : out.rows) {
    if (r.status.rfind("failed", 0) == 0)
      log_line("FAILED VERIFICATION: " + r.workload + " " + r.variant + ": " + r.status);
    if (r.status.rfind("base breaks", 0) == 0)
      log_line("NOT TIMED: " + r.workload + " " + r.variant + ": " + r.status);
    if (!r.timed() ||
        (r.kind != bench::verdict_kind::regressed && r.kind != bench::verdict_kind::inconclusive))
      continue;
    log_line(harness::formatted(
        "%s: %s %s: time new/old %.3f [%.3f, %.3f], A/A noise floor %.1f%%, threshold %.1f%%",
        r.kind == bench::verdict_kind::regressed ? "REGRESSED" : "INCONCLUSIVE", r.workload.c_str(),
        r.variant.c_str(), r.ratio.median, r.ratio.low, r.ratio.high, 100 * r.noise_floor,
        100 * plan.threshold));
  }
  const nlohmann::json doc = bench::against_json(out);
  for (const auto& [key, value] : doc.items()) s.doc[key] = value;
  write_report(s, o.out, out.exit_code,
               [&] { return bench::against_table(out, s.format == "markdown"); });
  return out.exit_code;
}

// --quality: the compact types' top-k overlap and |Δcos| against f32, no timing.
int run_quality(session& s, const bench_options& o) {
  const bench::quality_options q{.seed = bench::workload_seed};
  const std::vector<bench::quality_row> rows = bench::measure_quality(q);
  s.doc["quality"] = bench::quality_json(q, rows);
  write_report(s, o.out, exit_ok,
               [&] { return bench::quality_table(q, rows, s.format == "markdown"); });
  return exit_ok;
}

int run_bench(session& s, bench_options& o) {
  apply_isa(s);
  if (o.list) return list_workloads(s);
  if (o.quality) return run_quality(s, o);
  if (!o.against.empty()) return run_against(s, o);
  o.plan.saves_baseline = !o.save_baseline.empty();
  o.plan.child = !o.child_results.empty();
  const bench::bench_outcome out = bench::run_bench(o.plan, std::cerr);
  log_findings(out, o.plan.threshold);
  if (o.plan.saves_baseline || o.plan.child) {
    try {
      bench::save_baseline(bench::to_baseline(out),
                           o.plan.child ? o.child_results : o.save_baseline);
    } catch (const bench::baseline_error& e) {
      throw usage_error(e.what());
    }
    if (o.plan.saves_baseline) log_line("baseline written: " + o.save_baseline);
  }

  nlohmann::json doc = bench::report_json(out.run, out.verdicts, o.plan.baseline_file);
  for (auto& [key, value] : doc.items()) s.doc[key] = value;
  nlohmann::json never_slower = nlohmann::json::array();
  for (const auto& f : out.slower)
    never_slower.push_back({{"workload", f.workload},
                            {"isa", f.isa},
                            {"verdict", "slower-than-" + f.than},
                            {"time_ratio", {f.ratio.median, f.ratio.low, f.ratio.high}},
                            {"noise_floor", f.noise_floor}});
  s.doc["never_slower"] = never_slower;
  s.doc["processes"] = out.processes;
  s.doc["repetitions"] = out.options.repetitions;
  write_report(s, o.out, out.exit_code,
               [&] { return bench::report_table(out.run, out.verdicts, s.format == "markdown"); });
  return out.exit_code;
}

}  // namespace

void register_bench(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<bench_options>();
  CLI::App* sub = root.add_subcommand(
      "bench",
      "Time the reference, each ISA and the peers; paired speed-ups; baseline gate. "
      "Exit: 0 pass, 1 regression, 2 error, 3 inconclusive (too noisy)");
  // --format takes markdown too, and bench has --isas (the ISAs to time) instead of --isa (which
  // forces the active ISA elsewhere), so it declares its options itself instead of
  // add_common_options; the active ISA stays detection / ENGRAM_KERN_ISA. "--isa" is kept as a
  // deprecated alias of --isas.
  sub->add_option("--format", s.format, "Output: table, markdown, or one JSON document")
      ->check(CLI::IsMember({"table", "json", "markdown"}));
  std::vector<std::string> kernel_names;
  for (const bench::kernel_id k : bench::all_kernel_ids)
    kernel_names.push_back(bench::to_string(k));
  sub->add_option_function<std::vector<std::string>>(
         "--kernel",
         [o](const std::vector<std::string>& names) {
           for (const auto& name : names)
             o->plan.run.kernels.push_back(bench::parse_kernel_id(name));
         },
         "Only these kernels, or recall (repeatable)")
      ->check(CLI::IsMember(kernel_names));
  sub->add_option("--workload", o->plan.run.workloads, "Named workloads (repeatable; see --list)");
  sub->add_option("--isas,--isa", o->plan.run.isas,
                  "Optimized ISAs to time (repeatable; default: all runnable; --isa is a "
                  "deprecated alias)");
  add_gather_option(*sub, s);
  sub->add_flag("--peers", o->plan.run.peers, "Also time the peer libraries built in");
  sub->add_option_function<int>(
      "--repetitions",
      [o](int n) {
        o->plan.run.repetitions = n;
        o->plan.repetitions_given = true;
      },
      "Repetitions per benchmark and process (>= 6; default 15, 8 with several processes, 30 "
      "with --against)");
  sub->add_option("--processes", o->plan.processes,
                  "Fresh processes that time the set (default 1; 3 with --baseline, 10 with "
                  "--save-baseline)")
      ->check(CLI::Range(1, 100));
  sub->add_option_function<double>(
      "--min-time",
      [o](double t) {
        o->plan.run.min_time_s = t;
        o->min_time_given = true;
      },
      "Minimum seconds per repetition (default 0.05; 0.01 per side with --against)");
  sub->add_option("--baseline", o->plan.baseline_file, "Compare with this baseline file");
  sub->add_option("--against", o->against,
                  "A/B: time this build and another build's libengram_kern.so in one process")
      ->excludes("--baseline");
  sub->add_option("--current", o->current,
                  "With --against: this build's libengram_kern.so (default: beside the tool)");
  sub->add_option("--save-baseline", o->save_baseline, "Write a baseline file (atomically)");
  // The channel from a child process to its parent: a baseline file without the announcement.
  sub->add_option("--child-results", o->child_results)->group("");
  // Test only: slows the active ISA down N times (ctest bench_never_slower_*).
  sub->add_option("--test-slowdown", o->plan.run.test_slowdown)
      ->group("")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--threshold", o->plan.threshold, "Relative change that counts (default 0.05)")
      ->capture_default_str();
  sub->add_option("--out", o->out, "Write the output to this file instead of stdout");
  sub->add_flag("--list", o->list, "List the named workloads");
  sub->add_flag("--quality", o->quality,
                "Instead of timing: top-10 overlap and |Δcos| of bf16 and int8 candidates against "
                "f32, on seeded embedding families")
      ->excludes("--against");
  commands.push_back({sub, [&s, o] { return run_bench(s, *o); }});
}

}  // namespace ek::cli
