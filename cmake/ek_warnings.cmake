# Warnings for the project's own targets; -Werror when EK_WERROR is on (CI and presets turn it on).
function(ek_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<BOOL:${EK_WERROR}>:-Werror>)
endfunction()

# Every target: no FMA contraction behind our back. The reference is defined without it, and the
# spreading kernels must be bit-identical to the reference; where a kernel wants an FMA it says so.
add_compile_options(-ffp-contract=off)
