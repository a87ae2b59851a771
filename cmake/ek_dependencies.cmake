# Dependency glue. Everything comes from Debian 12 packages (scripts/setup.sh installs them).

# Debian's xsimd 8.1.0 CMake package lists `xtl` in its link interface, but xtl is not installed
# and xsimd does not need it: an empty imported target satisfies the reference.
if(NOT TARGET xtl)
  add_library(xtl INTERFACE IMPORTED)
endif()
find_package(xsimd 8.1 REQUIRED)
find_package(Threads REQUIRED)

if(EK_BUILD_CLI OR EK_BUILD_TESTS OR EK_BUILD_FUZZERS)
  find_package(CLI11 2.1 REQUIRED)
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(benchmark 1.7 REQUIRED)
endif()
if(EK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
