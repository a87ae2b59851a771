// isa_test.cpp — the ISA registry (kernels/isa/registry.def) as dispatch reads it: its order,
// which tables this build has and runs, and the one message for a refused name. Nothing here
// assumes which ISAs this CPU runs (an AVX-512 build may sit on a CPU without AVX-512).
#include "kernels/isa.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/cosine.hpp"
#include "kernels/cpu.hpp"
#include "kernels/dispatch.hpp"

namespace {

using ek::kern::isa_info;
using ek::kern::isa_registry;

TEST(isa_registry, names_are_unique_and_never_reference) {
  std::set<std::string_view> names;
  for (const isa_info& isa : isa_registry) {
    EXPECT_NE(std::string_view(isa.name), "reference");
    EXPECT_TRUE(names.insert(isa.name).second) << isa.name;
    EXPECT_EQ(ek::kern::find_isa(isa.name), &isa);
  }
  EXPECT_EQ(ek::kern::find_isa("reference"), nullptr);
  EXPECT_EQ(ek::kern::find_isa("avx512x"), nullptr);
}

// Detection takes the last runnable entry, so on one target every entry must need at least what
// the one before it needs: otherwise a CPU could run a later entry without the earlier one.
TEST(isa_registry, each_entry_requires_what_the_one_before_it_on_its_target_requires) {
  for (size_t i = 0; i < isa_registry.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (std::string_view(isa_registry[i].target) != isa_registry[j].target) continue;
      EXPECT_TRUE(isa_registry[i].required.contains(isa_registry[j].required))
          << isa_registry[i].name << " after " << isa_registry[j].name;
    }
  }
}

TEST(isa_registry, the_build_has_the_reference_then_registry_entries_in_registry_order) {
  const auto tables = ek::kern::compiled_tables();
  ASSERT_FALSE(tables.empty());
  EXPECT_STREQ(tables.front().isa, "reference");
  const isa_info* previous = nullptr;
  for (size_t t = 1; t < tables.size(); ++t) {
    const isa_info* isa = ek::kern::find_isa(tables[t].isa);
    ASSERT_NE(isa, nullptr) << tables[t].isa;
    EXPECT_TRUE(previous == nullptr || previous < isa) << tables[t].isa;
    EXPECT_GE(tables[t].cosine_lanes, ek::kern::cosine_min_lanes) << tables[t].isa;
    previous = isa;
  }
}

// A compiled table runs exactly where the CPU has every feature its entry requires; the others
// are refused as unsupported, with the one message.
TEST(isa_registry, a_compiled_table_is_runnable_iff_the_cpu_has_its_features) {
  const ek::kern::feature_set cpu = ek::kern::cpu().features;
  for (const ek::kernel_table& t : ek::kern::compiled_tables()) {
    const isa_info* isa = ek::kern::find_isa(t.isa);
    const bool runs = isa == nullptr || cpu.contains(isa->required);
    engram_status why = ENGRAM_OK;
    EXPECT_EQ(ek::kern::runnable_table(t.isa, &why) != nullptr, runs) << t.isa;
    const std::string message = ek::kern::refused_isa_message("--isa " + std::string(t.isa), t.isa);
    if (runs) {
      EXPECT_EQ(message, "") << t.isa;
    } else {
      EXPECT_EQ(why, ENGRAM_ERR_UNSUPPORTED_ISA) << t.isa;
      EXPECT_EQ(message.rfind("--isa " + std::string(t.isa) + ": unsupported ISA (known: ", 0), 0u)
          << message;
    }
  }
}

TEST(isa_registry, an_unknown_name_gets_the_one_message_naming_the_choices) {
  engram_status why = ENGRAM_OK;
  EXPECT_EQ(ek::kern::runnable_table("avx512x", &why), nullptr);
  EXPECT_EQ(why, ENGRAM_ERR_UNKNOWN_ISA);
  const std::string want =
      "ENGRAM_KERN_ISA=avx512x: unknown ISA (known: " + ek::kern::known_isa_names() +
      "; runnable here: reference";
  EXPECT_EQ(ek::kern::refused_isa_message("ENGRAM_KERN_ISA=avx512x", "avx512x").rfind(want, 0), 0u);
}

TEST(cpu_features, names_follow_the_bits) {
  using ek::kern::cpu_feature;
  const ek::kern::feature_set s = cpu_feature::avx2 | cpu_feature::sse4_2;
  EXPECT_EQ(s.names(), (std::vector<std::string>{"sse4_2", "avx2"}));
  EXPECT_TRUE(s.contains(cpu_feature::avx2));
  EXPECT_FALSE(s.contains(cpu_feature::avx2 | cpu_feature::fma));
  EXPECT_TRUE(s.contains(ek::kern::feature_set{}));
}

}  // namespace
