// safetensors_test.cpp — the safetensors layout: exact bytes of a small file, round trips, and
// the rejection (with a message naming the problem) of every malformed case, from hand-built
// byte strings.
#include "src/harness/safetensors.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace ek::harness {
namespace {

std::vector<std::byte> file_bytes(const std::string& header, const std::string& data = "") {
  std::vector<std::byte> out(8);
  const uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  for (char c : header + data) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::string error_of(const std::vector<std::byte>& bytes) {
  try {
    parse_safetensors(bytes, "bad.safetensors");
  } catch (const input_error& e) {
    return e.what();
  }
  return "(accepted)";
}

// Expects rejection with a message that names the file and contains `problem`.
void expect_rejected(const std::vector<std::byte>& bytes, const std::string& problem) {
  const std::string message = error_of(bytes);
  EXPECT_EQ(message.rfind("bad.safetensors: ", 0), 0u) << message;
  EXPECT_NE(message.find(problem), std::string::npos) << message;
}

TEST(Safetensors, ExactBytesOfASmallFile) {
  safetensors f;
  f.metadata["kernel"] = "x";
  f.tensors["a"] = tensor::from(std::vector<uint32_t>{7});
  const auto bytes = serialize(f);
  const std::string header =
      R"({"__metadata__":{"kernel":"x"},"a":{"data_offsets":[0,4],"dtype":"U32","shape":[1]}})";
  const std::string padded = header + std::string((8 - header.size() % 8) % 8, ' ');
  EXPECT_EQ(bytes, file_bytes(padded, std::string("\x07\0\0\0", 4)));
  EXPECT_EQ((bytes.size() - 8 - 4) % 8, 0u);
}

TEST(Safetensors, RoundTrip) {
  safetensors f;
  f.metadata = {{"seed", "7"}, {"note", "two words"}};
  f.tensors["m"] =
      tensor::from(std::span<const float>(std::vector<float>{1, 2, 3, 4, 5, 6}), {2, 3});
  f.tensors["ages"] = tensor::from(std::vector<uint64_t>{0, UINT64_MAX});
  f.tensors["empty"] = tensor::from(std::vector<float>{});
  f.tensors["scalar"] = tensor::from(std::span<const float>(std::vector<float>{9}), {});
  const auto back = parse_safetensors(serialize(f), "mem");
  EXPECT_EQ(back.metadata, f.metadata);
  ASSERT_EQ(back.tensors.size(), 4u);
  EXPECT_EQ(back.tensors.at("m").shape, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(back.tensors.at("m").values<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(back.tensors.at("ages").values<uint64_t>()[1], UINT64_MAX);
  EXPECT_EQ(back.tensors.at("scalar").elements(), 1u);
  EXPECT_TRUE(back.tensors.at("empty").data.empty());
  EXPECT_THROW(back.tensors.at("m").values<uint32_t>(), input_error);
  EXPECT_EQ(serialize(back), serialize(f));
}

TEST(Safetensors, FileRoundTripAndMissingFile) {
  const std::string path = ::testing::TempDir() + "ek_safetensors_test.safetensors";
  safetensors f;
  f.tensors["x"] = tensor::from(std::vector<float>{1.5f});
  write_safetensors(path, f);
  EXPECT_EQ(read_safetensors(path).tensors.at("x").values<float>()[0], 1.5f);
  std::remove(path.c_str());
  EXPECT_THROW(read_safetensors(path), input_error);
  EXPECT_THROW(read_safetensors("/"), input_error);
}

TEST(Safetensors, RejectsEachMalformedCase) {
  const std::string four(4, '\0');
  expect_rejected({}, "shorter than the 8-byte header length");
  expect_rejected(std::vector<std::byte>(5), "shorter than the 8-byte header length");
  auto too_long = file_bytes("{}");
  too_long[0] = std::byte{200};
  expect_rejected(too_long, "runs past the end of the file");
  auto absurd = file_bytes("{}");
  absurd[7] = std::byte{1};
  expect_rejected(absurd, "absurd");
  expect_rejected(file_bytes("{\"a\":"), "not valid JSON");
  expect_rejected(file_bytes("[1, 2]"), "not a JSON object");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", four),
                  "unknown dtype 'F33'");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", four),
                  "shape entry must be a non-negative integer");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", four),
                  "shape entry must be a non-negative integer");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", four),
                  "holds 4 bytes but its shape and dtype need 8");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", four),
                  "run outside the data area");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", four),
                  "begin after they end");
  expect_rejected(file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}})",
                             four),
                  "tensors 'a' and 'b' overlap");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}})", four),
                  "data bytes [0, 2) belong to no tensor");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})", four),
                  "data bytes [2, 4) belong to no tensor");
  expect_rejected(file_bytes(R"({"__metadata__":{"seed":7}})"), "value of 'seed' is not a string");
  expect_rejected(file_bytes(R"({"__metadata__":[]})"), "__metadata__ is not an object");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},)"
                             R"("a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}})"),
                  "names 'a' twice");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0],"x":1}})"),
                  "unknown field 'x'");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U8","shape":[0]}})"), "no data_offsets");
  expect_rejected(file_bytes(R"({"a":{"dtype":"U64","shape":[4294967296,4294967296],)"
                             R"("data_offsets":[0,0]}})"),
                  "shape overflows");
  expect_rejected(file_bytes(R"({"a":7})"), "tensor 'a' is not an object");
}

TEST(Safetensors, AcceptsPaddingAndEmptyFiles) {
  EXPECT_TRUE(parse_safetensors(file_bytes("{}      "), "x").tensors.empty());
  const auto f = parse_safetensors(
      file_bytes(R"({"a":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}  )", "ab"), "x");
  EXPECT_EQ(f.tensors.at("a").type, dtype::BOOL);
}

TEST(Safetensors, RejectsEtcPasswd) {
  try {
    read_safetensors("/etc/passwd");
    FAIL() << "accepted /etc/passwd";
  } catch (const input_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/etc/passwd: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace ek::harness
