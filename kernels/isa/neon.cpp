// neon.cpp — the neon kernels: explicit instantiations only, compiled with ${EK_ISA_FLAGS_neon}
// (cmake/ek_isa.cmake) and nothing else. Kernel bodies live in kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template kernel_table make_kernel_table<xsimd::neon64>();
}  // namespace ek::kern
