// avx512.cpp — the avx512 kernels: explicit instantiations only, compiled with this ISA's flags
// from kernels/isa/registry.def and nothing else. Kernel bodies live in kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
// The spreading entries are the avx2 object's (spread_arch in kernel_table_impl.hpp).
extern template void spread<spread_arch<isa_arch<isa_id::avx512>::type>, gather_policy::lanes>(
    const graph&, float*, const engram_spread_params&);
extern template void spread<spread_arch<isa_arch<isa_id::avx512>::type>, gather_policy::hardware>(
    const graph&, float*, const engram_spread_params&);
template struct isa_kernels<isa_id::avx512>;
}  // namespace ek::kern
