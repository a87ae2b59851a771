// report.hpp — `engram-kern bench` output: a readable table, a Markdown table, or one JSON
// document that keeps Google Benchmark's context and benchmarks arrays unchanged.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "src/bench/runner.hpp"
#include "src/bench/verdict.hpp"

namespace ek::bench {

/// The JSON report: schema_version, machine, context, benchmarks, results, and with a baseline
/// `baseline` {file, comparable, note} and `verdicts`.
nlohmann::json report_json(const run_output& run, const std::optional<comparison>& verdicts,
                           const std::string& baseline_file);

/// One row per workload × variant (workload, variant, median, per unit, rate, speed-up with its
/// interval, roofline fraction, status, verdict); `markdown` selects GitHub table syntax.
std::string report_table(const run_output& run, const std::optional<comparison>& verdicts,
                         bool markdown);

}  // namespace ek::bench
