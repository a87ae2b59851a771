// commands.hpp — the subcommands of engram-kern. Each subcommand file defines one register_*
// function that adds its CLI11 subcommand (with add_common_options) and appends the code to run
// when it is chosen; main.cpp calls every register_* and runs the chosen one.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "src/cli/common.hpp"

namespace ek::cli {

struct command {
  CLI::App* app;             // the parsed subcommand
  std::function<int()> run;  // returns an exit code; throws usage_error / input_error for 2
};

void register_info(CLI::App& root, session& s, std::vector<command>& commands);
void register_gen(CLI::App& root, session& s, std::vector<command>& commands);
void register_run(CLI::App& root, session& s, std::vector<command>& commands);
void register_bench(CLI::App& root, session& s, std::vector<command>& commands);
void register_verify(CLI::App& root, session& s, std::vector<command>& commands);
void register_report(CLI::App& root, session& s, std::vector<command>& commands);
void register_icount(CLI::App& root, session& s, std::vector<command>& commands);

}  // namespace ek::cli
