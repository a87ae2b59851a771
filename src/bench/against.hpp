// against.hpp — `engram-kern bench --against LIB`: the baseline is a commit. The same workloads
// are timed through the C ABI of two builds of the library in one process — this build (a copy
// of its shared library) and LIB, each in its own linker namespace — interleaved repetition by
// repetition, for the reference and every ISA forced in each copy; a third copy of this build
// gives every variant its A/A noise floor (docs/benchmarking.md, "The baseline is a commit").
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "src/bench/abi.hpp"
#include "src/bench/results.hpp"
#include "src/bench/verdict.hpp"
#include "src/bench/workloads.hpp"

namespace ek::bench {

/// One workload's call through a library's C ABI: `calls.call` is empty when the library lacks
/// the kernel's entry point (and for recall, which is no C ABI call). A spreading graph belongs to
/// the library that created it. Throws std::runtime_error when the library refuses the graph.
struct abi_calls {
  variant_calls calls;
  std::shared_ptr<engram_graph> graph;
};
abi_calls calls_through(const prepared_workload& w, const abi_functions& f);

/// The C ABI function a workload calls ("engram_apply_decay", "engram_vector_topk_i8", ...); ""
/// for recall.
std::string abi_entry_point(const workload_spec& spec);

struct against_plan {
  std::string base;                // LIB: the build to compare with
  std::string current;             // this build's shared library ("" = library_beside_executable())
  std::vector<kernel_id> kernels;  // empty = all
  std::vector<std::string> workloads;  // empty = the default set
  std::vector<std::string> isas;       // optimized ISAs; empty = every one this CPU runs
  // Many short repetitions: the sign-test interval of 30 pairs (ranks 10..21) is narrower than
  // that of 15 longer ones, for the same time (docs/benchmarking.md, "The A/B").
  int repetitions = 30;
  double min_time_s = 0.01;  // per repetition and side
  double threshold = 0.05;
};

/// One workload × variant. `status` is "timed", or why not: "not in base" (LIB lacks the entry
/// point), "not runnable in base", "not through the C ABI" (recall), "base breaks the contract:
/// …" (LIB's output fails today's check), "failed: …" (this build's output does).
struct against_row {
  std::string workload, kernel, variant, status;
  std::vector<double> new_ns, old_ns, aa_ns;  // per repetition: median call of each side
  double new_median_ns = 0, old_median_ns = 0;
  interval ratio;   // new / old time, pair by pair (> 1: slower now)
  interval aa;      // new / its copy's time: the A/A pair
  interval change;  // old / new - 1 (negative: slower now), the scale of `decide`
  double noise_floor = 0;
  verdict_kind kind = verdict_kind::pass;
  bool timed() const { return status == "timed"; }
};

struct against_outcome {
  machine_info machine;
  std::string base, current, base_version, current_version;
  int repetitions = 0;
  double min_time_s = 0, threshold = 0;
  std::vector<against_row> rows;
  int exit_code = 0;  // 1: regressed or a failed check of this build; 3: inconclusive; else 0
};

/// "unchanged" for verdict_kind::pass, else to_string(kind).
std::string against_verdict_name(verdict_kind k);

/// Loads both builds (and the A/A copy), verifies every variant of both against this build's
/// reference, then times. Progress goes to `log`. Throws std::invalid_argument for a bad option
/// and std::runtime_error when a library cannot be loaded.
against_outcome run_against(const against_plan& plan, std::ostream& log);

/// One row per workload × variant: old and new median, ratio new/old [95 %], A/A floor, verdict.
std::string against_table(const against_outcome& out, bool markdown);
nlohmann::json against_json(const against_outcome& out);

}  // namespace ek::bench
