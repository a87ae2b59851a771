// main.cpp — engram-kern: registers the subcommands, parses, runs the chosen one, and keeps the
// output promise: with --format json exactly one JSON document on stdout on every exit. Every
// exception ends here as exit 2 with a one-line message: no input may abort the tool.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "src/cli/commands.hpp"
#include "src/harness/json_text.hpp"
#include "src/harness/safetensors.hpp"

namespace {

using ek::cli::session;

// --format is known only after parsing, but a parse error must still honour it: look for it.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--format=json") == 0) return true;
    if (std::strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
        std::strcmp(argv[i + 1], "json") == 0)
      return true;
  }
  return false;
}

int finish(session& s, int code, std::string error) {
  std::replace(error.begin(), error.end(), '\n', ' ');
  if (!error.empty()) std::cerr << "engram-kern: " << error << '\n';
  // Arguments, paths and quoted file bytes may be invalid UTF-8: json_text replaces them.
  if (s.json()) std::cout << ek::harness::json_text(ek::cli::envelope(s, code, error), 2) << '\n';
  return code;
}

// Parses and runs the chosen subcommand; its exceptions are main's to turn into exit 2.
int run_tool(session& s, int argc, char** argv) {
  CLI::App app("engram-kern: generate, run, verify and benchmark the engram-kern kernels",
               "engram-kern");
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");
  app.add_option("--format", s.format, "Output format (also accepted after the subcommand)")
      ->check(CLI::IsMember({"table", "json"}));
  std::vector<ek::cli::command> commands;
  ek::cli::register_info(app, s, commands);
  ek::cli::register_gen(app, s, commands);
  ek::cli::register_run(app, s, commands);
  ek::cli::register_bench(app, s, commands);
  ek::cli::register_verify(app, s, commands);
  ek::cli::register_report(app, s, commands);
  ek::cli::register_icount(app, s, commands);
  ek::cli::refuse_empty_and_negative_values(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (wants_json(argc, argv)) s.format = "json";
    return finish(s, ek::cli::exit_error, std::string(e.what()) + " (see --help)");
  }
  if (version) {
    s.command = "version";
    s.doc["version"] = engram_version_string();
    if (!s.json()) std::cout << ek::cli::tool_version() << '\n';
    return finish(s, ek::cli::exit_ok, "");
  }
  for (const auto& c : commands) {
    if (!c.app->parsed()) continue;
    s.command = c.app->get_name();
    return finish(s, c.run(), "");
  }
  return finish(s, ek::cli::exit_error, "a subcommand is required (see --help)");
}

}  // namespace

int main(int argc, char** argv) {
  session s;
  try {
    return run_tool(s, argc, argv);
  } catch (const ek::cli::usage_error& e) {
    return finish(s, ek::cli::exit_error, e.what());
  } catch (const ek::harness::input_error& e) {
    return finish(s, ek::cli::exit_error, e.what());
  } catch (const std::invalid_argument& e) {
    return finish(s, ek::cli::exit_error, e.what());
  } catch (const std::exception& e) {
    return finish(s, ek::cli::exit_error, std::string("internal error: ") + e.what());
  } catch (...) {
    return finish(s, ek::cli::exit_error, "internal error: an exception of unknown type");
  }
}
