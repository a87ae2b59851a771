// per_isa_test.hpp — the parameters of every per-ISA test suite: each kernel table this CPU can
// run, the reference included (the rollback switch must pass the same checks), named by its ISA.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "kernels/dispatch.hpp"

namespace ek::kern::test {

inline auto runnable_isa_values() { return testing::ValuesIn(runnable_isas()); }

inline std::string isa_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace ek::kern::test
