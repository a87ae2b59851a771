// gen.cpp — `engram-kern gen`: writes one seeded workload to a safetensors file. The same flags
// and seed give a byte-identical file.
#include <iostream>
#include <memory>

#include "src/cli/commands.hpp"
#include "src/cli/workload_options.hpp"

namespace ek::cli {

namespace {

struct gen_options {
  workload_options workload;
  std::string output;
};

int run_gen(session& s, const gen_options& o) {
  apply_isa(s);
  const harness::loaded_workload w = generate(o.workload);
  harness::save_workload(o.output, w);
  s.doc["kernel"] = harness::to_string(w.kernel);
  s.doc["family"] = w.meta.family;
  s.doc["seed"] = *w.meta.seed;
  s.doc["output"] = o.output;
  if (!s.json())
    std::cout << "wrote " << o.output << " (" << harness::to_string(w.kernel) << ", "
              << w.meta.family << ", seed " << *w.meta.seed << ")\n";
  return exit_ok;
}

}  // namespace

void register_gen(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<gen_options>();
  CLI::App* sub = root.add_subcommand("gen", "Write a seeded workload to a safetensors file");
  add_workload_options(*sub, o->workload, true);
  sub->add_option("-o,--output", o->output, "Workload file to write")->required();
  add_common_options(*sub, s);
  commands.push_back({sub, [&s, o] { return run_gen(s, *o); }});
}

}  // namespace ek::cli
