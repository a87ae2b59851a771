// common.hpp — what every engram-kern subcommand shares: the session (--format, --isa, the one
// JSON document), exit codes, the ISA override, and the error type for bad usage or input.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace ek::cli {

/// Version of every JSON document the tool prints; bump it when a field changes meaning.
inline constexpr int json_schema_version = 1;

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // verify: mismatch; bench: regression
inline constexpr int exit_error = 2;    // bad usage, bad input, a C ABI error status

/// Bad usage or bad input: main prints what() as one line and exits with exit_error.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// State of one invocation. A subcommand fills `doc` with its result fields; main adds
/// schema_version, command, exit_code (and error) and prints it alone on stdout with --format
/// json. With --format table the subcommand prints its table on stdout itself (use json()).
struct session {
  std::string format = "table";  // table | json
  std::string isa;               // --isa; empty: leave the choice to detection / ENGRAM_KERN_ISA
  std::string gather;            // --gather; empty: the CPU's choice / ENGRAM_KERN_GATHER
  std::string command;           // the subcommand's name, set by main
  nlohmann::json doc = nlohmann::json::object();

  bool json() const { return format == "json"; }
};

/// The one JSON document of an invocation: the subcommand's `doc` plus schema_version, command,
/// exit_code and, when not empty, error. main prints it; `bench --out` writes the same to a file.
nlohmann::json envelope(const session& s, int code, const std::string& error = "");

/// Adds --format, --isa and --gather to a subcommand, bound to `s`.
void add_common_options(CLI::App& sub, session& s);

/// Adds --gather alone, for the subcommands that declare their own --format and --isa.
void add_gather_option(CLI::App& sub, session& s);

/// Refuses, at parse time, an empty value for any option ("--isa ''" would read as "not given")
/// and a negative one for any numeric option (CLI11 wraps "--seed -1" to 2^64 - 1). No option of
/// the tool takes a negative number. Call it on the root once every subcommand is registered.
void refuse_empty_and_negative_values(CLI::App& app);

/// Applies --isa through engram_set_isa and --gather through engram_set_gather_policy, or
/// rejects an ENGRAM_KERN_ISA that cannot run / an ENGRAM_KERN_GATHER that names no policy;
/// throws usage_error naming the valid choices. Every subcommand calls it first, so a mistyped
/// rollback switch is refused by each of them alike (verify and bench, whose --isa lists the ISAs
/// to test, leave session::isa empty: for them it checks ENGRAM_KERN_ISA alone).
void apply_isa(const session& s);

/// How the gather policy was chosen: "auto: <the CPU rule>", "ENGRAM_KERN_GATHER", "--gather",
/// or "ENGRAM_KERN_GATHER (refused: ...)".
std::string gather_source_name();
/// How the cosine family's prefetch rule was chosen (kernels/cosine.hpp), for info.
std::string prefetch_source_name();
/// How the int8 quantization's quotient rule was chosen (kernels/lowp.hpp), for info.
std::string quotient_source_name();

/// How the active ISA was chosen: "auto", "ENGRAM_KERN_ISA", "--isa", or
/// "ENGRAM_KERN_ISA (refused: reference used)" for a name that is unknown or cannot run here.
std::string isa_source_name();

/// The seed to use: `given` when set, otherwise a random one. Either way it is printed to stderr
/// ("seed: N") before any work, so every randomized run can be repeated.
uint64_t announce_seed(bool given, uint64_t seed);

/// Writes a progress or log line to stderr (never stdout, which belongs to the result).
void log_line(const std::string& line);

/// "engram-kern 0.1.0": the generator string written into files.
std::string tool_version();

}  // namespace ek::cli
