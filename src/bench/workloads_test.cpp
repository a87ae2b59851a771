// workloads_test.cpp — the recall bench workloads: every runnable table's recall verifies against
// the reference, a corrupted recall does not, and the catalogue's default set stays short.
#include "src/bench/workloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "kernels/dispatch.hpp"

namespace ek::bench {
namespace {

const workload_spec& named(const std::string& name) {
  const auto found = select_workloads({name}, {});
  EXPECT_EQ(found.size(), 1u);
  return *found.front();
}

TEST(Workloads, DefaultSetHasTheSeedsThreeAndOneSmallRecall) {
  std::vector<std::string> names;
  for (const workload_spec* w : select_workloads({}, {})) names.push_back(w->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"cosine/d768/n1000", "decay/exponential/n10000",
                                      "spread/dense/n1000/deg16/it100", "recall/m1000/d768/k10"}));
  EXPECT_EQ(select_workloads({}, {"recall"}).size(), 1u);
  EXPECT_THROW(select_workloads({"recall/m7/d1/k1"}, {}), std::invalid_argument);
}

TEST(Workloads, EveryTableRecallVerifiesAndFillsTheFinalScores) {
  const auto w = prepare(named("recall/m1000/d768/k10"), workload_seed);
  EXPECT_EQ(w->output_size, 1000u);
  EXPECT_EQ(w->units, 1000.0);
  for (const auto& isa : kern::runnable_isas()) {
    auto result = std::make_shared<harness::recall_result>();
    const variant_fn call = table_variant(*w, *kern::runnable_table(isa), result);
    std::vector<float> out(w->output_size, -1.0f);
    call(out.data());
    EXPECT_EQ(check_recall(*w, *result), "") << isa;
    EXPECT_EQ(out, result->final_scores) << isa;
    call(out.data());  // buffers reused: the same recall again
    EXPECT_EQ(check_recall(*w, *result), "") << isa;
  }
}

TEST(Workloads, ACorruptedRecallFailsVerification) {
  const auto w = prepare(named("recall/m1000/d768/k10"), workload_seed);
  auto result = std::make_shared<harness::recall_result>();
  table_variant(*w, *kern::runnable_table("reference"),
                result)(std::vector<float>(w->output_size).data());
  harness::recall_result bad = *result;
  // The best memory's score doubled: outside every bound a conforming table can reach.
  const uint32_t top = bad.ranking.front();
  bad.final_scores[top] = 2 * bad.final_scores[top] + 1;
  EXPECT_NE(check_recall(*w, bad), "");
  EXPECT_THROW(table_variant(*w, *kern::runnable_table("reference")), std::invalid_argument);
}

}  // namespace
}  // namespace ek::bench
