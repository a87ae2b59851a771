// report.cpp — `engram-kern report RESULTS.json… -o report.html`: renders bench --format json
// documents as one self-contained HTML page (src/report), and optionally as Markdown.
#include <fstream>
#include <iostream>
#include <memory>

#include "src/cli/commands.hpp"
#include "src/report/report.hpp"

namespace ek::cli {

namespace {

struct report_options {
  std::vector<std::string> inputs;
  std::string output;
  std::string markdown;
  std::string command;
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw usage_error(path + ": cannot write");
}

int run_report(session& s, const report_options& o) {
  apply_isa(s);
  std::vector<report::bench_run> runs;
  for (const auto& path : o.inputs) runs.push_back(report::load_bench_run(path));
  write_file(o.output, report::render_html(runs, o.command));
  if (!o.markdown.empty()) write_file(o.markdown, report::render_markdown(runs, o.command));
  s.doc["inputs"] = o.inputs;
  s.doc["output"] = o.output;
  s.doc["markdown"] = o.markdown.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.markdown);
  if (!s.json())
    std::cout << "wrote " << o.output << (o.markdown.empty() ? "" : " and ") << o.markdown << '\n';
  return exit_ok;
}

}  // namespace

void register_report(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<report_options>();
  CLI::App* sub = root.add_subcommand(
      "report", "Render bench --format json results as one self-contained HTML page with charts");
  sub->add_option("results", o->inputs, "bench --format json documents")->required();
  sub->add_option("-o,--output", o->output, "HTML file to write")->required();
  sub->add_option("--markdown", o->markdown, "Also write the tables as Markdown to this file");
  sub->add_option("--command", o->command, "The bench command line, shown in the header");
  sub->add_option("--format", s.format, "Output format: table, or one JSON document on stdout")
      ->check(CLI::IsMember({"table", "json"}));
  commands.push_back({sub, [&s, o] { return run_report(s, *o); }});
}

}  // namespace ek::cli
