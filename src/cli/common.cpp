// common.cpp — session options, the ISA override and its error messages, seeds and logs.
#include "src/cli/common.hpp"

#include <cstdlib>
#include <iostream>
#include <random>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"

namespace ek::cli {

nlohmann::json envelope(const session& s, int code, const std::string& error) {
  nlohmann::json doc = s.doc;
  doc["schema_version"] = json_schema_version;
  doc["command"] = s.command;
  doc["exit_code"] = code;
  if (!error.empty()) doc["error"] = error;
  return doc;
}

void add_common_options(CLI::App& sub, session& s) {
  sub.add_option("--format", s.format, "Output format: table, or one JSON document on stdout")
      ->check(CLI::IsMember({"table", "json"}));
  sub.add_option("--isa", s.isa, "Force an ISA: auto, " + kern::known_isa_names());
  add_gather_option(sub, s);
}

void add_gather_option(CLI::App& sub, session& s) {
  sub.add_option("--gather", s.gather,
                 "Force the spreading kernels' gather policy: " + kern::known_gather_rule_names());
}

namespace {

void apply_gather(const session& s) {
  const std::string choices = " (choices: " + kern::known_gather_rule_names() + ")";
  if (!s.gather.empty()) {
    if (engram_set_gather_policy(s.gather.c_str()) != ENGRAM_OK)
      throw usage_error("--gather " + s.gather + ": not a gather policy" + choices);
    return;
  }
  if (engram_active_gather_policy_source() == ENGRAM_ISA_ENV_BAD) {
    const char* env = std::getenv("ENGRAM_KERN_GATHER");
    throw usage_error("ENGRAM_KERN_GATHER=" + std::string(env != nullptr ? env : "") +
                      ": not a gather policy" + choices);
  }
}

// The prefetch rule has no CLI option (kernels/cosine.hpp: a tuning switch), only its variable.
void refuse_bad_prefetch_variable() {
  if (kern::active_prefetch_source() != ENGRAM_ISA_ENV_BAD) return;
  const char* env = std::getenv("ENGRAM_KERN_PREFETCH");
  throw usage_error("ENGRAM_KERN_PREFETCH=" + std::string(env != nullptr ? env : "") +
                    ": not a prefetch rule (choices: " + kern::known_prefetch_rule_names() + ")");
}

// The quotient rule likewise (kernels/lowp.hpp).
void refuse_bad_quotient_variable() {
  if (kern::active_quotient_source() != ENGRAM_ISA_ENV_BAD) return;
  const char* env = std::getenv("ENGRAM_KERN_QUOTIENT");
  throw usage_error("ENGRAM_KERN_QUOTIENT=" + std::string(env != nullptr ? env : "") +
                    ": not a quotient rule (choices: " + kern::known_quotient_rule_names() + ")");
}

}  // namespace

void refuse_empty_and_negative_values(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_size() == 0) continue;  // a flag: it takes no value
    // CLI11's type names: UINT, INT, FLOAT or TEXT, then ":" and the validators' descriptions.
    const std::string type = option->get_type_name();
    const bool numeric =
        type.rfind("UINT", 0) == 0 || type.rfind("INT", 0) == 0 || type.rfind("FLOAT", 0) == 0;
    option->check(CLI::Validator(
        [numeric](std::string& value) -> std::string {
          if (value.empty()) return "an empty value is not allowed";
          const size_t first = value.find_first_not_of(" \t");
          if (numeric && first != std::string::npos && value[first] == '-')
            return "must not be negative, got " + value;
          return "";
        },
        ""));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    refuse_empty_and_negative_values(*sub);
}

void apply_isa(const session& s) {
  apply_gather(s);
  refuse_bad_prefetch_variable();
  refuse_bad_quotient_variable();
  if (!s.isa.empty()) {
    if (engram_set_isa(s.isa.c_str()) != ENGRAM_OK)
      throw usage_error(kern::refused_isa_message("--isa " + s.isa, s.isa));
    return;
  }
  if (engram_active_isa_source() == ENGRAM_ISA_ENV_BAD) {
    const char* env = std::getenv("ENGRAM_KERN_ISA");
    const std::string name = env != nullptr ? env : "";
    throw usage_error(kern::refused_isa_message("ENGRAM_KERN_ISA=" + name, name));
  }
}

std::string isa_source_name() {
  switch (engram_active_isa_source()) {
    case ENGRAM_ISA_AUTO:
      return "auto";
    case ENGRAM_ISA_ENV:
      return "ENGRAM_KERN_ISA";
    case ENGRAM_ISA_API:
      return "--isa";
    case ENGRAM_ISA_ENV_BAD:
      return "ENGRAM_KERN_ISA (refused: reference used)";
  }
  return "unknown";
}

std::string prefetch_source_name() {
  switch (kern::active_prefetch_source()) {
    case ENGRAM_ISA_AUTO:
      return "auto: prefetch from " + std::to_string(kern::cosine_prefetch_min_bytes >> 20) +
             " MiB of candidates";
    case ENGRAM_ISA_ENV:
      return "ENGRAM_KERN_PREFETCH";
    case ENGRAM_ISA_API:
      return "set_prefetch_rule";
    case ENGRAM_ISA_ENV_BAD:
      return "ENGRAM_KERN_PREFETCH (refused: by-size used)";
  }
  return "unknown";
}

std::string quotient_source_name() {
  switch (kern::active_quotient_source()) {
    case ENGRAM_ISA_AUTO:
      return std::string("auto: ") + kern::preferred_quotient_rule(kern::cpu()).reason;
    case ENGRAM_ISA_ENV:
      return "ENGRAM_KERN_QUOTIENT";
    case ENGRAM_ISA_API:
      return "set_quotient_rule";
    case ENGRAM_ISA_ENV_BAD:
      return "ENGRAM_KERN_QUOTIENT (refused: the CPU's rule used)";
  }
  return "unknown";
}

std::string gather_source_name() {
  switch (engram_active_gather_policy_source()) {
    case ENGRAM_ISA_AUTO:
      return std::string("auto: ") + kern::preferred_gather_rule(kern::cpu()).reason;
    case ENGRAM_ISA_ENV:
      return "ENGRAM_KERN_GATHER";
    case ENGRAM_ISA_API:
      return "--gather";
    case ENGRAM_ISA_ENV_BAD:
      return "ENGRAM_KERN_GATHER (refused: the CPU's policy used)";
  }
  return "unknown";
}

uint64_t announce_seed(bool given, uint64_t seed) {
  if (!given) {
    std::random_device device;
    seed = (uint64_t{device()} << 32) ^ device();
  }
  log_line("seed: " + std::to_string(seed));
  return seed;
}

void log_line(const std::string& line) { std::cerr << line << '\n'; }

std::string tool_version() { return std::string("engram-kern ") + engram_version_string(); }

}  // namespace ek::cli
