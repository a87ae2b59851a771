// report_test.cpp — the bench-document reader rejects malformed input naming its source, and the
// renderers escape every string from the document and draw a non-empty chart per section.
#include "src/report/report.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>

namespace {

using nlohmann::json;

const std::string hostile = "<script>alert('x')</script>&\"|";

json row(const std::string& workload, const std::string& variant, const std::string& role,
         double median_ns, double speedup) {
  return {{"workload", workload},
          {"kernel", "cosine"},
          {"variant", variant},
          {"role", role},
          {"verified", true},
          {"status", "verified"},
          {"median_ns", median_ns},
          {"unit", "ns/candidate"},
          {"per_unit", median_ns / 1000},
          {"speedup_vs_reference",
           {{"median", speedup}, {"low", speedup * 0.95}, {"high", speedup * 1.05}}},
          {"roofline_fraction", 0.4}};
}

json document() {
  return {{"schema_version", 1},
          {"machine",
           {{"key", "GenuineIntel-6-207-avx512"},
            {"cpu", hostile},
            {"isa", "avx512"},
            {"compiler", "GCC 12"},
            {"flags", "-O3"},
            {"libraries", {{"xsimd", "8.1.0"}}}}},
          {"context", {{"date", "2025-01-01T00:00:00"}, {"host_name", "box"}}},
          {"results",
           {row("cosine/d768/n1000", "reference", "reference", 400000, 1),
            row("cosine/d768/n1000", "avx512", "isa", 40000, 10),
            row("cosine/d768/n1000", "avx512/aa", "aa", 40500, 9.9),
            row("cosine/d768/n1000", hostile, "peer", 60000, 6.7)}},
          {"baseline", {{"file", "baselines/x.json"}, {"comparable", true}, {"note", ""}}},
          {"verdicts",
           {{{"workload", "cosine/d768/n1000"},
             {"variant", "avx512"},
             {"verdict", "regressed"},
             {"change", {{"median", -0.12}, {"low", -0.15}, {"high", -0.09}}}}}}};
}

TEST(report, html_escapes_every_document_string_and_draws_every_chart) {
  const auto run = ek::report::parse_bench_run(document(), "results.json");
  const std::string html = ek::report::render_html({run}, "bench --workload " + hostile);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;|"),
            std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"))
      << "no resource but the SVG namespace name";
  // Speed-up, roofline, peers and verdicts: four charts, every bar wider than zero.
  const std::regex svg("<svg "), rect(
                                     "<rect class=\"b-[a-z]+\" x=\"[-0-9.e]+\" y=\"[-0-9.e]+\" "
                                     "width=\"([-0-9.e]+)\"");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(html.begin(), html.end(), svg), std::sregex_iterator()),
      4);
  int bars = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), rect); it != std::sregex_iterator();
       ++it, ++bars)
    EXPECT_GE(std::stod((*it)[1]), 1.0);
  // speed-up: avx512 + aa; roofline: all four; peers: reference, best ISA, peer; verdicts: one.
  EXPECT_EQ(bars, 2 + 4 + 3 + 1);
}

TEST(report, markdown_keeps_cells_in_their_columns) {
  const auto run = ek::report::parse_bench_run(document(), "results.json");
  const std::string md = ek::report::render_markdown({run}, "bench");
  EXPECT_NE(md.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(md.find("&quot;\\|"), std::string::npos);
  EXPECT_NE(md.find("| cosine/d768/n1000 | avx512 | 40.000 us | 40.0 ns/candidate | 10.00x"),
            std::string::npos)
      << md;
}

void expect_rejected(const json& doc, const std::string& says) {
  try {
    ek::report::parse_bench_run(doc, "in.json");
    ADD_FAILURE() << "accepted a document that should fail with: " << says;
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("in.json", 0), 0u) << what;
    EXPECT_NE(what.find(says), std::string::npos) << what;
  }
}

TEST(report, malformed_documents_are_rejected_naming_the_source) {
  expect_rejected(json::array(), "expected an object");
  json d = document();
  d["schema_version"] = 2;
  expect_rejected(d, "schema_version");
  d = document();
  d.erase("results");
  expect_rejected(d, "missing \"results\"");
  d = document();
  d["results"][1]["median_ns"] = "fast";
  expect_rejected(d, "results[1]: \"median_ns\" must be a number");
  d = document();
  d["results"][0]["speedup_vs_reference"] = {{"median", 1}};
  expect_rejected(d, "results[0] speedup_vs_reference: missing \"low\"");
  d = document();
  d["machine"]["libraries"] = {{"xsimd", 8}};
  expect_rejected(d, "library versions must be strings");
  d = document();
  d["verdicts"][0]["change"] = nullptr;
  expect_rejected(d, "verdicts[0]");
}

TEST(report, unreadable_or_non_json_files_are_rejected_naming_the_file) {
  const std::string path = testing::TempDir() + "report_test_not_json.json";
  std::ofstream(path) << "{\"schema_version\": 1, ";
  EXPECT_THROW(
      {
        try {
          ek::report::load_bench_run(path);
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find(path + ": not valid JSON"), std::string::npos);
          throw;
        }
      },
      std::invalid_argument);
  std::remove(path.c_str());
  EXPECT_THROW(ek::report::load_bench_run(path), std::invalid_argument);
}

}  // namespace

namespace {

// A `bench --against` document: machine and the A/B rows, no results.
TEST(report, an_ab_document_draws_its_timed_rows_as_verdicts) {
  json doc = document();
  doc.erase("results");
  doc.erase("baseline");
  doc.erase("verdicts");
  doc["against"] = {{"base", "base/libengram_kern.so"},
                    {"base_version", "0.1.0"},
                    {"rows",
                     {{{"workload", "decay/exponential/n10000"},
                       {"kernel", "decay"},
                       {"variant", "avx2"},
                       {"status", "timed"},
                       {"verdict", "regressed"},
                       {"change", {{"median", -0.33}, {"low", -0.35}, {"high", -0.31}}}},
                      {{"workload", "recall/m1000/d768/k10"},
                       {"kernel", "recall"},
                       {"variant", "avx2"},
                       {"status", "not through the C ABI"}}}}};
  const ek::report::bench_run run = ek::report::parse_bench_run(doc, "ab.json");
  ASSERT_EQ(run.verdicts.size(), 1u);  // the untimed recall row is not drawn
  EXPECT_EQ(run.verdicts[0].verdict, "regressed");
  EXPECT_DOUBLE_EQ(run.verdicts[0].change.median, -0.33);
  ASSERT_TRUE(run.baseline_note.has_value());
  EXPECT_NE(run.baseline_note->find("A/B against base/libengram_kern.so"), std::string::npos);
  const std::string html = ek::report::render_html({run}, "bench --against");
  EXPECT_NE(html.find("decay/exponential/n10000"), std::string::npos);
}

}  // namespace
