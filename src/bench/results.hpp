// results.hpp — what one `engram-kern bench` run measured: the machine it ran on and one result
// per workload × variant. Shared by the runner, the baseline file, the verdicts and the reports.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/bench/stats.hpp"

namespace ek::bench {

/// The machine fingerprint. `key` alone decides whether two runs are comparable.
struct machine_info {
  std::string key;     // "<vendor>-<family>-<model>-<isa>", e.g. "GenuineIntel-6-207-avx512"
  std::string vendor;  // CPUID vendor string ("unknown" off x86)
  unsigned family = 0;
  unsigned model = 0;
  std::string cpu;                               // brand string
  std::string isa;                               // the dispatched (active) ISA
  std::string compiler;                          // e.g. "GCC 12.2.0"
  std::string flags;                             // build type and C++ flags of this build
  std::map<std::string, std::string> libraries;  // name -> version
};

/// "<vendor>-<family>-<model>-<isa>": the baseline file name under baselines/ (plus ".json").
std::string machine_key(const std::string& vendor, unsigned family, unsigned model,
                        const std::string& isa);

/// Variant roles: the reference, an optimized ISA, the A/A copy of the active ISA, a peer library,
/// a roofline probe (the batch, top-k and conversion workloads show their probes as rows), and
/// the f32 row of a workload on compact candidates (the active ISA's f32 kernel on the floats
/// they were converted from; not gated, not saved in baselines).
enum class role { reference, isa, aa, peer, probe, f32 };
std::string to_string(role r);

struct variant_result {
  std::string workload;
  std::string kernel;   // cosine | decay | spread
  std::string variant;  // "reference", an ISA name, "<isa>/aa", or a peer ("openblas", ...)
  role kind = role::isa;
  // "verified"; "failed: <why>" (ours: not timed); "differs: <why>" (peers: timed, flagged);
  // "skipped: <why>" (not run).
  std::string status;
  bool timed = false;
  std::vector<double> times_ns;  // one per repetition, ns per call, in repetition order
  double median_ns = 0;
  double mad_ns = 0;
  std::string unit;  // "ns/candidate", "ns/memory", "ns/edge"
  double per_unit = 0;
  std::string rate_unit;  // "GB/s", "memories/s", "edges/s"
  double rate = 0;
  std::vector<double> speedups;     // reference time / this time, pair by pair
  std::optional<interval> speedup;  // their median and 95 % interval
  // The median speed-up of each process that timed this variant (`bench --processes`): the unit
  // the baseline gate compares, since a process can be slower or faster as a whole (data
  // placement), which no pairing inside it can see.
  std::vector<double> process_speedups;
  std::optional<double> roofline_fraction;
  // Batch and top-k: this row's GFLOP/s over the FMA probe's, measured in the same run (the
  // compute roofline; docs/benchmarking.md).
  std::optional<double> compute_fraction;
  // Workloads on compact candidates: the f32 row's time over this one's, pair by pair — what the
  // compact type gains over floats on the same candidates, in the same run.
  std::optional<interval> vs_f32;
  // A/A row only: the active ISA's time over this copy's, pair by pair — the run's noise floor.
  std::optional<interval> aa_ratio;
};

}  // namespace ek::bench
