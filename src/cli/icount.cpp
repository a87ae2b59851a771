// icount.cpp — `engram-kern icount-driver` (hidden): one kernel call per named workload through
// the C ABI, for the instruction counts of the gate's deterministic layer. scripts/instructions.py
// runs it under `valgrind --tool=callgrind --collect-atstart=no`; Callgrind's client requests
// collect the call alone, not the start-up or the generation of its inputs, and dump each call's
// count under the workload's name (docs/benchmarking.md, "Instruction counts").
#include <gnu/libc-version.h>
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define EK_HAVE_CALLGRIND 1
#endif

#include <iostream>

#include "engram_kern.h"
#include "src/bench/against.hpp"
#include "src/cli/commands.hpp"

namespace ek::cli {

namespace {

struct icount_options {
  std::vector<std::string> workloads;
  std::string isa = "reference";
  bool entry = false;      // print the entry point to collect, call nothing
  bool toolchain = false;  // print what the counts depend on, call nothing
};

int run_icount(const icount_options& o) {
  if (o.toolchain) {
    std::cout << "compiler " << __VERSION__ << "\nglibc " << gnu_get_libc_version() << '\n';
    return exit_ok;
  }
#ifndef EK_HAVE_CALLGRIND
  if (!o.entry) throw usage_error("built without valgrind/callgrind.h: no counts");
#endif
  if (engram_set_isa(o.isa.c_str()) != ENGRAM_OK)
    throw usage_error("ISA " + o.isa + " does not run here");
  for (const bench::workload_spec* spec : bench::select_workloads(o.workloads, {})) {
    const std::string entry = bench::abi_entry_point(*spec);
    if (entry.empty()) throw usage_error(spec->name + ": not a C ABI call");
    if (o.entry) {
      std::cout << spec->name << ' ' << entry << '\n';
      continue;
    }
    const auto w = bench::prepare(*spec, bench::workload_seed);
    const bench::abi_calls c = bench::calls_through(*w, bench::linked_abi());
    std::vector<float> out(w->output_size);
    if (c.calls.restore) c.calls.restore(out.data());
#ifdef EK_HAVE_CALLGRIND
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
    c.calls.call(out.data());  // the one call Callgrind collects
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(spec->name.c_str());
#endif
    std::cout << spec->name << ' ' << entry << ' ' << engram_active_isa() << '\n';
  }
  return exit_ok;
}

}  // namespace

void register_icount(CLI::App& root, session&, std::vector<command>& commands) {
  auto o = std::make_shared<icount_options>();
  CLI::App* sub = root.add_subcommand("icount-driver", "One kernel call (for Callgrind)");
  sub->group("");  // a tool of scripts/instructions.py, not of users
  sub->add_option("--workload", o->workloads,
                  "Named cosine, decay or spread workloads (repeatable; default: the default set)");
  sub->add_option("--isa", o->isa, "The ISA to force");
  sub->add_flag("--entry", o->entry, "Print each workload's C ABI entry point, call nothing");
  sub->add_flag("--toolchain", o->toolchain, "Print the compiler and glibc versions");
  commands.push_back({sub, [o] { return run_icount(*o); }});
}

}  // namespace ek::cli
