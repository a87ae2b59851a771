// report.hpp — `engram-kern report`: reads the JSON documents `engram-kern bench --format json`
// writes (untrusted input: validated, every string escaped on output) and renders them as one
// self-contained HTML page with tables and inline SVG charts, or as a Markdown page.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/bench/stats.hpp"

namespace ek::report {

using bench::interval;  // the bench document's intervals, read back

/// One results[] row of a bench document.
struct result_row {
  std::string workload, kernel, variant, role, status, unit;
  bool verified = false;
  std::optional<double> median_ns, per_unit, roofline_fraction;
  std::optional<interval> speedup;  // speedup_vs_reference
};

/// One verdicts[] row: the change of a speed-up against the baseline.
struct verdict_row {
  std::string workload, variant, verdict;
  interval change;
};

/// One bench document, as far as the report uses it.
struct bench_run {
  std::string source;  // the file it came from
  std::string machine_key, cpu, isa, compiler, flags;
  std::vector<std::pair<std::string, std::string>> libraries;
  std::string date, host;  // from Google Benchmark's context (empty when absent)
  std::vector<result_row> results;
  std::optional<std::string> baseline_note;  // "file: note" when the run had a baseline
  std::vector<verdict_row> verdicts;
};

/// Checks the fields the report uses (schema_version 1, machine, results[], optional verdicts[])
/// and converts. Throws std::invalid_argument starting with `source`.
bench_run parse_bench_run(const nlohmann::json& doc, const std::string& source);

/// Reads and parses `path`; every failure (unreadable, not JSON, wrong shape) is a
/// std::invalid_argument naming the file.
bench_run load_bench_run(const std::string& path);

/// The HTML page: per run a header (machine, date, `command`), the charts — speed-up over the
/// reference with its 95 % interval, ns per unit against the roofline, peers beside our best
/// ISA, baseline changes — and the tables. No external resource of any kind.
std::string render_html(const std::vector<bench_run>& runs, const std::string& command);

/// The same content as Markdown tables (docs/performance-report.md).
std::string render_markdown(const std::vector<bench_run>& runs, const std::string& command);

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(const std::string& s);

}  // namespace ek::report
