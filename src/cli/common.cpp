// common.cpp — session options, the ISA override and its error messages, seeds and logs.
#include "src/cli/common.hpp"

#include <cstdlib>
#include <iostream>
#include <random>

#include "engram_kern.h"
#include "kernels/dispatch.hpp"

namespace ek::cli {

namespace {

std::string runnable_names() {
  std::string names;
  for (const auto& isa : kern::runnable_isas()) {
    if (!names.empty()) names += ", ";
    names += isa;
  }
  return names;
}

}  // namespace

void add_common_options(CLI::App& sub, session& s) {
  sub.add_option("--format", s.format, "Output format: table, or one JSON document on stdout")
      ->check(CLI::IsMember({"table", "json"}));
  sub.add_option("--isa", s.isa, "Force an ISA: auto, " + kern::known_isa_names());
}

void apply_isa(const session& s) {
  if (!s.isa.empty()) {
    const engram_status st = engram_set_isa(s.isa.c_str());
    if (st != ENGRAM_OK)
      throw usage_error("--isa " + s.isa + ": " + engram_status_string(st) + " (known: " +
                        kern::known_isa_names() + "; runnable here: " + runnable_names() + ")");
    return;
  }
  if (engram_active_isa_source() == ENGRAM_ISA_ENV_BAD) {
    const char* env = std::getenv("ENGRAM_KERN_ISA");
    throw usage_error("ENGRAM_KERN_ISA=" + std::string(env != nullptr ? env : "") +
                      " cannot run here (known: " + kern::known_isa_names() +
                      "; runnable here: " + runnable_names() + ")");
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
      return "ENGRAM_KERN_ISA (cannot run: reference used)";
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
