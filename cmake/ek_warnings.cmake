# Warnings for the project's own targets; -Werror when EK_WERROR is on (CI and presets turn it on).
function(ek_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<BOOL:${EK_WERROR}>:-Werror>)
endfunction()

# Every target: no FMA contraction behind our back. The reference is defined without it, and the
# spreading kernels must be bit-identical to the reference; where a kernel wants an FMA it says so.
add_compile_options(-ffp-contract=off)

# Code whose speed does not matter (the tool's option parsing and printing, the report page,
# tests) is compiled at -Og in optimized builds: GCC's -O3 code generation for the header-only
# CLI11, nlohmann_json and GoogleTest it instantiates was most of the build (src/cli/main.cpp:
# 26 s of CPU at -O3, 13 s at -Og; docs/architecture.md, "Build time"). The library, verify and
# bench keep the build type's flags, and so does a test with loops of its own that must be fast.
function(ek_cold_code target)
  target_compile_options(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-Og>)
endfunction()

# ek_add_gtest(NAME target LABEL label [HOT] SOURCES file... LIBS target...): one GoogleTest
# program with the project's warnings, registered test by test with ctest under LABEL (unit,
# per_isa, long, ...). HOT: the test's own code runs long loops (e.g. kernel math on 2^24 points)
# and keeps the build type's optimization; other tests are cold code.
function(ek_add_gtest)
  cmake_parse_arguments(T "HOT" "NAME;LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest_main)
  ek_target_warnings(${T_NAME})
  if(NOT T_HOT)
    ek_cold_code(${T_NAME})
  endif()
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABEL}" DISCOVERY_TIMEOUT 60)
endfunction()
