// workload_file_test.cpp — workload files: exact round trips of every kernel's workload, stable
// bytes, and rejection of files that are valid safetensors but not a consistent workload.
#include "src/harness/workload_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>

#include <nlohmann/json.hpp>

namespace ek::harness {
namespace {

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

std::string error_of(const safetensors& f) {
  try {
    from_safetensors(f, "w.safetensors");
  } catch (const input_error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(WorkloadFile, CosineRoundTripIsExact) {
  const auto w = make_cosine(cosine_family::nonfinite, 19, 7, 3);
  workload_meta meta{"test", "nonfinite", 3, {{"note", "kept"}}};
  const auto back =
      from_safetensors(parse_safetensors(serialize(to_safetensors(w, meta)), "m"), "m");
  EXPECT_EQ(back.kernel, kernel_kind::cosine);
  EXPECT_EQ(back.meta.generator, "test");
  EXPECT_EQ(back.meta.family, "nonfinite");
  EXPECT_EQ(back.meta.seed, 3u);
  EXPECT_EQ(back.meta.extra, meta.extra);
  const auto& c = std::get<cosine_workload>(back.data);
  EXPECT_EQ(c.family, cosine_family::nonfinite);
  EXPECT_EQ(c.dim, 19u);
  EXPECT_EQ(c.count, 7u);
  EXPECT_TRUE(same_bytes(c.query, w.query));
  EXPECT_TRUE(same_bytes(c.candidates, w.candidates));
}

TEST(WorkloadFile, DecayRoundTripIsExact) {
  const auto w = make_decay({ENGRAM_DECAY_HYBRID, true, true, true}, 300, 4);
  const std::string path = ::testing::TempDir() + "ek_workload_decay.safetensors";
  save_workload(path, w, {"test", "hybrid", 4, {}});
  auto back = load_workload(path);
  std::remove(path.c_str());
  auto& d = std::get<decay_workload>(back.data);
  EXPECT_TRUE(same_bytes(d.strengths, w.strengths));
  EXPECT_EQ(d.ages, w.ages);
  EXPECT_TRUE(same_bytes(d.tau_per_memory, w.tau_per_memory));
  EXPECT_EQ(d.call_params().tau_per_memory, d.tau_per_memory.data());
  EXPECT_EQ(std::memcmp(&d.params.tau_seconds, &w.params.tau_seconds, 4 * sizeof(double)), 0);
  EXPECT_EQ(d.params.family, w.params.family);
  EXPECT_EQ(d.params.struct_size, sizeof(engram_decay_params));
}

TEST(WorkloadFile, SpreadRoundTripIsExact) {
  graph_options o;
  o.family = graph_family::power_law;
  o.nodes = 300;
  o.negative_weights = o.multi_edges = true;
  o.params = {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, 5, 0.3f, 0.1f};
  const auto g = make_graph(o, 5);
  const auto back = from_safetensors(to_safetensors(g, {}), "m");
  const auto& h = std::get<graph_workload>(back.data);
  EXPECT_EQ(h.nodes, g.nodes);
  EXPECT_EQ(h.row_offsets, g.row_offsets);
  EXPECT_EQ(h.targets, g.targets);
  EXPECT_TRUE(same_bytes(h.weights, g.weights));
  EXPECT_TRUE(same_bytes(h.activations, g.activations));
  EXPECT_EQ(std::memcmp(&h.params, &g.params, sizeof(engram_spread_params)), 0);
  EXPECT_FALSE(back.meta.seed.has_value());
}

TEST(WorkloadFile, SameWorkloadSameBytes) {
  const auto a = serialize(to_safetensors(make_cosine(cosine_family::gaussian, 8, 4, 1), {}));
  const auto b = serialize(to_safetensors(make_cosine(cosine_family::gaussian, 8, 4, 1), {}));
  EXPECT_EQ(a, b);
}

TEST(WorkloadFile, NumbersRoundTrip) {
  for (double x : {0.1, 1e-300, 86400.0, 5e-324, -0.0}) {
    const std::string s = format_number(x);
    const double y = std::strtod(s.c_str(), nullptr);
    EXPECT_EQ(std::memcmp(&x, &y, sizeof x), 0) << s;
  }
  EXPECT_EQ(format_number(0.01f), "0.01");
}

TEST(WorkloadFile, RejectsInconsistentWorkloads) {
  const auto cos = to_safetensors(make_cosine(cosine_family::gaussian, 8, 4, 1), {});
  auto f = cos;
  f.tensors.erase("query");
  EXPECT_NE(error_of(f).find("tensor 'query' is missing"), std::string::npos);
  f = cos;
  f.metadata["dim"] = "9";
  EXPECT_NE(error_of(f).find("tensor 'query' has the wrong shape (expected [9])"),
            std::string::npos);
  f = cos;
  f.metadata["count"] = "4x";
  EXPECT_NE(error_of(f).find("'count' = '4x' is not a valid number"), std::string::npos);
  f = cos;
  f.metadata["kernel"] = "matmul";
  EXPECT_NE(error_of(f).find("unknown kernel 'matmul'"), std::string::npos);
  f = cos;
  f.metadata.erase("kernel");
  EXPECT_NE(error_of(f).find("metadata has no 'kernel'"), std::string::npos);
  f = cos;
  f.metadata["schema_version"] = "99";
  EXPECT_NE(error_of(f).find("schema_version 99"), std::string::npos);
  f = cos;
  f.tensors["extra"] = tensor::from(std::vector<float>{1});
  EXPECT_NE(error_of(f).find("unexpected tensor 'extra'"), std::string::npos);
  f = cos;
  f.tensors["query"] = tensor::from(std::vector<double>(8, 1.0));
  EXPECT_NE(error_of(f).find("dtype F64, expected F32"), std::string::npos);

  const auto dec = to_safetensors(make_decay({}, 10, 1), {});
  f = dec;
  f.tensors["ages_seconds"] = tensor::from(std::vector<uint64_t>(9, 1));
  EXPECT_NE(error_of(f).find("'ages_seconds' has the wrong shape"), std::string::npos);
  f = dec;
  f.metadata["decay_family"] = "linear";
  EXPECT_NE(error_of(f).find("unknown decay family 'linear'"), std::string::npos);
  f = dec;
  f.metadata["per_memory_tau"] = "true";
  EXPECT_NE(error_of(f).find("tensor 'tau_per_memory' is missing"), std::string::npos);
  f = dec;
  f.metadata["tau_seconds"] = "";
  EXPECT_NE(error_of(f).find("'tau_seconds' = '' is not a valid number"), std::string::npos);

  graph_options o;
  o.nodes = 10;
  const auto spr = to_safetensors(make_graph(o, 1), {});
  f = spr;
  f.metadata["nodes"] = "11";
  EXPECT_NE(error_of(f).find("'row_offsets' has the wrong shape (expected [12])"),
            std::string::npos);
  f = spr;
  f.metadata["mode"] = "sideways";
  EXPECT_NE(error_of(f).find("'mode' must be frontier or dense"), std::string::npos);
  f = spr;
  f.tensors["weights"] = tensor::from(std::vector<float>{1});
  EXPECT_NE(error_of(f).find("'weights' has the wrong shape"), std::string::npos);
  f = spr;
  f.metadata["steps"] = "-1";
  EXPECT_NE(error_of(f).find("'steps' = '-1' is not a valid number"), std::string::npos);
}

// The bf16 and int8 kinds: F32 queries, BF16 (bits) or I8 candidates, every value exact, the
// kernel's query layout (one "query" for similarity, "queries" and k for top-k).
TEST(WorkloadFile, CompactRoundTripsAreExact) {
  for (kernel_kind kernel : {kernel_kind::cosine_bf16, kernel_kind::cosine_i8,
                             kernel_kind::topk_bf16, kernel_kind::topk_i8}) {
    const bool topk = is_topk(kernel);
    auto w = make_compact(*compact_type(kernel), cosine_family::nonfinite, 13, topk ? 5 : 1, 7, 3);
    if (topk) w.k = 4;
    const safetensors f = to_safetensors(w, kernel, {"test", "nonfinite", 3, {}});
    const tensor& rows = f.tensors.at("candidates");
    EXPECT_EQ(to_string(rows.type), w.type == element_type::bf16 ? "BF16" : "I8");
    EXPECT_EQ(f.tensors.count(topk ? "queries" : "query"), 1u);
    const auto back = from_safetensors(parse_safetensors(serialize(f), "m"), "m");
    EXPECT_EQ(back.kernel, kernel);
    const auto& c = std::get<compact_workload>(back.data);
    EXPECT_EQ(c.type, w.type);
    EXPECT_EQ(c.family, cosine_family::nonfinite);
    EXPECT_EQ(c.dim, 13u);
    EXPECT_EQ(c.num_queries, w.num_queries);
    EXPECT_EQ(c.count, 7u);
    EXPECT_EQ(c.k, w.k);
    EXPECT_TRUE(same_bytes(c.queries, w.queries));
    EXPECT_TRUE(same_bytes(c.bf16, w.bf16));
    EXPECT_TRUE(same_bytes(c.i8, w.i8));
  }
  // A workload is saved only under its own type's kinds, and similarity takes one query.
  const auto two = make_compact(element_type::i8, cosine_family::gaussian, 4, 2, 3, 1);
  EXPECT_THROW(to_safetensors(two, kernel_kind::topk_bf16, {}), std::invalid_argument);
  EXPECT_THROW(to_safetensors(two, kernel_kind::cosine_i8, {}), std::invalid_argument);
}

// Data by element size, largest first: the F32 query after 7 x 13 I8 candidates (91 bytes)
// would start misaligned in name order.
TEST(WorkloadFile, EveryTensorStartsAlignedToItsElementSize) {
  const auto w = make_compact(element_type::i8, cosine_family::gaussian, 13, 1, 7, 3);
  const std::vector<std::byte> bytes = serialize(to_safetensors(w, kernel_kind::cosine_i8, {}));
  uint64_t header = 0;
  std::memcpy(&header, bytes.data(), sizeof header);
  const auto json = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + header);
  EXPECT_EQ(json["query"]["data_offsets"][0], 0);
  EXPECT_EQ(json["candidates"]["data_offsets"][0], 13 * 4);
}

TEST(WorkloadFile, RejectsInconsistentCompactWorkloads) {
  const auto bf = make_compact(element_type::bf16, cosine_family::gaussian, 8, 3, 4, 1);
  const auto topk = to_safetensors(bf, kernel_kind::topk_bf16, {});
  auto f = topk;
  // The bits of a BF16 tensor, but another dtype of the same size: refused by name.
  f.tensors["candidates"] = tensor::from(std::span<const uint16_t>(bf.bf16), {4, 8});
  EXPECT_NE(error_of(f).find("'candidates' has dtype U16, expected BF16"), std::string::npos);
  f = topk;
  f.tensors["candidates"] = tensor::from(std::vector<int8_t>(32, 1));
  EXPECT_NE(error_of(f).find("'candidates' has dtype I8, expected BF16"), std::string::npos);
  f = topk;
  f.metadata["kernel"] = "topk_i8";
  EXPECT_NE(error_of(f).find("'candidates' has dtype BF16, expected I8"), std::string::npos);
  f = topk;
  f.metadata["count"] = "5";
  EXPECT_NE(error_of(f).find("'candidates' has the wrong shape (expected [5, 8])"),
            std::string::npos);
  f = topk;
  f.metadata.erase("k");
  EXPECT_NE(error_of(f).find("metadata has no 'k'"), std::string::npos);
  f = topk;
  f.metadata["num_queries"] = "2";
  EXPECT_NE(error_of(f).find("'queries' has the wrong shape (expected [2, 8])"), std::string::npos);
  f = topk;
  f.metadata["kernel"] = "cosine_bf16";  // a similarity file holds one "query"
  EXPECT_NE(error_of(f).find("tensor 'query' is missing"), std::string::npos);

  const auto i8 = make_compact(element_type::i8, cosine_family::gaussian, 8, 1, 4, 1);
  const auto cos = to_safetensors(i8, kernel_kind::cosine_i8, {});
  f = cos;
  f.tensors["queries"] = tensor::from(std::vector<float>(8, 1.0f));
  EXPECT_NE(error_of(f).find("unexpected tensor 'queries'"), std::string::npos);
  f = cos;
  f.tensors["query"] = tensor::from(std::vector<double>(8, 1.0));
  EXPECT_NE(error_of(f).find("'query' has dtype F64, expected F32"), std::string::npos);
}

TEST(WorkloadFile, OutputsRoundTrip) {
  const std::string path = ::testing::TempDir() + "ek_workload_out.safetensors";
  const std::vector<float> scores{0.5f, -1.0f, 0.0f};
  save_output(path, kernel_kind::cosine, scores, {});
  EXPECT_EQ(load_output(path, kernel_kind::cosine), scores);
  EXPECT_THROW(load_output(path, kernel_kind::decay), input_error);
  EXPECT_THROW(load_workload(path), input_error);
  std::remove(path.c_str());
  EXPECT_THROW(load_workload("/etc/passwd"), input_error);
}

}  // namespace
}  // namespace ek::harness
