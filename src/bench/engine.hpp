// engine.hpp — a whole `engram-kern bench` invocation: runner.hpp's stages (select → prepare →
// verify → register → collect) in this process and in fresh child processes, then judge: the
// processes' A/A pairs pooled, their speed-ups merged, the baseline verdicts, the "never slower"
// rule and failed verifications turned into one exit code. The CLI parses and prints around it.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "src/bench/baseline.hpp"
#include "src/bench/runner.hpp"
#include "src/bench/verdict.hpp"

namespace ek::bench {

inline constexpr int exit_pass = 0;
inline constexpr int exit_regressed = 1;  // a regression, a slower picked ISA, a failed check
inline constexpr int exit_inconclusive = 3;

struct bench_plan {
  run_options run;
  bool repetitions_given = false;  // else several processes take fewer repetitions each
  int processes = 0;               // 0: 1 for a plain run, 3 with a baseline, 10 when saving one
  bool saves_baseline = false;
  std::string baseline_file;  // the baseline to compare with ("" = none)
  double threshold = 0.05;    // relative change that counts
  // This process is a child of another bench (it writes --child-results): it times, and its
  // parent judges.
  bool child = false;
};

struct bench_outcome {
  run_output run;  // this process's run; speed-ups and A/A ratios merged over every process
  int processes = 1;
  run_options options;                 // as run, repetitions resolved
  std::optional<comparison> verdicts;  // with a baseline
  std::vector<slower_finding> slower;
  std::vector<variant_result> failed;  // our variants that failed verification
  int exit_code = exit_pass;
};

/// Runs the plan: process 1 here, the others as fresh processes of this executable. Progress
/// goes to `log`. Throws std::invalid_argument for a bad option or input (a threshold outside
/// (0, 1), a baseline file that cannot be used — both before any timing —, or run_benchmarks's
/// checks) and std::runtime_error when a child process fails.
bench_outcome run_bench(const bench_plan& plan, std::ostream& log);

/// The baseline an outcome saves (--save-baseline, and a child's --child-results): its verified
/// results of our own variants, with the run's fingerprint and settings.
baseline to_baseline(const bench_outcome& outcome);

}  // namespace ek::bench
