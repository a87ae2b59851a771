// baseline_test.cpp — baseline files: round trip, the atomic write, and every rejection naming
// the file and the problem.
#include "src/bench/baseline.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ek::bench {
namespace {

namespace fs = std::filesystem;

class Baseline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ek_bench_baseline_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
  }
  std::string load_error(const std::string& file) const {
    try {
      load_baseline(file);
    } catch (const baseline_error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

baseline sample() {
  baseline b;
  b.machine.key = "GenuineIntel-6-207-avx512";
  b.machine.vendor = "GenuineIntel";
  b.machine.family = 6;
  b.machine.model = 207;
  b.machine.cpu = "Intel(R) Xeon(R)";
  b.machine.isa = "avx512";
  b.machine.compiler = "GCC 12.2.0";
  b.machine.flags = "Release: -O3";
  b.machine.libraries = {{"benchmark", "1.7.1"}, {"engram_kern", "0.1.0"}};
  b.repetitions = 3;
  b.min_time_s = 0.05;
  variant_result r;
  r.workload = "decay/exponential/n10000";
  r.kernel = "decay";
  r.variant = "avx512";
  r.kind = role::isa;
  r.median_ns = 1500;
  r.mad_ns = 12.5;
  r.times_ns = {1490, 1500, 1510};
  r.speedups = {8.0, 8.25, 7.5};
  r.process_speedups = {8.0, 7.75};
  r.speedup = interval{8.0, 7.5, 8.25};
  b.results.push_back(r);
  return b;
}

TEST_F(Baseline, RoundTrip) {
  const baseline b = sample();
  save_baseline(b, path("m.json"));
  const baseline back = load_baseline(path("m.json"));
  EXPECT_EQ(back.schema_version, schema_version);
  EXPECT_EQ(to_json(back), to_json(b));
  ASSERT_EQ(back.results.size(), 1u);
  EXPECT_EQ(back.results[0].times_ns, b.results[0].times_ns);
  EXPECT_EQ(back.results[0].speedups, b.results[0].speedups);
  EXPECT_EQ(back.results[0].process_speedups, b.results[0].process_speedups);
  EXPECT_EQ(back.machine.libraries, b.machine.libraries);
}

TEST_F(Baseline, WriteReplacesAtomicallyAndLeavesNoTemporaryFile) {
  write("m.json", "old contents");
  save_baseline(sample(), path("m.json"));
  EXPECT_EQ(load_baseline(path("m.json")).machine.key, "GenuineIntel-6-207-avx512");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    ++files;
    EXPECT_EQ(e.path().filename(), "m.json");
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(Baseline, FailedWriteNamesTheFileAndLeavesTheOldOneIntact) {
  write("keep.json", "old contents");
  // The target is a directory: the rename cannot replace it, and nothing else is touched.
  fs::create_directories(dir_ / "taken.json");
  fs::create_directories(dir_ / "taken.json" / "child");
  EXPECT_THROW(save_baseline(sample(), path("taken.json")), baseline_error);
  EXPECT_THROW(save_baseline(sample(), path("no/such/dir/m.json")), baseline_error);
  std::ifstream in(path("keep.json"));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "old contents");
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(Baseline, MissingFileIsNamed) {
  const std::string e = load_error(path("absent.json"));
  EXPECT_NE(e.find(path("absent.json")), std::string::npos) << e;
  EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
}

TEST_F(Baseline, NotJsonIsNamed) {
  write("bad.json", "{\"schema_version\": 1,");
  const std::string e = load_error(path("bad.json"));
  EXPECT_NE(e.find(path("bad.json")), std::string::npos) << e;
  EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
}

TEST_F(Baseline, MissingOrMistypedFieldIsNamed) {
  nlohmann::json j = to_json(sample());
  j["machine"].erase("key");
  write("nokey.json", j.dump());
  EXPECT_NE(load_error(path("nokey.json")).find("missing field 'key'"), std::string::npos);

  j = to_json(sample());
  j["results"][0]["speedups"] = "fast";
  write("type.json", j.dump());
  EXPECT_NE(load_error(path("type.json")).find("'speedups' has the wrong type"), std::string::npos);

  j = to_json(sample());
  j["results"][0]["speedups"][0] = -1.0;
  write("negative.json", j.dump());
  EXPECT_NE(load_error(path("negative.json")).find("malformed"), std::string::npos);
}

// Found by fuzz_baseline_file: a huge or fractional number in an integer field was converted with
// an undefined cast. It must be refused as malformed.
TEST_F(Baseline, IntegerFieldOutOfRangeIsMalformed) {
  for (const nlohmann::json& bad :
       {nlohmann::json(7.7e53), nlohmann::json(1.5), nlohmann::json(-1), nlohmann::json(1e300)}) {
    nlohmann::json j = to_json(sample());
    j["machine"]["family"] = bad;
    write("range.json", j.dump());
    const std::string e = load_error(path("range.json"));
    EXPECT_NE(e.find("'family' is not an integer in range"), std::string::npos) << bad << ": " << e;
  }
  nlohmann::json j = to_json(sample());
  j["schema_version"] = 7.7e53;
  write("schema.json", j.dump());
  EXPECT_NE(load_error(path("schema.json")).find("malformed"), std::string::npos);
}

TEST_F(Baseline, FutureSchemaIsRefused) {
  nlohmann::json j = to_json(sample());
  j["schema_version"] = schema_version + 1;
  write("future.json", j.dump());
  const std::string e = load_error(path("future.json"));
  EXPECT_NE(e.find(path("future.json")), std::string::npos) << e;
  EXPECT_NE(e.find("future schema"), std::string::npos) << e;
}

TEST_F(Baseline, OlderSchemasMustBeRecordedAgain) {
  for (int version = 1; version < schema_version; ++version) {
    nlohmann::json j = to_json(sample());
    j["schema_version"] = version;
    write("old.json", j.dump());
    const std::string e = load_error(path("old.json"));
    EXPECT_NE(e.find("record the baseline again"), std::string::npos) << version << ": " << e;
  }
}

}  // namespace
}  // namespace ek::bench
