// dispatch.hpp — the table of kernels the C ABI calls through: chosen once per process by CPU
// detection (feature-set inclusion, best ISA wins), or forced by ENGRAM_KERN_ISA / set_isa.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "kernels/kernel_table.hpp"

namespace ek::kern {

/// Every table this build has: "reference" first, then its ISAs from weakest to best.
std::span<const kernel_table> compiled_tables();

/// The table named `isa`, if this build has it and this CPU/OS can run it; otherwise nullptr and
/// *why = ENGRAM_ERR_UNKNOWN_ISA or ENGRAM_ERR_UNSUPPORTED_ISA.
const kernel_table* runnable_table(const std::string& isa, engram_status* why = nullptr);

/// Names of the runnable tables, "reference" first, best last.
std::vector<std::string> runnable_isas();

/// "reference, sse4_2, avx2, avx512" — every name this build knows, for error messages.
std::string known_isa_names();

/// The table the C ABI uses now (lock-free).
const kernel_table& active();
engram_isa_source active_source();

/// Forces `isa` for the process; nullptr or "auto" returns to detection (ENGRAM_KERN_ISA is read
/// once, at first use, and not again).
engram_status set_isa(const char* isa);

}  // namespace ek::kern
