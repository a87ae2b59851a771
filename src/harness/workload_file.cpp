// workload_file.cpp — workloads <-> safetensors. Metadata values are the shortest round-trip text
// of each parameter, so a saved and reloaded workload runs bit-identically.
#include "src/harness/workload_file.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "engram_kern.h"

namespace ek::harness {

namespace {

template <class T>
std::string shortest(T x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

safetensors with_meta(kernel_kind k, const workload_meta& meta) {
  safetensors f;
  f.metadata = meta.extra;
  f.metadata["kernel"] = to_string(k);
  f.metadata["schema_version"] = std::to_string(workload_schema_version);
  f.metadata["generator"] = meta.generator;
  if (!meta.family.empty()) f.metadata["family"] = meta.family;
  if (meta.seed) f.metadata["seed"] = std::to_string(*meta.seed);
  return f;
}

// Reads typed metadata and tensors, naming the file and the key in every error.
class reader {
 public:
  reader(const safetensors& f, const std::string& source) : f_(f), source_(source) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw input_error(source_ + ": " + problem);
  }
  const std::string& text(const std::string& key) const {
    const auto it = f_.metadata.find(key);
    if (it == f_.metadata.end()) fail("metadata has no '" + key + "'");
    return it->second;
  }
  template <class T>
  T number(const std::string& key) const {
    const std::string& s = text(key);
    T value{};
    const auto r = std::from_chars(s.data(), s.data() + s.size(), value);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size())
      fail("metadata '" + key + "' = '" + s + "' is not a valid number");
    return value;
  }
  bool flag(const std::string& key) const {
    const std::string& s = text(key);
    if (s != "true" && s != "false") fail("metadata '" + key + "' must be true or false");
    return s == "true";
  }
  bool has(const std::string& name) const { return f_.tensors.count(name) != 0; }
  // `as`: the dtype the file must hold, when T only carries its bits (BF16 as uint16_t).
  template <class T>
  std::vector<T> vector(const std::string& name, const std::vector<uint64_t>& shape,
                        dtype as = dtype_of<T>()) const {
    const auto it = f_.tensors.find(name);
    if (it == f_.tensors.end()) fail("tensor '" + name + "' is missing");
    const tensor& t = it->second;
    if (t.type != as)
      fail("tensor '" + name + "' has dtype " + to_string(t.type) + ", expected " + to_string(as));
    if (t.shape != shape) {
      std::string want;
      for (uint64_t d : shape) {
        if (!want.empty()) want += ", ";
        want += std::to_string(d);
      }
      fail("tensor '" + name + "' has the wrong shape (expected [" + want + "])");
    }
    return t.values<T>(as);
  }
  // The first dimension of a tensor, for sizes that the tensors define.
  uint64_t length(const std::string& name) const {
    const auto it = f_.tensors.find(name);
    if (it == f_.tensors.end()) fail("tensor '" + name + "' is missing");
    if (it->second.shape.size() != 1) fail("tensor '" + name + "' must have one dimension");
    return it->second.shape[0];
  }

 private:
  const safetensors& f_;
  const std::string& source_;
};

// The cosine family a file names; a hand-made workload may name none: the family is only a
// label.
cosine_family family_label(const workload_meta& meta) {
  try {
    return parse_cosine_family(meta.family);
  } catch (const std::invalid_argument&) {
    return cosine_family::gaussian;
  }
}

// The dtype compact candidates of type t are stored as.
dtype stored_dtype(element_type t) { return t == element_type::bf16 ? dtype::BF16 : dtype::I8; }

cosine_workload read_cosine(const reader& r, const workload_meta& meta) {
  cosine_workload w;
  w.dim = r.number<uint64_t>("dim");
  w.count = r.number<uint64_t>("count");
  w.family = family_label(meta);
  w.query = r.vector<float>("query", {w.dim});
  w.candidates = r.vector<float>("candidates", {w.count, w.dim});
  return w;
}

cosine_batch_workload read_cosine_batch(const reader& r, const workload_meta& meta, bool topk) {
  cosine_batch_workload w;
  w.dim = r.number<uint64_t>("dim");
  w.num_queries = r.number<uint64_t>("num_queries");
  w.count = r.number<uint64_t>("count");
  if (topk) w.k = r.number<uint64_t>("k");
  w.family = family_label(meta);
  w.queries = r.vector<float>("queries", {w.num_queries, w.dim});
  w.candidates = r.vector<float>("candidates", {w.count, w.dim});
  return w;
}

// The similarity kinds hold one "query" [dim], the top-k kinds "queries" and k, as their float
// forms do; the candidates are BF16 (read as their uint16 bits) or I8.
compact_workload read_compact(const reader& r, const workload_meta& meta, kernel_kind kernel) {
  compact_workload w;
  w.type = *compact_type(kernel);
  w.family = family_label(meta);
  w.dim = r.number<uint64_t>("dim");
  w.count = r.number<uint64_t>("count");
  if (is_topk(kernel)) {
    w.num_queries = r.number<uint64_t>("num_queries");
    w.k = r.number<uint64_t>("k");
    w.queries = r.vector<float>("queries", {w.num_queries, w.dim});
  } else {
    w.num_queries = 1;
    w.queries = r.vector<float>("query", {w.dim});
  }
  const std::vector<uint64_t> shape{w.count, w.dim};
  if (w.type == element_type::bf16)
    w.bf16 = r.vector<uint16_t>("candidates", shape, dtype::BF16);
  else
    w.i8 = r.vector<int8_t>("candidates", shape, dtype::I8);
  return w;
}

decay_workload read_decay(const reader& r) {
  decay_workload w;
  const uint64_t n = r.length("strengths");
  w.strengths = r.vector<float>("strengths", {n});
  w.ages = r.vector<uint64_t>("ages_seconds", {n});
  if (r.flag("per_memory_tau"))
    w.tau_per_memory = r.vector<float>("tau_per_memory", {n});
  else if (r.has("tau_per_memory"))
    r.fail("tensor 'tau_per_memory' present but per_memory_tau is false");
  auto& p = w.params;
  p.struct_size = sizeof(engram_decay_params);
  const std::string family = r.text("decay_family");
  try {
    p.family = static_cast<uint32_t>(parse_decay_family(family));
  } catch (const std::invalid_argument& e) {
    r.fail(std::string("metadata 'decay_family': ") + e.what());
  }
  p.tau_seconds = r.number<double>("tau_seconds");
  p.beta = r.number<double>("beta");
  p.switch_seconds = r.number<double>("switch_seconds");
  p.floor = r.number<double>("floor");
  return w;
}

graph_workload read_graph(const reader& r) {
  graph_workload g;
  const auto nodes = r.number<uint64_t>("nodes");
  if (nodes > UINT32_MAX) r.fail("metadata 'nodes' exceeds UINT32_MAX");
  g.nodes = static_cast<uint32_t>(nodes);
  const uint64_t edges = r.length("targets");
  g.row_offsets = r.vector<uint64_t>("row_offsets", {nodes + 1});
  g.targets = r.vector<uint32_t>("targets", {edges});
  g.weights = r.vector<float>("weights", {edges});
  g.activations = r.vector<float>("activations", {nodes});
  auto& p = g.params;
  p.struct_size = sizeof(engram_spread_params);
  const std::string mode = r.text("mode");
  if (mode != "frontier" && mode != "dense") r.fail("metadata 'mode' must be frontier or dense");
  p.mode = mode == "dense" ? ENGRAM_SPREAD_DENSE : ENGRAM_SPREAD_FRONTIER;
  p.steps = r.number<uint32_t>("steps");
  p.hop_decay = r.number<float>("hop_decay");
  p.threshold = r.number<float>("threshold");
  return g;
}

}  // namespace

std::string format_number(double x) { return shortest(x); }
std::string format_number(float x) { return shortest(x); }

std::string to_string(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine:
      return "cosine";
    case kernel_kind::decay:
      return "decay";
    case kernel_kind::spread:
      return "spread";
    case kernel_kind::batch:
      return "batch";
    case kernel_kind::topk:
      return "topk";
    case kernel_kind::cosine_bf16:
      return "cosine_bf16";
    case kernel_kind::cosine_i8:
      return "cosine_i8";
    case kernel_kind::topk_bf16:
      return "topk_bf16";
    case kernel_kind::topk_i8:
      return "topk_i8";
  }
  return "unknown";
}

kernel_kind parse_kernel_kind(const std::string& name) {
  for (kernel_kind k : {kernel_kind::cosine, kernel_kind::decay, kernel_kind::spread,
                        kernel_kind::batch, kernel_kind::topk, kernel_kind::cosine_bf16,
                        kernel_kind::cosine_i8, kernel_kind::topk_bf16, kernel_kind::topk_i8})
    if (to_string(k) == name) return k;
  throw std::invalid_argument(
      "unknown kernel '" + name +
      "' (valid: cosine|decay|spread|batch|topk|cosine_bf16|cosine_i8|topk_bf16|topk_i8)");
}

std::optional<element_type> compact_type(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine_bf16:
    case kernel_kind::topk_bf16:
      return element_type::bf16;
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_i8:
      return element_type::i8;
    case kernel_kind::cosine:
    case kernel_kind::decay:
    case kernel_kind::spread:
    case kernel_kind::batch:
    case kernel_kind::topk:
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_topk(kernel_kind k) {
  return k == kernel_kind::topk || k == kernel_kind::topk_bf16 || k == kernel_kind::topk_i8;
}

std::string output_tensor_name(kernel_kind k) {
  switch (k) {
    case kernel_kind::cosine:
      return "scores";
    case kernel_kind::decay:
      return "strengths";
    case kernel_kind::spread:
      return "activations";
    case kernel_kind::batch:
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
      return "scores";
    case kernel_kind::topk:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return "top_scores";
  }
  return "unknown";
}

safetensors to_safetensors(const cosine_workload& w, const workload_meta& meta) {
  safetensors f = with_meta(kernel_kind::cosine, meta);
  f.metadata["dim"] = std::to_string(w.dim);
  f.metadata["count"] = std::to_string(w.count);
  f.tensors["query"] = tensor::from(w.query);
  f.tensors["candidates"] = tensor::from(std::span<const float>(w.candidates), {w.count, w.dim});
  return f;
}

safetensors to_safetensors(const decay_workload& w, const workload_meta& meta) {
  safetensors f = with_meta(kernel_kind::decay, meta);
  const auto& p = w.params;
  f.metadata["decay_family"] = to_string(static_cast<engram_decay_family>(p.family));
  f.metadata["tau_seconds"] = format_number(p.tau_seconds);
  f.metadata["beta"] = format_number(p.beta);
  f.metadata["switch_seconds"] = format_number(p.switch_seconds);
  f.metadata["floor"] = format_number(p.floor);
  f.metadata["per_memory_tau"] = w.tau_per_memory.empty() ? "false" : "true";
  f.tensors["strengths"] = tensor::from(w.strengths);
  f.tensors["ages_seconds"] = tensor::from(w.ages);
  if (!w.tau_per_memory.empty()) f.tensors["tau_per_memory"] = tensor::from(w.tau_per_memory);
  return f;
}

safetensors to_safetensors(const graph_workload& w, const workload_meta& meta) {
  safetensors f = with_meta(kernel_kind::spread, meta);
  const auto& p = w.params;
  f.metadata["nodes"] = std::to_string(w.nodes);
  f.metadata["edges"] = std::to_string(w.targets.size());
  f.metadata["mode"] = p.mode == ENGRAM_SPREAD_DENSE ? "dense" : "frontier";
  f.metadata["steps"] = std::to_string(p.steps);
  f.metadata["hop_decay"] = format_number(p.hop_decay);
  f.metadata["threshold"] = format_number(p.threshold);
  f.tensors["row_offsets"] = tensor::from(w.row_offsets);
  f.tensors["targets"] = tensor::from(w.targets);
  f.tensors["weights"] = tensor::from(w.weights);
  f.tensors["activations"] = tensor::from(w.activations);
  return f;
}

safetensors to_safetensors(const cosine_batch_workload& w, kernel_kind kernel,
                           const workload_meta& meta) {
  safetensors f = with_meta(kernel, meta);
  f.metadata["dim"] = std::to_string(w.dim);
  f.metadata["num_queries"] = std::to_string(w.num_queries);
  f.metadata["count"] = std::to_string(w.count);
  if (kernel == kernel_kind::topk) f.metadata["k"] = std::to_string(w.k);
  f.tensors["queries"] = tensor::from(std::span<const float>(w.queries), {w.num_queries, w.dim});
  f.tensors["candidates"] = tensor::from(std::span<const float>(w.candidates), {w.count, w.dim});
  return f;
}

safetensors to_safetensors(const compact_workload& w, kernel_kind kernel,
                           const workload_meta& meta) {
  if (compact_type(kernel) != w.type)
    throw std::invalid_argument("to_safetensors: a " + to_string(w.type) +
                                " workload cannot be saved as kernel " + to_string(kernel));
  if (!is_topk(kernel) && w.num_queries != 1)
    throw std::invalid_argument("to_safetensors: " + to_string(kernel) + " takes one query");
  safetensors f = with_meta(kernel, meta);
  f.metadata["dim"] = std::to_string(w.dim);
  f.metadata["count"] = std::to_string(w.count);
  if (is_topk(kernel)) {
    f.metadata["num_queries"] = std::to_string(w.num_queries);
    f.metadata["k"] = std::to_string(w.k);
    f.tensors["queries"] = tensor::from(std::span<const float>(w.queries), {w.num_queries, w.dim});
  } else {
    f.tensors["query"] = tensor::from(w.queries);
  }
  with_candidates(w, [&](auto rows) {
    f.tensors["candidates"] = tensor::from(rows, {w.count, w.dim}, stored_dtype(w.type));
  });
  return f;
}

loaded_workload from_safetensors(const safetensors& file, const std::string& source) {
  const reader r(file, source);
  if (r.text("schema_version") != std::to_string(workload_schema_version))
    r.fail("schema_version " + r.text("schema_version") + " is not the supported " +
           std::to_string(workload_schema_version));
  loaded_workload out;
  try {
    out.kernel = parse_kernel_kind(r.text("kernel"));
  } catch (const std::invalid_argument& e) {
    r.fail(std::string("metadata 'kernel': ") + e.what());
  }
  out.meta.extra = file.metadata;
  for (const char* key : {"kernel", "schema_version", "generator", "family", "seed"})
    out.meta.extra.erase(key);
  if (file.metadata.count("generator")) out.meta.generator = file.metadata.at("generator");
  if (file.metadata.count("family")) out.meta.family = file.metadata.at("family");
  if (file.metadata.count("seed")) out.meta.seed = r.number<uint64_t>("seed");

  switch (out.kernel) {
    case kernel_kind::cosine: {
      out.data = read_cosine(r, out.meta);
      for (const char* key : {"dim", "count"}) out.meta.extra.erase(key);
      break;
    }
    case kernel_kind::decay: {
      out.data = read_decay(r);
      for (const char* key :
           {"decay_family", "tau_seconds", "beta", "switch_seconds", "floor", "per_memory_tau"})
        out.meta.extra.erase(key);
      break;
    }
    case kernel_kind::spread: {
      graph_workload g = read_graph(r);
      if (r.number<uint64_t>("edges") != g.targets.size())
        r.fail("metadata 'edges' does not match the length of 'targets'");
      out.data = std::move(g);
      for (const char* key : {"nodes", "edges", "mode", "steps", "hop_decay", "threshold"})
        out.meta.extra.erase(key);
      break;
    }
    case kernel_kind::batch:
    case kernel_kind::topk: {
      out.data = read_cosine_batch(r, out.meta, out.kernel == kernel_kind::topk);
      for (const char* key : {"dim", "num_queries", "count", "k"}) out.meta.extra.erase(key);
      break;
    }
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8: {
      out.data = read_compact(r, out.meta, out.kernel);
      for (const char* key : {"dim", "num_queries", "count", "k"}) out.meta.extra.erase(key);
      break;
    }
  }
  // A workload holds exactly its kernel's tensors: a stray one is a sign of a wrong file.
  const std::vector<std::string> known[] = {{"query", "candidates"},
                                            {"strengths", "ages_seconds", "tau_per_memory"},
                                            {"row_offsets", "targets", "weights", "activations"},
                                            {"queries", "candidates"},
                                            {"queries", "candidates"},
                                            {"query", "candidates"},
                                            {"query", "candidates"},
                                            {"queries", "candidates"},
                                            {"queries", "candidates"}};
  const auto& names = known[static_cast<int>(out.kernel)];
  for (const auto& [name, t] : file.tensors)
    if (std::find(names.begin(), names.end(), name) == names.end())
      r.fail("unexpected tensor '" + name + "' in a " + to_string(out.kernel) + " workload");
  return out;
}

void save_workload(const std::string& path, const cosine_workload& w, const workload_meta& meta) {
  write_safetensors(path, to_safetensors(w, meta));
}
void save_workload(const std::string& path, const decay_workload& w, const workload_meta& meta) {
  write_safetensors(path, to_safetensors(w, meta));
}
void save_workload(const std::string& path, const graph_workload& w, const workload_meta& meta) {
  write_safetensors(path, to_safetensors(w, meta));
}

void save_workload(const std::string& path, const cosine_batch_workload& w, kernel_kind kernel,
                   const workload_meta& meta) {
  write_safetensors(path, to_safetensors(w, kernel, meta));
}

void save_workload(const std::string& path, const compact_workload& w, kernel_kind kernel,
                   const workload_meta& meta) {
  write_safetensors(path, to_safetensors(w, kernel, meta));
}

void save_workload(const std::string& path, const loaded_workload& w) {
  std::visit(
      [&](const auto& data) {
        using data_type = std::decay_t<decltype(data)>;
        // The workloads several kernels share are saved under theirs.
        if constexpr (std::is_same_v<data_type, cosine_batch_workload> ||
                      std::is_same_v<data_type, compact_workload>)
          save_workload(path, data, w.kernel, w.meta);
        else
          save_workload(path, data, w.meta);
      },
      w.data);
}

loaded_workload load_workload(const std::string& path) {
  return from_safetensors(read_safetensors(path), path);
}

void save_output(const std::string& path, kernel_kind k, std::span<const float> values,
                 const workload_meta& meta) {
  safetensors f = with_meta(k, meta);
  f.tensors[output_tensor_name(k)] = tensor::from(values, {values.size()});
  write_safetensors(path, f);
}

std::vector<float> load_output(const std::string& path, kernel_kind k) {
  const safetensors f = read_safetensors(path);
  const reader r(f, path);
  if (r.text("kernel") != to_string(k))
    r.fail("holds output of kernel '" + r.text("kernel") + "', expected '" + to_string(k) + "'");
  return r.vector<float>(output_tensor_name(k), {r.length(output_tensor_name(k))});
}

}  // namespace ek::harness
