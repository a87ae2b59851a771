// runner.hpp — one process's `engram-kern bench` run, in stages: select the workloads and ISAs,
// prepare every variant on every workload, verify each against the reference, register the
// verified ones with Google Benchmark at run time (run with random interleaving), and collect
// every repetition into medians, paired speed-ups, units and roofline fractions.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "src/bench/results.hpp"
#include "src/bench/workloads.hpp"

namespace ek::bench {

struct run_options {
  std::vector<kernel_id> kernels;      // empty = all
  std::vector<std::string> workloads;  // empty = the default set
  std::vector<std::string> isas;       // optimized ISAs to time; empty = every runnable one
  bool peers = false;
  int repetitions = 15;
  double min_time_s = 0.05;  // per repetition
  // Test only (hidden `--test-slowdown N`): the active ISA and its A/A copy call their kernel N
  // times per timed call, so the "never slower" rule can be shown failing (docs/benchmarking.md).
  int test_slowdown = 1;
};

struct run_output {
  machine_info machine;
  nlohmann::json context;     // Google Benchmark's "context", unchanged
  nlohmann::json benchmarks;  // Google Benchmark's "benchmarks", unchanged
  std::vector<variant_result> results;
};

/// The fingerprint of this process: CPU, the active ISA, compiler, flags, library versions.
machine_info this_machine();

/// Runs the benchmarks; progress goes to `log`. Throws std::invalid_argument for a bad option
/// (unknown workload or ISA, too few repetitions). Call once per process: Google Benchmark's
/// flags and custom context are process-wide.
run_output run_benchmarks(const run_options& options, std::ostream& log);

}  // namespace ek::bench
