// workload_file.hpp — whole kernel workloads and kernel outputs as safetensors files: tensor
// names, dtypes and "__metadata__" keys (kernel, schema_version, generator, family, seed, every
// kernel parameter as a string). Layout and rules: docs/workloads.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "src/harness/generators.hpp"
#include "src/harness/safetensors.hpp"

namespace ek::harness {

/// Version of the tensor names and metadata keys below; bump it when they or the generators'
/// bytes change.
inline constexpr int workload_schema_version = 1;

/// batch: engram_vector_similarity_batch; topk: engram_vector_topk (both on a
/// cosine_batch_workload, topk with its k). cosine_bf16 / cosine_i8: engram_vector_similarity_bf16
/// / _i8 (a compact_workload of one query); topk_bf16 / topk_i8: engram_vector_topk_bf16 / _i8 (a
/// compact_workload with its k).
enum class kernel_kind {
  cosine,
  decay,
  spread,
  batch,
  topk,
  cosine_bf16,
  cosine_i8,
  topk_bf16,
  topk_i8
};
std::string to_string(kernel_kind k);  // "cosine", "decay", ..., "topk_i8": the enumerator's name
/// Throws std::invalid_argument naming the valid choices.
kernel_kind parse_kernel_kind(const std::string& name);
/// The candidates' type of a compact kind (cosine_bf16, cosine_i8, topk_bf16, topk_i8); none for
/// the float kinds.
std::optional<element_type> compact_type(kernel_kind k);
/// topk, topk_bf16 and topk_i8: the kinds that select k results per query.
bool is_topk(kernel_kind k);

/// Where a workload came from. Written to "__metadata__" and read back.
struct workload_meta {
  std::string generator = "engram-kern";  // the program (and version) that wrote it
  std::string family;                     // generator family: "gaussian", "hybrid", "power_law"...
  std::optional<uint64_t> seed;
  std::map<std::string, std::string> extra;  // any other metadata keys, kept as they are
};

/// A loaded workload (a plain value: copies and moves need no fix-up).
struct loaded_workload {
  kernel_kind kernel = kernel_kind::cosine;
  workload_meta meta;
  std::variant<cosine_workload, decay_workload, graph_workload, cosine_batch_workload,
               compact_workload>
      data;
};

/// The safetensors form of a workload (the exact tensors and metadata the file holds).
safetensors to_safetensors(const cosine_workload& w, const workload_meta& meta);
safetensors to_safetensors(const decay_workload& w, const workload_meta& meta);
safetensors to_safetensors(const graph_workload& w, const workload_meta& meta);
/// kernel is batch or topk (which also writes k).
safetensors to_safetensors(const cosine_batch_workload& w, kernel_kind kernel,
                           const workload_meta& meta);
/// kernel is the compact kind of w.type: queries F32 ("query" [dim] for the similarity kinds,
/// which need num_queries 1; "queries" [num_queries, dim] and k for top-k), candidates BF16 or
/// I8 [count, dim]. Throws std::invalid_argument for another kernel or query count.
safetensors to_safetensors(const compact_workload& w, kernel_kind kernel,
                           const workload_meta& meta);

/// Checks kernel-level consistency (required tensors with the right dtypes and shapes, shapes
/// agreeing with each other and with the metadata, parameters that parse) and converts. Range
/// checks of parameters and graph validity are left to the C ABI. `source` prefixes errors.
loaded_workload from_safetensors(const safetensors& file, const std::string& source);

/// save: to_safetensors + write_safetensors. load: read_safetensors + from_safetensors; every
/// failure is an input_error naming the file.
void save_workload(const std::string& path, const cosine_workload& w, const workload_meta& meta);
void save_workload(const std::string& path, const decay_workload& w, const workload_meta& meta);
void save_workload(const std::string& path, const graph_workload& w, const workload_meta& meta);
void save_workload(const std::string& path, const cosine_batch_workload& w, kernel_kind kernel,
                   const workload_meta& meta);
void save_workload(const std::string& path, const compact_workload& w, kernel_kind kernel,
                   const workload_meta& meta);
/// Any loaded or generated workload, under its own kernel.
void save_workload(const std::string& path, const loaded_workload& w);
loaded_workload load_workload(const std::string& path);

/// Kernel outputs: one F32 tensor named after the kernel's output ("scores", "strengths",
/// "activations"; batch, cosine_bf16 and cosine_i8 "scores"; the top-k kinds "top_scores"),
/// shape [n], with kernel, schema_version and
/// the `meta` keys as metadata.
std::string output_tensor_name(kernel_kind k);
void save_output(const std::string& path, kernel_kind k, std::span<const float> values,
                 const workload_meta& meta);
/// Reads an output file written by save_output; throws input_error if the kernel differs or the
/// tensor is missing or not F32.
std::vector<float> load_output(const std::string& path, kernel_kind k);

/// Shortest decimal text that parses back to the same value (std::to_chars), used for every
/// floating-point parameter in metadata.
std::string format_number(double x);
std::string format_number(float x);

}  // namespace ek::harness
