// avx512.cpp — the avx512 kernels: explicit instantiations only, compiled with
// ${EK_ISA_FLAGS_avx512} (cmake/ek_isa.cmake) and nothing else. Kernel bodies live in
// kernels/*_impl.hpp.
#include "kernels/kernel_table_impl.hpp"

namespace ek::kern {
template kernel_table make_kernel_table<xsimd::avx512bw>();
}  // namespace ek::kern
