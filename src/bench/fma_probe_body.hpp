// fma_probe_body.hpp — the loop of the FMA probes, included by each fma_probe_<isa>.cpp with that
// ISA's vector operations. Internal linkage: every copy is compiled with one ISA's flags, and the
// linker must never hand one ISA's copy to another file (scripts/odr_check.sh's rule).
#pragma once

#include <cstddef>

namespace ek::bench {
namespace {

// `Chains` independent chains x -> x * 0.999 + 0.001 of `Isa::vec` lanes: more chains than the
// FMA pipes times their latency keep in flight, so the loop is bound by FMA throughput. Every
// chain starts from its own value (equal chains would be one chain to the compiler); the values
// converge to 1 and never reach a subnormal, which slows some cores down. Returns lane 0 of the
// sum of the chains, so the work cannot be elided.
template <class Isa, size_t Chains>
float fma_chains(size_t rounds) {
  using vec = typename Isa::vec;
  const vec m = Isa::set1(0.999f), c = Isa::set1(0.001f);
  vec acc[Chains];
  for (size_t i = 0; i < Chains; ++i) acc[i] = Isa::set1(0.5f + 0.01f * static_cast<float>(i));
  for (size_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 16
    for (size_t i = 0; i < Chains; ++i) acc[i] = Isa::fma(acc[i], m, c);
  }
  vec sum = acc[0];
  for (size_t i = 1; i < Chains; ++i) sum = Isa::add(sum, acc[i]);
  return Isa::lane0(sum);
}

}  // namespace
}  // namespace ek::bench
