// verify.cpp — `engram-kern verify`: differential testing of every kernel × runnable ISA against
// the reference (src/verify), or replay of saved failures. Exit 0 pass, 1 mismatch, 2 usage or
// input error; with --format json one document on every exit (docs/verify.md).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "kernels/dispatch.hpp"
#include "src/cli/commands.hpp"
#include "src/verify/report.hpp"
#include "src/verify/verify.hpp"

namespace ek::cli {

namespace {

struct verify_options {
  std::vector<std::string> kernels;
  std::vector<std::string> isas;
  uint64_t seed = 0;
  uint64_t cases = 0;
  double time_budget = verify::default_time_budget_seconds;
  std::string save_dir;
  std::vector<std::string> replay;
};

// Every --isas must name a table this build has and this CPU runs; none means all runnable ones.
std::vector<const kernel_table*> tables_for(const std::vector<std::string>& isas) {
  std::vector<const kernel_table*> tables;
  for (const std::string& isa : isas.empty() ? kern::runnable_isas() : isas) {
    const kernel_table* t = kern::runnable_table(isa);
    if (t == nullptr) throw usage_error(kern::refused_isa_message("--isas " + isa, isa));
    tables.push_back(t);
  }
  return tables;
}

std::string default_save_dir(uint64_t seed) {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  return (base / ("engram-kern-verify-" + std::to_string(seed))).string();
}

int run_verify(session& s, const verify_options& o, bool seed_given) {
  apply_isa(s);  // --gather, and the refusal of a bad ENGRAM_KERN_ISA / ENGRAM_KERN_GATHER
  const std::vector<const kernel_table*> tables = tables_for(o.isas);
  verify::report rep;
  if (!o.replay.empty()) {
    rep = verify::replay(o.replay, tables, &std::cerr);
  } else {
    verify::options v;
    for (const std::string& k : o.kernels) v.kernels.push_back(harness::parse_kernel_kind(k));
    if (v.kernels.empty())
      v.kernels.assign(std::begin(verify::all_kernels), std::end(verify::all_kernels));
    v.tables = tables;
    v.seed = announce_seed(seed_given, o.seed);
    s.doc["seed"] = v.seed;
    v.cases = o.cases;
    v.time_budget_seconds = o.time_budget;
    v.save_dir = o.save_dir.empty() ? default_save_dir(v.seed) : o.save_dir;
    v.log = &std::cerr;
    if (!s.json()) std::cout << "verify: seed " << v.seed << "\n";
    rep = verify::run(v);
  }
  s.doc.update(verify::to_json(rep));
  if (!s.json()) verify::print_table(std::cout, rep);
  return rep.passed() ? exit_ok : exit_failure;
}

}  // namespace

void register_verify(CLI::App& root, session& s, std::vector<command>& commands) {
  auto o = std::make_shared<verify_options>();
  CLI::App* sub = root.add_subcommand(
      "verify", "Differential testing of every kernel x runnable ISA against the reference");
  sub->add_option("--kernel", o->kernels, "Kernel to test (repeatable; default: all)")
      ->check(CLI::IsMember({"cosine", "decay", "spread", "batch", "topk", "cosine_bf16",
                             "cosine_i8", "topk_bf16", "topk_i8"}));
  // --isas, not --isa: elsewhere --isa forces the active ISA, and verify never does (it calls
  // each table directly). "--isa" is kept as a deprecated alias.
  sub->add_option("--isas,--isa", o->isas,
                  "ISAs to test (repeatable; default: every ISA this CPU runs; --isa is a "
                  "deprecated alias): " +
                      kern::known_isa_names());
  CLI::Option* seed =
      sub->add_option("--seed", o->seed, "Seed of the case sweep (default: random)");
  CLI::Option* cases =
      sub->add_option("--cases", o->cases, "Cases per kernel (instead of a time budget)")
          ->check(CLI::PositiveNumber);
  sub->add_option("--time-budget", o->time_budget, "Seconds to spend (default: 20)")
      ->check(CLI::PositiveNumber)
      ->excludes(cases);
  sub->add_option("--save-failures", o->save_dir,
                  "Directory for shrunk failing cases (default: $TMPDIR/engram-kern-verify-SEED)");
  sub->add_option("--replay", o->replay, "Replay a saved case file instead of a sweep (repeatable)")
      ->excludes(seed)
      ->excludes(cases);
  sub->add_option("--format", s.format, "Output format: table, or one JSON document on stdout")
      ->check(CLI::IsMember({"table", "json"}));
  add_gather_option(*sub, s);
  // A usage error is reported before run_verify starts; the document still carries the fields.
  sub->preparse_callback([&s](size_t) {
    s.doc["seed"] = nullptr;
    s.doc["passed"] = false;
    s.doc["results"] = nlohmann::json::array();
  });
  commands.push_back({sub, [&s, o, seed] { return run_verify(s, *o, seed->count() > 0); }});
}

}  // namespace ek::cli
