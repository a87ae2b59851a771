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

/// The spreading kernels of an ISA's table. AVX-512 takes the avx2 object's: they run on 256-bit
/// vectors under AVX-512 too (spread_kernel::vector_arch), and the same source compiled with the
/// AVX-512 flags was 5-9 % slower on dense n1000 (AMD Zen 5, docs/kernel-spread.md, "Vector
/// width"). kernels/isa/avx512.cpp declares those instantiations extern, so that they are
/// compiled once, with the avx2 flags.
template <class Arch>
using spread_arch =
    std::conditional_t<std::is_base_of_v<xsimd::avx512f, Arch>, isa_arch<isa_id::avx2>::type, Arch>;

template <isa_id Isa>
constexpr kernel_table make_kernel_table() {
  using Arch = typename isa_arch<Isa>::type;
  constexpr const char* name = isa_of(Isa).name;
  constexpr size_t lanes = xsimd::batch<float, Arch>::size;
  static_assert(lanes >= cosine_min_lanes && lanes <= cosine_max_lanes,
                "cosine_error_bound(dim) covers this width only if kernels/cosine.hpp says so");
  using SpreadArch = spread_arch<Arch>;
  constexpr auto spread_lanes = &spread<SpreadArch, gather_policy::lanes>;
  kernel_table::spread_fns spreads{spread_lanes, spread_lanes};
  // Without a gather instruction both policies are the same code: instantiate it once.
  if constexpr (spread_kernel<SpreadArch, gather_policy::lanes>::has_gather_instruction)
    spreads[static_cast<size_t>(gather_policy::hardware)] =
        &spread<SpreadArch, gather_policy::hardware>;
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
