// bench.cpp — `engram-kern bench`: Google Benchmark timings of the reference, each ISA and the
// peers on named workloads, paired speed-ups, and the baseline gate (docs/benchmarking.md).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "src/bench/baseline.hpp"
#include "src/bench/report.hpp"
#include "src/bench/runner.hpp"
#include "src/bench/verdict.hpp"
#include "src/bench/workloads.hpp"
#include "src/cli/commands.hpp"
#include "src/harness/json_text.hpp"

namespace ek::cli {

namespace {

struct bench_options {
  bench::run_options run;
  std::string baseline;
  std::string save_baseline;
  std::string child_results;  // hidden: where a child process (time_in_child) leaves its results
  std::string out;
  double threshold = 0.05;
  bool list = false;
  int processes = 0;  // 0: 1 for a plain run, 3 with --baseline, 10 with --save-baseline
  bool repetitions_given = false;
};

constexpr int exit_inconclusive = 3;

std::string list_text() {
  std::string text;
  for (const auto& w : bench::all_workloads())
    text += w.name + (w.in_default_set ? "  (default set)" : "") + "\n";
  return text;
}

// Times the same selection again in a fresh process (this executable, writing a baseline file to
// a temporary path through the hidden --child-results) and returns its results: a new process draws
// new data placement, the run-to-run effect the gate must see (docs/benchmarking.md).
bench::baseline time_in_child(const bench::run_options& run, int index) {
  const auto tmp =
      std::filesystem::temp_directory_path() /
      ("engram-kern-bench-" + std::to_string(::getpid()) + "-" + std::to_string(index) + ".json");
  std::vector<std::string> args = {"engram-kern",     "bench",
                                   "--processes",     "1",
                                   "--repetitions",   std::to_string(run.repetitions),
                                   "--min-time",      std::to_string(run.min_time_s),
                                   "--child-results", tmp.string()};
  for (const auto& k : run.kernels) args.insert(args.end(), {"--kernel", k});
  for (const auto& w : run.workloads) args.insert(args.end(), {"--workload", w});
  for (const auto& i : run.isas) args.insert(args.end(), {"--isa", i});
  if (run.test_slowdown > 1)
    args.insert(args.end(), {"--test-slowdown", std::to_string(run.test_slowdown)});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("bench: cannot start another process");
  if (pid == 0) {
    // Its table is not wanted (the results come back through the file); its progress stays on
    // stderr.
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, STDOUT_FILENO);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code != exit_ok) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error("bench: process " + std::to_string(index + 1) +
                             " failed with exit code " + std::to_string(code));
  }
  bench::baseline b = bench::load_baseline(tmp.string());
  std::filesystem::remove(tmp);
  return b;
}

int run_bench(session& s, const bench_options& o) {
  apply_isa(s);
  // Child processes (time_in_child) inherit the environment: a forced policy reaches them.
  if (engram_active_gather_policy_source() != ENGRAM_ISA_AUTO)
    ::setenv("ENGRAM_KERN_GATHER", engram_active_gather_policy(), 1);
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

  const int processes = o.processes > 0            ? o.processes
                        : !o.save_baseline.empty() ? 10
                        : !o.baseline.empty()      ? 3
                                                   : 1;
  bench::run_options run_options = o.run;
  // Several processes share the time one would take: fewer repetitions each.
  if (processes > 1 && !o.repetitions_given) run_options.repetitions = 8;
  if (processes > 1)
    log_line("bench: " + std::to_string(processes) + " processes of " +
             std::to_string(run_options.repetitions) + " repetitions; process 1");
  bench::run_output run = bench::run_benchmarks(run_options, std::cerr);
  // The A/A pairs (active ISA time / its copy's) of every process: with a few repetitions per
  // process, one process's sign-test interval is its extreme pairs, and one disturbed repetition
  // would set the noise floor of the whole run.
  std::map<std::string, std::vector<double>> aa_pairs;  // workload -> pairs
  auto collect_aa = [&](const std::vector<bench::variant_result>& results) {
    for (const auto& copy : results)
      for (const auto& active : results)
        if (copy.kind == bench::role::aa && active.workload == copy.workload &&
            active.variant == run.machine.isa) {
          const auto pairs = bench::paired_ratios(active.times_ns, copy.times_ns);
          aa_pairs[copy.workload].insert(aa_pairs[copy.workload].end(), pairs.begin(), pairs.end());
        }
  };
  collect_aa(run.results);
  for (auto& r : run.results)
    if (r.speedup) r.process_speedups = {r.speedup->median};
  for (int p = 1; p < processes; ++p) {
    log_line("bench: process " + std::to_string(p + 1) + " of " + std::to_string(processes));
    const bench::baseline child = time_in_child(run_options, p);
    collect_aa(child.results);
    for (auto& r : run.results)
      for (const auto& c : child.results)
        if (c.workload == r.workload && c.variant == r.variant && c.speedup && r.speedup)
          r.process_speedups.push_back(c.speedup->median);
  }
  for (auto& r : run.results)
    if (r.kind == bench::role::aa && !aa_pairs[r.workload].empty())
      r.aa_ratio = bench::median_interval(aa_pairs[r.workload]);

  std::optional<bench::comparison> verdicts;
  if (before) verdicts = bench::compare(run.machine, run.results, *before, o.threshold);
  int code = verdicts ? bench::exit_code(*verdicts) : exit_ok;
  for (const auto& r : run.results)
    if (r.kind != bench::role::peer && r.status.rfind("failed", 0) == 0) {
      log_line("FAILED VERIFICATION: " + r.workload + " " + r.variant + ": " + r.status);
      code = exit_failure;  // a wrong kernel is worse than a slow one
    }
  // "Never slower", with or without a baseline: the ISA detection picked must not lose to the
  // reference or to a lower ISA (it is checked only when detection chose it: a forced ISA is the
  // user's choice).
  std::vector<bench::slower_finding> slower;
  if (engram_active_isa_source() == ENGRAM_ISA_AUTO && o.child_results.empty())
    slower = bench::find_slower(run.machine.isa, run.results, o.threshold);
  for (const auto& f : slower) {
    char line[256];
    std::snprintf(
        line, sizeof line,
        "SLOWER: %s %s: slower-than-%s: time ratio %.3f [%.3f, %.3f] (> 1 + max(threshold "
        "%.1f%%, A/A floor %.1f%%))",
        f.workload.c_str(), f.isa.c_str(), f.than.c_str(), f.ratio.median, f.ratio.low,
        f.ratio.high, 100 * o.threshold, 100 * f.noise_floor);
    log_line(line);
    code = exit_failure;
  }
  if (verdicts) {
    if (!verdicts->comparable) log_line(verdicts->note + " (not gated)");
    for (const auto& v : verdicts->verdicts) {
      if (v.kind != bench::verdict_kind::regressed && v.kind != bench::verdict_kind::inconclusive)
        continue;
      char line[256];
      std::snprintf(line, sizeof line,
                    "%s: %s %s: speed-up change %+.1f%% [%+.1f%%, %+.1f%%], "
                    "A/A noise floor %.1f%%, threshold %.1f%%",
                    v.kind == bench::verdict_kind::regressed ? "REGRESSED" : "INCONCLUSIVE",
                    v.workload.c_str(), v.variant.c_str(), 100 * v.change.median,
                    100 * v.change.low, 100 * v.change.high, 100 * v.noise_floor,
                    100 * o.threshold);
      log_line(line);
    }
  }

  if (!o.save_baseline.empty() || !o.child_results.empty()) {
    bench::baseline b;
    b.machine = run.machine;
    b.repetitions = run_options.repetitions;
    b.min_time_s = run_options.min_time_s;
    b.processes = processes;
    for (const auto& r : run.results)
      if (r.timed && r.status == "verified" && r.kind != bench::role::peer) b.results.push_back(r);
    try {
      bench::save_baseline(b, o.save_baseline.empty() ? o.child_results : o.save_baseline);
    } catch (const bench::baseline_error& e) {
      throw usage_error(e.what());
    }
    if (!o.save_baseline.empty()) log_line("baseline written: " + o.save_baseline);
  }

  nlohmann::json doc = bench::report_json(run, verdicts, o.baseline);
  for (auto& [key, value] : doc.items()) s.doc[key] = value;
  nlohmann::json never_slower = nlohmann::json::array();
  for (const auto& f : slower)
    never_slower.push_back({{"workload", f.workload},
                            {"isa", f.isa},
                            {"verdict", "slower-than-" + f.than},
                            {"time_ratio", {f.ratio.median, f.ratio.low, f.ratio.high}},
                            {"noise_floor", f.noise_floor}});
  s.doc["never_slower"] = never_slower;
  s.doc["processes"] = processes;
  s.doc["repetitions"] = run_options.repetitions;
  std::string text;
  if (s.json()) {
    nlohmann::json full = s.doc;
    full["schema_version"] = json_schema_version;
    full["command"] = "bench";
    full["exit_code"] = code;
    text = harness::json_text(full, 2) + "\n";
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
      "bench",
      "Time the reference, each ISA and the peers; paired speed-ups; baseline gate. "
      "Exit: 0 pass, 1 regression, 2 error, 3 inconclusive (too noisy)");
  // --format takes markdown too, and --isa repeats (the ISAs to time), so bench declares both
  // itself instead of add_common_options; the active ISA stays detection / ENGRAM_KERN_ISA.
  sub->add_option("--format", s.format, "Output: table, markdown, or one JSON document")
      ->check(CLI::IsMember({"table", "json", "markdown"}));
  sub->add_option("--kernel", o->run.kernels, "Only these kernels, or recall (repeatable)")
      ->check(CLI::IsMember({"cosine", "decay", "spread", "recall"}));
  sub->add_option("--workload", o->run.workloads, "Named workloads (repeatable; see --list)");
  sub->add_option("--isa", o->run.isas,
                  "Optimized ISAs to time (repeatable; default: all runnable)");
  add_gather_option(*sub, s);
  sub->add_flag("--peers", o->run.peers, "Also time the peer libraries built in");
  sub->add_option_function<int>(
      "--repetitions",
      [o](int n) {
        o->run.repetitions = n;
        o->repetitions_given = true;
      },
      "Repetitions per benchmark and process (>= 6; default 15, or 8 with several processes)");
  sub->add_option("--processes", o->processes,
                  "Fresh processes that time the set (default 1; 3 with --baseline, 10 with "
                  "--save-baseline)")
      ->check(CLI::Range(1, 100));
  sub->add_option("--min-time", o->run.min_time_s, "Minimum seconds per repetition")
      ->capture_default_str();
  sub->add_option("--baseline", o->baseline, "Compare with this baseline file");
  sub->add_option("--save-baseline", o->save_baseline, "Write a baseline file (atomically)");
  // The channel from a child process to its parent: a baseline file without the announcement.
  sub->add_option("--child-results", o->child_results)->group("");
  // Test only: slows the active ISA down N times (ctest bench_never_slower_*).
  sub->add_option("--test-slowdown", o->run.test_slowdown)->group("")->check(CLI::Range(1, 1000));
  sub->add_option("--threshold", o->threshold, "Relative change that counts (default 0.05)")
      ->capture_default_str();
  sub->add_option("--out", o->out, "Write the output to this file instead of stdout");
  sub->add_flag("--list", o->list, "List the named workloads");
  commands.push_back({sub, [&s, o] { return run_bench(s, *o); }});
}

}  // namespace ek::cli
