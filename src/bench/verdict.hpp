// verdict.hpp — comparing a run with a baseline: the change in each paired speed-up, its 95 %
// interval, and a verdict that is "regressed" only when the whole interval says so.
#pragma once

#include <string>
#include <vector>

#include "src/bench/baseline.hpp"
#include "src/bench/results.hpp"

namespace ek::bench {

enum class verdict_kind { pass, improved, inconclusive, regressed };
std::string to_string(verdict_kind v);

struct verdict {
  std::string workload;
  std::string variant;
  verdict_kind kind = verdict_kind::pass;
  interval change;     // speed-up now / speed-up in the baseline - 1 (negative = slower)
  double noise_floor;  // this workload's A/A floor in this run (relative; +inf if not measured)
};

struct comparison {
  bool comparable = false;
  std::string note;  // why not comparable ("no comparable baseline: ...")
  std::vector<verdict> verdicts;
};

/// The A/A noise floor: how far from 1 the interval of an identical kernel's ratio reaches.
double noise_floor(const interval& aa);

/// The noise floor of `workload`'s A/A row in `results`; +inf when it has none.
double aa_noise_floor(const std::vector<variant_result>& results, const std::string& workload);

/// With e = max(threshold, floor): regressed when change.high < -e, improved when change.low > e,
/// otherwise inconclusive when the floor is wider than the threshold, otherwise pass.
verdict_kind decide(const interval& change, double floor, double threshold);

/// Verdicts for every optimized-ISA variant timed both now and in `before` (peers, the A/A copy
/// and the reference are not gated), from the per-process speed-ups of the two (Hodges–Lehmann
/// shift with its Mann–Whitney interval). A baseline with another machine key is not comparable.
comparison compare(const machine_info& here, const std::vector<variant_result>& now,
                   const baseline& before, double threshold);

/// 1 if anything regressed, else 3 if anything is inconclusive, else 0.
int exit_code(const comparison& c);

/// "Never slower": the ISA detection picked is slower than the reference or than a lower ISA.
struct slower_finding {
  std::string workload;
  std::string isa;   // the picked ISA
  std::string than;  // "reference" or the lower ISA
  interval ratio;    // picked ISA's time / the other's, pair by pair (> 1: slower)
  double noise_floor;
};

/// For every workload, the picked ISA's paired time ratio against the reference and every timed
/// ISA below it in the build's order (kern::compiled_tables): a finding when the whole 95 %
/// interval lies above 1 + max(threshold, the workload's A/A floor). Nothing for unverified or
/// untimed rows.
std::vector<slower_finding> find_slower(const std::string& picked_isa,
                                        const std::vector<variant_result>& results,
                                        double threshold);

}  // namespace ek::bench
