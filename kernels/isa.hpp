// isa.hpp — the ISA registry as C++: one entry per line of kernels/isa/registry.def, with its
// name, target processor, required CPU features and compiler flags. Dispatch, `info` and the
// tests read it; the xsimd architecture of each entry is read only where kernels are compiled
// (kernels/kernel_table_impl.hpp), so this header needs no xsimd.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "kernels/cpu.hpp"

namespace ek::kern {

/// One value per registry entry, in its order: the template argument of isa_kernels.
enum class isa_id : uint8_t {
#define EK_ISA(name, target, arch, features, flags) name,
#include "kernels/isa/registry.def"
#undef EK_ISA
};

struct isa_info {
  const char* name;      // "sse4_2", "avx2", ...
  const char* target;    // the processor it is built for: "x86_64", "aarch64"
  feature_set required;  // runnable where the CPU has all of these
  const char* flags;     // the compiler flags of kernels/isa/<name>.cpp
};

namespace isa_detail {
using enum cpu_feature;  // the registry's feature column names the enumerators bare
inline constexpr isa_info registry[] = {
#define EK_ISA(name, target, arch, features, flags) {#name, #target, features, flags},
#include "kernels/isa/registry.def"
#undef EK_ISA
};
}  // namespace isa_detail

/// Every ISA of the registry, built on this processor or not, weakest first.
inline constexpr std::span<const isa_info> isa_registry = isa_detail::registry;

constexpr const isa_info& isa_of(isa_id id) { return isa_registry[static_cast<size_t>(id)]; }

/// The registry entry named `name`; nullptr for "reference" and for names it does not have.
constexpr const isa_info* find_isa(std::string_view name) {
  for (const isa_info& isa : isa_registry)
    if (name == isa.name) return &isa;
  return nullptr;
}

}  // namespace ek::kern
