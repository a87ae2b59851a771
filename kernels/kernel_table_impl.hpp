// kernel_table_impl.hpp — the body every ISA translation unit instantiates. Included only by
// kernels/isa/<isa>.cpp, which are compiled with that ISA's flags.
#pragma once

#include <xsimd/xsimd.hpp>

#include "kernels/cosine_impl.hpp"
#include "kernels/decay_impl.hpp"
#include "kernels/isa.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/spread_impl.hpp"
#include "kernels/topk_impl.hpp"

namespace ek::kern {

/// The xsimd architecture of each registry entry (the third column of kernels/isa/registry.def).
template <isa_id Isa>
struct isa_arch;
#define EK_ISA(name, target, arch, features, flags) \
  template <>                                       \
  struct isa_arch<isa_id::name> {                   \
    using type = arch;                              \
  };
#include "kernels/isa/registry.def"
#undef EK_ISA

template <isa_id Isa>
kernel_table make_kernel_table() {
  using Arch = typename isa_arch<Isa>::type;
  constexpr const char* name = isa_of(Isa).name;
  constexpr size_t lanes = xsimd::batch<float, Arch>::size;
  static_assert(lanes >= cosine_min_lanes && lanes <= cosine_max_lanes,
                "cosine_error_bound(dim) covers this width only if kernels/cosine.hpp says so");
  constexpr auto spread_lanes = &spread<Arch, gather_policy::lanes>;
  kernel_table::spread_fns spreads{spread_lanes, spread_lanes};
  // Without a gather instruction both policies are the same code: instantiate it once.
  if constexpr (spread_kernel<Arch, gather_policy::lanes>::has_gather_instruction)
    spreads[static_cast<size_t>(gather_policy::hardware)] = &spread<Arch, gather_policy::hardware>;
  return {name, lanes, &cosine<Arch>, &cosine_batch<Arch>, &topk<Arch>, &decay<Arch>, spreads};
}

}  // namespace ek::kern
