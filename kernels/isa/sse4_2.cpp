// sse4_2.cpp — the sse4_2 kernels: explicit instantiations only, compiled with this ISA's flags
// from kernels/isa/registry.def and nothing else. Kernel bodies live in kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template struct isa_kernels<isa_id::sse4_2>;
}  // namespace ek::kern
