// neon.cpp — the neon kernels: explicit instantiations only, compiled with this ISA's flags from
// kernels/isa/registry.def and nothing else. Kernel bodies live in kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template kernel_table make_kernel_table<isa_id::neon>();
}  // namespace ek::kern
