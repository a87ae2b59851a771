// dispatch.hpp — the table of kernels the C ABI calls through: chosen once per process by CPU
// detection (feature-set inclusion, best ISA wins), or forced by ENGRAM_KERN_ISA / set_isa.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engram_kern.h"
#include "kernels/cpu.hpp"
#include "kernels/kernel_table.hpp"

namespace ek::kern {

/// Every table this build has: "reference" first, then its ISAs from weakest to best (the order
/// of kernels/isa/registry.def).
std::span<const kernel_table> compiled_tables();

/// The table named `isa`, if this build has it and this CPU/OS can run it; otherwise nullptr and
/// *why = ENGRAM_ERR_UNKNOWN_ISA or ENGRAM_ERR_UNSUPPORTED_ISA.
const kernel_table* runnable_table(const std::string& isa, engram_status* why = nullptr);

/// Names of the runnable tables, "reference" first, best last.
std::vector<std::string> runnable_isas();

/// "reference, sse4_2, avx2, avx512" — every name this build has, for help and error messages.
std::string known_isa_names();

/// The one message for an ISA name that cannot be used, wherever it came from (`origin` is
/// "--isa avx512x", "ENGRAM_KERN_ISA=neon", ...): "<origin>: unknown ISA (known: …; runnable
/// here: …)", or "unsupported ISA" for a registry name this build or CPU cannot run. Empty when
/// `isa` is runnable.
std::string refused_isa_message(const std::string& origin, const std::string& isa);

/// The table the C ABI uses now (lock-free).
const kernel_table& active();
engram_isa_source active_source();

/// Forces `isa` for the process; nullptr or "auto" returns to detection (ENGRAM_KERN_ISA is read
/// once, at first use, and not again).
engram_status set_isa(const char* isa);

/// The gather rule for a CPU's cores (docs/dispatch.md, "Gather policy"), and why.
struct gather_choice {
  gather_rule rule;
  const char* reason;
};
gather_choice preferred_gather_rule(const cpu_info& c);

/// "hardware" / "lanes" / "by-size" to the rule; nothing for any other name.
std::optional<gather_rule> parse_gather_rule(std::string_view name);

/// "auto, hardware, lanes, by-size": every name set_gather_rule takes, for help and errors.
std::string known_gather_rule_names();

/// How the active gather rule (kernel_table.hpp) was chosen: ENGRAM_ISA_AUTO (the CPU's rule),
/// _ENV (ENGRAM_KERN_GATHER), _API (set_gather_rule), _ENV_BAD (ENGRAM_KERN_GATHER named no
/// rule: the CPU's is used).
engram_isa_source active_gather_source();

/// Forces a rule for the process; nullptr or "auto" returns to the CPU's rule; any other name is
/// ENGRAM_ERR_INVALID_PARAM.
engram_status set_gather_rule(const char* name);

/// The quotient rule for a CPU's cores (docs/dispatch.md, "Quotient rule"), and why.
struct quotient_choice {
  quotient_rule rule;
  const char* reason;
};
quotient_choice preferred_quotient_rule(const cpu_info& c);

/// "reciprocal" / "divide" to the quotient rule (kernels/lowp.hpp); nothing otherwise.
std::optional<quotient_rule> parse_quotient_rule(std::string_view name);

/// "auto, reciprocal, divide": every name set_quotient_rule takes, for errors.
std::string known_quotient_rule_names();

/// How the active quotient rule was chosen: ENGRAM_ISA_AUTO (the CPU's rule), _ENV
/// (ENGRAM_KERN_QUOTIENT), _API (set_quotient_rule), _ENV_BAD (ENGRAM_KERN_QUOTIENT named no rule:
/// the CPU's is used). Not in the C ABI: like the prefetch rule, a switch for measurement and
/// tests.
engram_isa_source active_quotient_source();

/// Forces a quotient rule for the process; nullptr or "auto" returns to the CPU's rule; any other
/// name is ENGRAM_ERR_INVALID_PARAM.
engram_status set_quotient_rule(const char* name);

/// "never" / "always" / "by-size" to the prefetch rule (kernels/cosine.hpp); nothing otherwise.
std::optional<prefetch_rule> parse_prefetch_rule(std::string_view name);

/// "auto, never, always, by-size": every name set_prefetch_rule takes, for errors.
std::string known_prefetch_rule_names();

/// How the active prefetch rule was chosen: ENGRAM_ISA_AUTO (by-size), _ENV
/// (ENGRAM_KERN_PREFETCH), _API (set_prefetch_rule), _ENV_BAD (ENGRAM_KERN_PREFETCH named no
/// rule: by-size is used). Not in the C ABI: a tuning switch for measurement and tests.
engram_isa_source active_prefetch_source();

/// Forces a prefetch rule for the process; nullptr or "auto" returns to by-size; any other name
/// is ENGRAM_ERR_INVALID_PARAM.
engram_status set_prefetch_rule(const char* name);

}  // namespace ek::kern
