// report.cpp — rendering of bench results as table, Markdown or JSON.
#include "src/bench/report.hpp"
#include "src/harness/text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "src/bench/baseline.hpp"

namespace ek::bench {

namespace {

using nlohmann::json;

std::string fmt_rate(double v, const std::string& unit) {
  if (unit == "GB/s" || unit == "GFLOP/s") return harness::formatted("%.2f ", v) + unit;
  if (v >= 1e9) return harness::formatted("%.2f G", v / 1e9) + unit;
  if (v >= 1e6) return harness::formatted("%.2f M", v / 1e6) + unit;
  return harness::formatted("%.0f ", v) + unit;
}

const verdict* find_verdict(const std::optional<comparison>& c, const variant_result& r) {
  if (!c) return nullptr;
  for (const verdict& v : c->verdicts)
    if (v.workload == r.workload && v.variant == r.variant) return &v;
  return nullptr;
}

}  // namespace

json report_json(const run_output& run, const std::optional<comparison>& verdicts,
                 const std::string& baseline_file) {
  json results = json::array();
  for (const variant_result& r : run.results) {
    json e = {
        {"workload", r.workload},
        {"kernel", r.kernel},
        {"variant", r.variant},
        {"role", to_string(r.kind)},
        {"verified", r.status == "verified"},
        {"status", r.status},
        {"timed", r.timed},
        {"repetitions", r.times_ns.size()},
        {"times_ns", r.times_ns},
        {"median_ns", r.timed ? json(r.median_ns) : json()},
        {"mad_ns", r.timed ? json(r.mad_ns) : json()},
        {"unit", r.unit},
        {"per_unit", r.timed ? json(r.per_unit) : json()},
        {"rate_unit", r.rate_unit},
        {"rate", r.timed ? json(r.rate) : json()},
        {"speedup_vs_reference", r.speedup ? to_json(*r.speedup) : json()},
        {"speedup_vs_f32", r.vs_f32 ? to_json(*r.vs_f32) : json()},
        {"process_speedups", r.process_speedups},
        {"roofline_fraction", r.roofline_fraction ? json(*r.roofline_fraction) : json()},
        {"compute_roofline_fraction", r.compute_fraction ? json(*r.compute_fraction) : json()}};
    if (r.aa_ratio) {
      e["aa_ratio"] = to_json(*r.aa_ratio);
      e["noise_floor"] = noise_floor(*r.aa_ratio);
    }
    results.push_back(std::move(e));
  }
  json doc = {{"schema_version", schema_version},
              {"machine", to_json(run.machine)},
              {"context", run.context},
              {"benchmarks", run.benchmarks},
              {"results", std::move(results)}};
  if (verdicts) {
    doc["baseline"] = {
        {"file", baseline_file}, {"comparable", verdicts->comparable}, {"note", verdicts->note}};
    json v = json::array();
    for (const verdict& e : verdicts->verdicts)
      v.push_back({{"workload", e.workload},
                   {"variant", e.variant},
                   {"verdict", to_string(e.kind)},
                   {"change", to_json(e.change)},
                   {"noise_floor", std::isfinite(e.noise_floor) ? json(e.noise_floor) : json()}});
    doc["verdicts"] = std::move(v);
  }
  return doc;
}

std::string report_table(const run_output& run, const std::optional<comparison>& verdicts,
                         bool markdown) {
  std::vector<std::string> head = {"workload",          "variant",  "median", "per unit", "rate",
                                   "speed-up [95% CI]", "roofline", "status", "verdict"};
  // The compute roofline column only when some workload counts flops (batch, top-k).
  const bool compute = std::any_of(run.results.begin(), run.results.end(),
                                   [](const variant_result& r) { return r.compute_fraction; });
  if (compute) head.insert(head.begin() + 7, "FMA roof");
  // The f32 row's time over this row's, only when some workload stores compact candidates.
  const bool vs_f32 = std::any_of(run.results.begin(), run.results.end(),
                                  [](const variant_result& r) { return r.vs_f32; });
  if (vs_f32) head.insert(head.begin() + 6, "vs f32 [95% CI]");
  std::vector<std::vector<std::string>> rows;
  for (const variant_result& r : run.results) {
    std::vector<std::string> row = {r.workload, r.variant};
    if (r.timed) {
      row.push_back(harness::format_duration_ns(r.median_ns));
      row.push_back(harness::formatted(r.per_unit < 10 ? "%.3f " : "%.1f ", r.per_unit) + r.unit);
      row.push_back(fmt_rate(r.rate, r.rate_unit));
      row.push_back(
          r.speedup ? harness::format_speedup(r.speedup->median, r.speedup->low, r.speedup->high)
                    : "-");
      if (vs_f32)
        row.push_back(r.vs_f32
                          ? harness::format_speedup(r.vs_f32->median, r.vs_f32->low, r.vs_f32->high)
                          : "-");
      row.push_back(r.roofline_fraction ? harness::formatted("%.2f", *r.roofline_fraction) : "-");
      if (compute)
        row.push_back(r.compute_fraction ? harness::formatted("%.2f", *r.compute_fraction) : "-");
    } else {
      row.insert(row.end(), {"-", "-", "-", "-", "-"});
      if (compute) row.push_back("-");
      if (vs_f32) row.push_back("-");
    }
    std::string status = r.status;
    if (r.aa_ratio)
      status += harness::formatted(" (A/A %.3f..%.3f)", r.aa_ratio->low, r.aa_ratio->high);
    row.push_back(status);
    const verdict* v = find_verdict(verdicts, r);
    row.push_back(v ? to_string(v->kind) + " " +
                          harness::format_change(v->change.median, v->change.low, v->change.high)
                    : "");
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    width[i] = head[i].size();
    for (const auto& row : rows) width[i] = std::max(width[i], row[i].size());
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out << (markdown ? "| " : i ? "  " : "") << cells[i];
      if (markdown || i + 1 < cells.size()) out << std::string(width[i] - cells[i].size(), ' ');
      if (markdown) out << ' ';
    }
    out << (markdown ? "|\n" : "\n");
  };
  line(head);
  if (markdown) {
    std::vector<std::string> rule;
    for (size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
  }
  for (const auto& row : rows) line(row);
  if (verdicts && !verdicts->comparable) out << verdicts->note << '\n';
  return out.str();
}

}  // namespace ek::bench
