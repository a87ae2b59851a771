# Warnings for the project's own targets; -Werror when EK_WERROR is on (CI and presets turn it on).
function(ek_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<BOOL:${EK_WERROR}>:-Werror>)
endfunction()

# Every target: no FMA contraction behind our back. The reference is defined without it, and the
# spreading kernels must be bit-identical to the reference; where a kernel wants an FMA it says so.
add_compile_options(-ffp-contract=off)

# ek_add_gtest(NAME target LABEL label SOURCES file... LIBS target...): one GoogleTest program
# with the project's warnings, registered test by test with ctest under LABEL (unit, per_isa,
# long, ...).
function(ek_add_gtest)
  cmake_parse_arguments(T "" "NAME;LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest_main)
  ek_target_warnings(${T_NAME})
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABEL}" DISCOVERY_TIMEOUT 60)
endfunction()
