// avx512.cpp — the avx512 kernels: explicit instantiations only, compiled with this ISA's flags
// from kernels/isa/registry.def and nothing else. Kernel bodies live in kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template struct isa_kernels<isa_id::avx512>;
}  // namespace ek::kern
