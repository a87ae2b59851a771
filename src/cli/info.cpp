// info.cpp — `engram-kern info`: the CPU, the ISAs this build has and this machine runs, the
// active ISA and how it was chosen, the build and the library versions.
#include <iostream>

#include "engram_kern.h"
#include "kernels/cpu.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/isa.hpp"
#include "src/cli/commands.hpp"

namespace ek::cli {

namespace {

// "sse4_2: -msse4.2 -mpopcnt, avx2: -mavx2 -mfma, ...": the registry's flags of every ISA built.
std::string isa_flags() {
  std::string text;
  for (const auto& t : kern::compiled_tables())
    if (const kern::isa_info* isa = kern::find_isa(t.isa))
      text += (text.empty() ? "" : ", ") + std::string(isa->name) + ": " + isa->flags;
  return text;
}

int run_info(session& s) {
  // An ISA that cannot run is reported in the document too, so a bad ENGRAM_KERN_ISA shows up.
  const bool bad_env =
      (s.isa.empty() && engram_active_isa_source() == ENGRAM_ISA_ENV_BAD) ||
      (s.gather.empty() && engram_active_gather_policy_source() == ENGRAM_ISA_ENV_BAD) ||
      kern::active_prefetch_source() == ENGRAM_ISA_ENV_BAD ||
      kern::active_quotient_source() == ENGRAM_ISA_ENV_BAD;
  if (!bad_env) apply_isa(s);
  const auto& cpu = kern::cpu();
  nlohmann::json& d = s.doc;
  d["cpu"] = {{"vendor", cpu.vendor},     {"brand", cpu.brand},
              {"family", cpu.family},     {"model", cpu.model},
              {"stepping", cpu.stepping}, {"features", cpu.features.names()}};
  std::vector<std::string> compiled;
  for (const auto& t : kern::compiled_tables()) compiled.emplace_back(t.isa);
  d["isas_compiled"] = compiled;
  d["isas_runnable"] = kern::runnable_isas();
  d["isa_active"] = engram_active_isa();
  d["isa_source"] = isa_source_name();
  d["overridden"] = engram_active_isa_source() != ENGRAM_ISA_AUTO;
  d["gather_policy"] = engram_active_gather_policy();
  d["gather_policy_source"] = gather_source_name();
  d["prefetch_rule"] = kern::prefetch_rule_name(kern::active_prefetch_rule());
  d["prefetch_rule_source"] = prefetch_source_name();
  d["quotient_rule"] = kern::quotient_rule_name(kern::active_quotient_rule());
  d["quotient_rule_source"] = quotient_source_name();
  d["build"] = {{"compiler", EK_BUILD_COMPILER},
                {"build_type", EK_BUILD_TYPE},
                {"cxx_flags", EK_BUILD_CXX_FLAGS},
                {"isa_flags", isa_flags()}};
  d["versions"] = {{"engram_kern", engram_version_string()},
                   {"xsimd", EK_XSIMD_VERSION},
                   {"cli11", CLI11_VERSION},
                   {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
  if (!s.json()) {
    auto join = [](const nlohmann::json& list) {
      std::string out;
      for (const auto& x : list) {
        if (!out.empty()) out += ' ';
        out += x.get<std::string>();
      }
      return out;
    };
    std::cout << "cpu            " << cpu.brand << " (" << cpu.vendor << ", family " << cpu.family
              << " model " << cpu.model << " stepping " << cpu.stepping << ")\n"
              << "features       " << join(d["cpu"]["features"]) << '\n'
              << "isas compiled  " << join(d["isas_compiled"]) << '\n'
              << "isas runnable  " << join(d["isas_runnable"]) << '\n'
              << "isa active     " << engram_active_isa() << " (" << isa_source_name() << ")\n"
              << "gather policy  " << engram_active_gather_policy() << " (" << gather_source_name()
              << ")\n"
              << "prefetch rule  " << kern::prefetch_rule_name(kern::active_prefetch_rule()) << " ("
              << prefetch_source_name() << ")\n"
              << "quotient rule  " << kern::quotient_rule_name(kern::active_quotient_rule()) << " ("
              << quotient_source_name() << ")\n"
              << "compiler       " << EK_BUILD_COMPILER << " (" << EK_BUILD_TYPE << ")\n"
              << "isa flags      " << isa_flags() << '\n'
              << "versions       engram-kern " << engram_version_string() << ", xsimd "
              << EK_XSIMD_VERSION << ", CLI11 " << CLI11_VERSION << '\n';
  }
  if (bad_env) apply_isa(s);  // throws: exit 2 with the one-line reason, after the report
  return exit_ok;
}

}  // namespace

void register_info(CLI::App& root, session& s, std::vector<command>& commands) {
  CLI::App* sub =
      root.add_subcommand("info", "CPU, ISAs (compiled, runnable, active), build, versions");
  add_common_options(*sub, s);
  commands.push_back({sub, [&s] { return run_info(s); }});
}

}  // namespace ek::cli
