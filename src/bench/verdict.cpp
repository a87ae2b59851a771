// verdict.cpp — the regression gate's decision rule (see docs/benchmarking.md, "Statistics").
#include "src/bench/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/dispatch.hpp"

namespace ek::bench {

std::string to_string(verdict_kind v) {
  switch (v) {
    case verdict_kind::improved:
      return "improved";
    case verdict_kind::inconclusive:
      return "inconclusive";
    case verdict_kind::regressed:
      return "regressed";
    default:
      return "pass";
  }
}

double noise_floor(const interval& aa) { return std::max(aa.high - 1, 1 - aa.low); }

verdict_kind decide(const interval& change, double floor, double threshold) {
  // A change must clear both the user's threshold and what an identical kernel showed in this
  // very run; otherwise noise alone could produce it.
  const double e = std::max(threshold, floor);
  if (change.high < -e) return verdict_kind::regressed;
  if (change.low > e) return verdict_kind::improved;
  if (floor > threshold) return verdict_kind::inconclusive;
  return verdict_kind::pass;
}

double aa_noise_floor(const std::vector<variant_result>& results, const std::string& workload) {
  for (const variant_result& a : results)
    if (a.kind == role::aa && a.workload == workload && a.aa_ratio) return noise_floor(*a.aa_ratio);
  return std::numeric_limits<double>::infinity();
}

comparison compare(const machine_info& here, const std::vector<variant_result>& now,
                   const baseline& before, double threshold) {
  comparison c;
  if (before.machine.key != here.key) {
    c.note = "no comparable baseline: it was recorded on " + before.machine.key +
             ", this machine is " + here.key;
    return c;
  }
  c.comparable = true;
  for (const variant_result& r : now) {
    if (r.kind != role::isa || !r.timed || r.process_speedups.empty()) continue;
    const auto old = std::find_if(before.results.begin(), before.results.end(), [&](const auto& b) {
      return b.workload == r.workload && b.variant == r.variant && !b.process_speedups.empty();
    });
    if (old == before.results.end()) continue;
    const double floor = aa_noise_floor(now, r.workload);
    // The process is the unit: repetitions inside one process share its data placement, so
    // treating them as replicates understates the run-to-run spread (docs/benchmarking.md).
    const interval ratio = shift_ratio_interval(r.process_speedups, old->process_speedups);
    const interval change{ratio.median - 1, ratio.low - 1, ratio.high - 1};
    verdict_kind kind = decide(change, floor, threshold);
    // The ratio also moves when the *reference* gets faster or slower — a rebuild that only moved
    // its loops once made spread/dense "regress" while the kernel's own median time was unchanged
    // (docs/benchmarking.md, "Statistics"). A kernel that really got slower (or faster) is so in
    // time too, so a verdict needs the kernel's median time beyond the same margin, in the same
    // direction.
    const double margin = std::max(threshold, floor);
    const double time_change = old->median_ns / r.median_ns - 1;  // negative: slower now
    if ((kind == verdict_kind::regressed && !(time_change < -margin)) ||
        (kind == verdict_kind::improved && !(time_change > margin)))
      kind = verdict_kind::pass;
    c.verdicts.push_back({r.workload, r.variant, kind, change, floor});
  }
  return c;
}

std::vector<slower_finding> find_slower(const std::string& picked_isa,
                                        const std::vector<variant_result>& results,
                                        double threshold) {
  auto usable = [](const variant_result& r) {
    return r.timed && r.status == "verified" && r.times_ns.size() >= 6;
  };
  // "Lower" is the build's order of ISAs (reference first, weakest to best), not the order of
  // --isa on the command line.
  const auto tables = kern::compiled_tables();
  auto rank = [&](const std::string& isa) {
    return std::find_if(tables.begin(), tables.end(),
                        [&](const kernel_table& t) { return isa == t.isa; }) -
           tables.begin();
  };
  const auto picked_rank = rank(picked_isa);
  std::vector<slower_finding> found;
  for (const variant_result& picked : results) {
    if (picked.kind != role::isa || picked.variant != picked_isa || !usable(picked)) continue;
    const double floor = aa_noise_floor(results, picked.workload);
    const double e = std::max(threshold, floor);
    for (const variant_result& lower : results) {
      if (lower.workload != picked.workload || !usable(lower) ||
          (lower.kind != role::reference && lower.kind != role::isa) ||
          rank(lower.variant) >= picked_rank)
        continue;
      const interval ratio = median_interval(paired_ratios(picked.times_ns, lower.times_ns));
      if (ratio.low > 1 + e)
        found.push_back({picked.workload, picked_isa, lower.variant, ratio, floor});
    }
  }
  return found;
}

int exit_code(const comparison& c) {
  bool inconclusive = false;
  for (const verdict& v : c.verdicts) {
    if (v.kind == verdict_kind::regressed) return 1;
    inconclusive |= v.kind == verdict_kind::inconclusive;
  }
  return inconclusive ? 3 : 0;
}

}  // namespace ek::bench
