// engine.cpp — the bench stages after collect: time in several processes, merge their results,
// judge them (docs/benchmarking.md).
#include "src/bench/engine.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "engram_kern.h"

namespace ek::bench {

namespace {

// Times the same selection again in a fresh process (this executable, `engram-kern bench` writing
// a baseline file to a temporary path through the hidden --child-results) and returns its
// results: a new process draws new data placement, the run-to-run effect the gate must see.
baseline time_in_child(const run_options& run, int index) {
  const auto tmp =
      std::filesystem::temp_directory_path() /
      ("engram-kern-bench-" + std::to_string(::getpid()) + "-" + std::to_string(index) + ".json");
  std::vector<std::string> args = {"engram-kern",     "bench",
                                   "--processes",     "1",
                                   "--repetitions",   std::to_string(run.repetitions),
                                   "--min-time",      std::to_string(run.min_time_s),
                                   "--child-results", tmp.string()};
  for (const auto k : run.kernels) args.insert(args.end(), {"--kernel", to_string(k)});
  for (const auto& w : run.workloads) args.insert(args.end(), {"--workload", w});
  for (const auto& i : run.isas) args.insert(args.end(), {"--isas", i});
  if (run.test_slowdown > 1)
    args.insert(args.end(), {"--test-slowdown", std::to_string(run.test_slowdown)});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
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
  if (code != exit_pass) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error("bench: process " + std::to_string(index + 1) +
                             " failed with exit code " + std::to_string(code));
  }
  baseline b = load_baseline(tmp.string());
  std::filesystem::remove(tmp);
  return b;
}

// ---- time: this process, then the children -----------------------------------------------------

int processes_of(const bench_plan& plan) {
  if (plan.processes > 0) return plan.processes;
  if (plan.saves_baseline) return 10;
  return plan.baseline_file.empty() ? 1 : 3;
}

// ---- merge: every process's A/A pairs and speed-ups into this process's results ----------------

// The A/A pairs (active ISA time / its copy's) of one process's results, per workload.
void add_aa_pairs(const std::string& active_isa, const std::vector<variant_result>& results,
                  std::map<std::string, std::vector<double>>& pairs) {
  for (const auto& copy : results)
    for (const auto& active : results)
      if (copy.kind == role::aa && active.workload == copy.workload &&
          active.variant == active_isa) {
        const auto p = paired_ratios(active.times_ns, copy.times_ns);
        pairs[copy.workload].insert(pairs[copy.workload].end(), p.begin(), p.end());
      }
}

void add_process_speedups(const std::vector<variant_result>& child,
                          std::vector<variant_result>& results) {
  for (auto& r : results)
    for (const auto& c : child)
      if (c.workload == r.workload && c.variant == r.variant && c.speedup && r.speedup)
        r.process_speedups.push_back(c.speedup->median);
}

// ---- judge: verdicts, the "never slower" rule, failed verifications -> one exit code -----------

void judge(const bench_plan& plan, const std::optional<baseline>& before, bench_outcome& out) {
  const std::vector<variant_result>& results = out.run.results;
  if (before) out.verdicts = compare(out.run.machine, results, *before, plan.threshold);
  out.exit_code = out.verdicts ? exit_code(*out.verdicts) : exit_pass;
  for (const auto& r : results)
    if (r.kind != role::peer && r.status.rfind("failed", 0) == 0) {
      out.failed.push_back(r);
      out.exit_code = exit_regressed;  // a wrong kernel is worse than a slow one
    }
  // "Never slower", with or without a baseline: the ISA detection picked must not lose to the
  // reference or to a lower ISA (it is checked only when detection chose it: a forced ISA is the
  // user's choice).
  if (engram_active_isa_source() == ENGRAM_ISA_AUTO && !plan.child)
    out.slower = find_slower(out.run.machine.isa, results, plan.threshold);
  if (!out.slower.empty()) out.exit_code = exit_regressed;
}

}  // namespace

bench_outcome run_bench(const bench_plan& plan, std::ostream& log) {
  if (!(plan.threshold > 0 && plan.threshold < 1))
    throw std::invalid_argument("--threshold must be in (0, 1)");
  std::optional<baseline> before;
  if (!plan.baseline_file.empty()) {
    try {
      before = load_baseline(plan.baseline_file);
    } catch (const baseline_error& e) {
      throw std::invalid_argument(e.what());
    }
  }
  bench_outcome out;
  out.processes = processes_of(plan);
  out.options = plan.run;
  // Several processes share the time one would take: fewer repetitions each.
  if (out.processes > 1 && !plan.repetitions_given) out.options.repetitions = 8;
  if (out.processes > 1) {
    log << "bench: " << out.processes << " processes of " << out.options.repetitions
        << " repetitions; process 1\n";
    // Child processes inherit the environment: a forced gather policy reaches them.
    if (engram_active_gather_policy_source() != ENGRAM_ISA_AUTO)
      ::setenv("ENGRAM_KERN_GATHER", engram_active_gather_policy(), 1);
  }
  out.run = run_benchmarks(out.options, log);
  std::vector<variant_result>& results = out.run.results;
  // With a few repetitions per process, one process's sign-test interval is its extreme pairs,
  // and one disturbed repetition would set the noise floor of the whole run: pool the pairs.
  std::map<std::string, std::vector<double>> aa_pairs;  // workload -> pairs
  add_aa_pairs(out.run.machine.isa, results, aa_pairs);
  for (auto& r : results)
    if (r.speedup) r.process_speedups = {r.speedup->median};
  for (int p = 1; p < out.processes; ++p) {
    log << "bench: process " << p + 1 << " of " << out.processes << '\n';
    const baseline child = time_in_child(out.options, p);
    add_aa_pairs(out.run.machine.isa, child.results, aa_pairs);
    add_process_speedups(child.results, results);
  }
  for (auto& r : results)
    if (r.kind == role::aa && !aa_pairs[r.workload].empty())
      r.aa_ratio = median_interval(aa_pairs[r.workload]);
  judge(plan, before, out);
  return out;
}

baseline to_baseline(const bench_outcome& outcome) {
  baseline b;
  b.machine = outcome.run.machine;
  b.repetitions = outcome.options.repetitions;
  b.min_time_s = outcome.options.min_time_s;
  b.processes = outcome.processes;
  for (const auto& r : outcome.run.results)
    if (r.timed && r.status == "verified" &&
        (r.kind == role::reference || r.kind == role::isa || r.kind == role::aa))
      b.results.push_back(r);
  return b;
}

}  // namespace ek::bench
