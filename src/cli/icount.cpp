// icount.cpp — `engram-kern icount-driver` (hidden): one kernel call through the C ABI, for the
// instruction counts of the gate's deterministic layer. scripts/instructions.py runs it under
// `valgrind --tool=callgrind --toggle-collect=<entry point>`, so only that call is counted, not
// the start-up or the generation of its inputs (docs/benchmarking.md, "Instruction counts").
#include <gnu/libc-version.h>

#include <iostream>

#include "engram_kern.h"
#include "src/bench/against.hpp"
#include "src/cli/commands.hpp"

namespace ek::cli {

namespace {

struct icount_options {
  std::string workload = "decay/exponential/n10000";
  std::string isa = "reference";
  bool entry = false;      // print the entry point to collect, call nothing
  bool toolchain = false;  // print what the counts depend on, call nothing
};

int run_icount(const icount_options& o) {
  if (o.toolchain) {
    std::cout << "compiler " << __VERSION__ << "\nglibc " << gnu_get_libc_version() << '\n';
    return exit_ok;
  }
  const auto specs = bench::select_workloads({o.workload}, {});
  if (specs.empty()) throw usage_error("no workload " + o.workload);
  const std::string entry = bench::abi_entry_point(specs.front()->kernel());
  if (entry.empty()) throw usage_error(o.workload + ": not a C ABI call");
  if (o.entry) {
    std::cout << entry << '\n';
    return exit_ok;
  }
  const auto w = bench::prepare(*specs.front(), bench::workload_seed);
  const bench::abi_calls c = bench::calls_through(*w, bench::linked_abi());
  if (engram_set_isa(o.isa.c_str()) != ENGRAM_OK)
    throw usage_error("ISA " + o.isa + " does not run here");
  std::vector<float> out(w->output_size);
  if (c.calls.restore) c.calls.restore(out.data());
  c.calls.call(out.data());  // the one call Callgrind collects
  std::cout << entry << ' ' << engram_active_isa() << ' ' << out.front() << '\n';
  return exit_ok;
}

}  // namespace

void register_icount(CLI::App& root, session&, std::vector<command>& commands) {
  auto o = std::make_shared<icount_options>();
  CLI::App* sub = root.add_subcommand("icount-driver", "One kernel call (for Callgrind)");
  sub->group("");  // a tool of scripts/instructions.py, not of users
  sub->add_option("--workload", o->workload, "A named cosine, decay or spread workload");
  sub->add_option("--isa", o->isa, "The ISA to force");
  sub->add_flag("--entry", o->entry, "Print the C ABI entry point to collect");
  sub->add_flag("--toolchain", o->toolchain, "Print the compiler and glibc versions");
  commands.push_back({sub, [o] { return run_icount(*o); }});
}

}  // namespace ek::cli
