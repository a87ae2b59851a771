// kernel_table_impl.hpp — the body every ISA translation unit instantiates. Included only by
// kernels/isa/<isa>.cpp, which are compiled with that ISA's flags.
#pragma once

#include <xsimd/xsimd.hpp>

// GCC 12's AVX-512 intrinsics (shifts, conversions, min) pass _mm512_undefined_*() as the unused
// merge source, which its own -Wmaybe-uninitialized then reports wherever they are inlined (GCC bug
// 105593, fixed in 13): the widening loads of the bf16 and int8 kernels, the decay kernel.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include "kernels/cosine_impl.hpp"
#include "kernels/decay_impl.hpp"
#include "kernels/isa.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/lowp_impl.hpp"
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
constexpr kernel_table make_kernel_table() {
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
  const lowp_kernels lowp{&cosine<Arch, uint16_t>, &cosine<Arch, int8_t>,  &topk<Arch, uint16_t>,
                          &topk<Arch, int8_t>,     &convert_to_bf16<Arch>, &quantize_i8<Arch>};
  return {name,
          lanes,
          &cosine<Arch, float>,
          &cosine_batch<Arch, float>,
          &topk<Arch, float>,
          &decay<Arch>,
          spreads,
          lowp};
}

template <isa_id Isa>
constinit const kernel_table isa_kernels<Isa>::table = make_kernel_table<Isa>();

}  // namespace ek::kern

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
