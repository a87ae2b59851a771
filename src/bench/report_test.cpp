// report_test.cpp — the JSON report carries every documented field and leaves Google Benchmark's
// context and benchmarks untouched; the table has one row per workload × variant.
#include "src/bench/report.hpp"

#include <gtest/gtest.h>

namespace ek::bench {
namespace {

run_output sample_run() {
  run_output run;
  run.machine.key = "GenuineIntel-6-207-avx512";
  run.machine.cpu = "Intel(R) Xeon(R)";
  run.machine.isa = "avx512";
  run.context = {{"num_cpus", 2}, {"engram_kern_isa", "avx512"}};
  run.benchmarks = nlohmann::json::array(
      {{{"name", "cosine/d768/n1000/reference/min_time:0.050/repeats:6"}, {"cpu_time", 1.5}}});
  variant_result ref;
  ref.workload = "cosine/d768/n1000";
  ref.kernel = "cosine";
  ref.variant = "reference";
  ref.kind = role::reference;
  ref.status = "verified";
  ref.timed = true;
  ref.times_ns = {10, 11, 12, 10, 11, 12};
  ref.median_ns = 11;
  ref.unit = "ns/candidate";
  ref.rate_unit = "GB/s";
  ref.speedups = {1, 1, 1, 1, 1, 1};
  ref.speedup = interval{1, 1, 1};
  ref.roofline_fraction = 0.25;
  variant_result peer = ref;
  peer.variant = "eigen";
  peer.kind = role::peer;
  peer.status = "differs: score 3 off by 1e-3 > bound 1e-6";
  variant_result failed = ref;
  failed.variant = "avx2";
  failed.kind = role::isa;
  failed.status = "failed: score 0 off by 1 > bound 1e-6";
  failed.timed = false;
  failed.times_ns.clear();
  failed.speedup.reset();
  failed.roofline_fraction.reset();
  run.results = {ref, peer, failed};
  return run;
}

TEST(Report, JsonCarriesEveryField) {
  const run_output run = sample_run();
  comparison c;
  c.comparable = true;
  c.verdicts.push_back(
      {"cosine/d768/n1000", "avx512", verdict_kind::regressed, {-0.5, -0.6, -0.4}, 0.01});
  const nlohmann::json j = report_json(run, c, "baselines/x.json");

  EXPECT_EQ(j.at("schema_version"), schema_version);
  for (const char* f :
       {"key", "cpu", "isa", "vendor", "family", "model", "compiler", "flags", "libraries"})
    EXPECT_TRUE(j.at("machine").contains(f)) << f;
  EXPECT_EQ(j.at("context"), run.context);
  EXPECT_EQ(j.at("benchmarks"), run.benchmarks);
  ASSERT_EQ(j.at("results").size(), 3u);
  for (const auto& r : j.at("results"))
    for (const char* f : {"workload", "kernel", "variant", "median_ns", "unit", "per_unit",
                          "speedup_vs_reference", "roofline_fraction", "verified", "status"})
      EXPECT_TRUE(r.contains(f)) << f;
  EXPECT_EQ(j["results"][0]["verified"], true);
  EXPECT_EQ(j["results"][0]["speedup_vs_reference"]["low"], 1.0);
  EXPECT_EQ(j["results"][1]["verified"], false);        // a peer that differs is flagged
  EXPECT_TRUE(j["results"][2]["median_ns"].is_null());  // a failed variant is not timed
  ASSERT_EQ(j.at("verdicts").size(), 1u);
  const auto& v = j["verdicts"][0];
  EXPECT_EQ(v.at("verdict"), "regressed");
  EXPECT_EQ(v.at("workload"), "cosine/d768/n1000");
  EXPECT_EQ(v.at("variant"), "avx512");
  EXPECT_EQ(v.at("change").at("low"), -0.6);
  EXPECT_EQ(v.at("change").at("high"), -0.4);
  EXPECT_EQ(j.at("baseline").at("file"), "baselines/x.json");
}

TEST(Report, NoVerdictsWithoutABaseline) {
  const nlohmann::json j = report_json(sample_run(), std::nullopt, "");
  EXPECT_FALSE(j.contains("verdicts"));
}

TEST(Report, TableHasOneRowPerVariant) {
  const std::string t = report_table(sample_run(), std::nullopt, false);
  size_t lines = 0;
  for (char ch : t) lines += ch == '\n';
  EXPECT_EQ(lines, 4u);  // header + 3 rows
  EXPECT_NE(t.find("differs: score 3"), std::string::npos);
  EXPECT_NE(t.find("failed: score 0"), std::string::npos);
  const std::string md = report_table(sample_run(), std::nullopt, true);
  EXPECT_EQ(md.rfind("| workload", 0), 0u);
  EXPECT_EQ(t.find("FMA roof"), std::string::npos) << "no row counts flops";
}

// A batch or top-k row carries its fraction of the FMA probe: a column of the table and a field
// of the JSON; the probe rows are rows like the others.
TEST(Report, ComputeRooflineIsAColumnWhenARowHasIt) {
  run_output run = sample_run();
  variant_result topk = run.results.front();
  topk.workload = "topk/d768/n100000/q1/k10";
  topk.kernel = "topk";
  topk.unit = "ns/candidate/query";
  topk.rate_unit = "GFLOP/s";
  topk.rate = 12.5;
  topk.compute_fraction = 0.3;
  variant_result probe = topk;
  probe.variant = "roofline/fma";
  probe.kind = role::probe;
  probe.status = "probe: avx2 FMA loop";
  probe.compute_fraction = 1.0;
  run.results.push_back(topk);
  run.results.push_back(probe);
  const std::string t = report_table(run, std::nullopt, false);
  EXPECT_NE(t.find("FMA roof"), std::string::npos);
  EXPECT_NE(t.find("0.30"), std::string::npos);
  EXPECT_NE(t.find("12.50 GFLOP/s"), std::string::npos);
  const nlohmann::json j = report_json(run, std::nullopt, "");
  EXPECT_EQ(j["results"][3]["compute_roofline_fraction"], 0.3);
  EXPECT_EQ(j["results"][4]["role"], "probe");
  EXPECT_TRUE(j["results"][0]["compute_roofline_fraction"].is_null());
}

// A compact workload's rows carry their speed-up over its f32 row: a column only then, a field
// of the JSON always.
TEST(Report, VsF32IsAColumnWhenARowHasIt) {
  run_output run = sample_run();
  EXPECT_EQ(report_table(run, std::nullopt, false).find("vs f32"), std::string::npos);
  variant_result compact = run.results.front();
  compact.workload = "cosine_i8/d768/n200000";
  compact.vs_f32 = interval{3.61, 3.5, 3.7};
  variant_result f32 = compact;
  f32.variant = "avx512/f32";
  f32.kind = role::f32;
  f32.vs_f32.reset();
  run.results.push_back(compact);
  run.results.push_back(f32);
  const std::string t = report_table(run, std::nullopt, false);
  EXPECT_NE(t.find("vs f32"), std::string::npos);
  EXPECT_NE(t.find("3.61x"), std::string::npos);
  const nlohmann::json j = report_json(run, std::nullopt, "");
  EXPECT_EQ(j["results"][3]["speedup_vs_f32"]["median"], 3.61);
  EXPECT_TRUE(j["results"][0]["speedup_vs_f32"].is_null());
  EXPECT_EQ(j["results"][4]["role"], "f32");
}

}  // namespace
}  // namespace ek::bench
