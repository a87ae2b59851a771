// per_isa_test.hpp — the parameters of every per-ISA test suite: each kernel table this CPU can
// run, the reference included (the rollback switch must pass the same checks), named by its ISA.
#pragma once

#include <cstddef>
#include <string>

#include <gtest/gtest.h>

#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/kernel_table.hpp"

namespace ek::kern::test {

inline auto runnable_isa_values() { return testing::ValuesIn(runnable_isas()); }

inline std::string isa_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

// A process-wide rule forced for one scope through its setter, then back to the default (the
// setter's nullptr).
template <engram_status (*Set)(const char*)>
class forced_rule {
 public:
  explicit forced_rule(const char* rule) { EXPECT_EQ(Set(rule), ENGRAM_OK); }
  ~forced_rule() { Set(nullptr); }
  forced_rule(const forced_rule&) = delete;
  forced_rule& operator=(const forced_rule&) = delete;
};

// The cosine family's prefetch rule (kernels/cosine.hpp): every rule must give the same bits, and
// the by-size default never prefetches at test sizes.
using forced_prefetch = forced_rule<&set_prefetch_rule>;
inline constexpr const char* prefetch_rules[] = {"never", "always"};

// The int8 quantization's quotient rule (kernels/lowp.hpp): both must give the reference's bits.
using forced_quotient = forced_rule<&set_quotient_rule>;
inline constexpr const char* quotient_rules[] = {"reciprocal", "divide"};

// A suite run once per runnable ISA: table() is that ISA's kernel table.
class per_isa_suite : public testing::TestWithParam<std::string> {
 protected:
  const kernel_table& table() const {
    const kernel_table* t = runnable_table(GetParam());
    EXPECT_NE(t, nullptr);
    return *t;
  }
  // The cosine bound of this table's own width where it has an optimized cosine, else (the
  // reference) the bound that holds for every width.
  double cosine_bound(size_t dim) const {
    const size_t lanes = table().cosine_lanes;
    return lanes != 0 ? cosine_error_bound(dim, lanes) : cosine_error_bound(dim);
  }
};

}  // namespace ek::kern::test
