// quality_test.cpp — the quality measurement is deterministic, covers every family and type, and
// measures what it says: bf16 close to f32, int8 further, overlaps within [0, 1].
#include "src/bench/quality.hpp"

#include <gtest/gtest.h>

namespace ek::bench {
namespace {

TEST(Quality, DeterministicOverEveryFamilyAndType) {
  const quality_options o{.dim = 64, .count = 500, .queries = 6, .k = 10, .seed = 3};
  const std::vector<quality_row> rows = measure_quality(o);
  ASSERT_EQ(rows.size(), 8u);
  const std::vector<quality_row> again = measure_quality(o);
  for (size_t i = 0; i < rows.size(); ++i) {
    const quality_row& r = rows[i];
    EXPECT_EQ(r.family, again[i].family);
    EXPECT_EQ(r.overlap, again[i].overlap) << r.family << " " << r.type;
    EXPECT_EQ(r.max_delta, again[i].max_delta) << r.family << " " << r.type;
    EXPECT_GE(r.overlap, 0.0);
    EXPECT_LE(r.overlap, 1.0);
    EXPECT_LE(r.mean_delta, r.max_delta);
    // bfloat16 keeps 8 significant bits: |Δcos| stays around 2^-8 at most on these sizes.
    if (r.type == "bf16") {
      EXPECT_LT(r.max_delta, 1e-2) << r.family;
    }
  }
  EXPECT_EQ(rows.front().family, "clustered");
  EXPECT_EQ(rows[1].type, "i8");
  const nlohmann::json j = quality_json(o, rows);
  EXPECT_EQ(j.at("rows").size(), 8u);
  EXPECT_EQ(j.at("k"), 10u);
  EXPECT_NE(quality_table(o, rows, true).find("| clustered | bf16 |"), std::string::npos);
}

}  // namespace
}  // namespace ek::bench
