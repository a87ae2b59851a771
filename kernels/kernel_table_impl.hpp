// kernel_table_impl.hpp — the body every ISA translation unit instantiates. Included only by
// kernels/isa/<isa>.cpp, which are compiled with that ISA's flags.
#pragma once

#include <xsimd/xsimd.hpp>

#include "kernels/cosine_impl.hpp"
#include "kernels/decay_impl.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/spread_impl.hpp"

namespace ek::kern {

template <class Arch>
constexpr const char* isa_name();
template <>
constexpr const char* isa_name<xsimd::sse4_2>() {
  return "sse4_2";
}
template <>
constexpr const char* isa_name<xsimd::fma3<xsimd::avx2>>() {
  return "avx2";
}
template <>
constexpr const char* isa_name<xsimd::avx512bw>() {
  return "avx512";
}
template <>
constexpr const char* isa_name<xsimd::neon64>() {
  return "neon";
}

template <class Arch>
kernel_table make_kernel_table() {
  constexpr auto lanes = &spread<Arch, gather_policy::lanes>;
  // Without a gather instruction both policies are the same code: instantiate it once.
  if constexpr (spread_kernel<Arch, gather_policy::lanes>::has_gather_instruction)
    return {isa_name<Arch>(),
            &cosine<Arch>,
            &decay<Arch>,
            {&spread<Arch, gather_policy::hardware>, lanes}};
  else
    return {isa_name<Arch>(), &cosine<Arch>, &decay<Arch>, {lanes, lanes}};
}

}  // namespace ek::kern
