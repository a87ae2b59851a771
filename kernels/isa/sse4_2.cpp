// sse4_2.cpp — the sse4_2 kernels: explicit instantiations only, compiled with
// ${EK_ISA_FLAGS_sse4_2} (cmake/ek_isa.cmake) and nothing else. Kernel bodies live in
// kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template kernel_table make_kernel_table<xsimd::sse4_2>();
}  // namespace ek::kern
