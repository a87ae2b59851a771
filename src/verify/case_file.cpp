// case_file.cpp — case <-> workload file. Loaded inputs are validated by calling the C ABI on a
// copy: the library's own argument checks are the one definition of a legal input.
#include "src/verify/case_file.hpp"

#include <charconv>
#include <variant>

#include "engram_kern.h"
#include "src/harness/owned_graph.hpp"
#include "src/harness/safetensors.hpp"
#include "src/harness/workload_file.hpp"

namespace ek::verify {

namespace {

// Outputs go into the metadata (a workload file holds only its kernel's tensors); a shrunk case
// has a handful of values, and a long output is cut rather than bloating the header.
constexpr size_t max_listed_values = 256;

std::string list_values(const std::vector<float>& values) {
  std::string s;
  for (size_t i = 0; i < values.size() && i < max_listed_values; ++i) {
    if (i > 0) s += ' ';
    s += harness::format_number(values[i]);
  }
  if (values.size() > max_listed_values)
    s += " … (" + std::to_string(values.size() - max_listed_values) + " more)";
  return s;
}

void reject(const std::string& path, const std::string& what, engram_status status) {
  throw harness::input_error(path + ": " + what +
                             " rejected by the C ABI: " + engram_status_string(status));
}

void validate(const std::string& path, const test_case& c) {
  switch (c.kernel) {
    case kernel_kind::cosine:
    case kernel_kind::batch:
    case kernel_kind::topk:
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return;  // every value and every k is legal (prepare() rejects > UINT32_MAX candidates)
    case kernel_kind::decay: {
      const auto& w = c.decay;
      std::vector<float> scratch = w.strengths;
      engram_decay_params params = w.params;
      params.tau_per_memory = w.tau_per_memory.empty() ? nullptr : w.tau_per_memory.data();
      const engram_status s =
          engram_apply_decay(scratch.data(), w.ages.data(), scratch.size(), &params);
      if (s != ENGRAM_OK) reject(path, "decay workload", s);
      return;
    }
    case kernel_kind::spread: {
      const auto& w = c.spread;
      harness::owned_graph g;
      engram_status s = harness::create_graph(w.nodes, w.row_offsets.data(), w.targets.data(),
                                              w.weights.data(), w.targets.size(), g);
      if (s != ENGRAM_OK) reject(path, "graph", s);
      std::vector<float> scratch = w.activations;
      s = engram_spread_activation(g.get(), scratch.data(), &w.params);
      if (s != ENGRAM_OK) reject(path, "spreading workload", s);
      return;
    }
  }
}

uint32_t parse_offset(const std::string& path, const std::map<std::string, std::string>& extra) {
  const auto it = extra.find("offset");
  if (it == extra.end()) return 0;
  uint32_t offset = 0;
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), offset);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || offset > 15)
    throw harness::input_error(path + ": metadata 'offset' must be an integer in 0..15");
  return offset;
}

}  // namespace

void save_case(const std::string& path, const test_case& c, const failure_record& f) {
  harness::workload_meta meta;
  meta.family = c.family;
  meta.seed = c.seed;
  meta.extra = {{"isa", f.isa},
                {"reason", f.reason},
                {"verify_seed", std::to_string(f.verify_seed)},
                {"verify_case", std::to_string(f.case_index)},
                {"offset", std::to_string(c.offset)},
                {"expected", list_values(f.expected)},
                {"actual", list_values(f.actual)}};
  switch (c.kernel) {
    case kernel_kind::cosine:
      return harness::save_workload(path, c.cosine, meta);
    case kernel_kind::decay:
      return harness::save_workload(path, c.decay, meta);
    case kernel_kind::spread:
      return harness::save_workload(path, c.spread, meta);
    case kernel_kind::batch:
    case kernel_kind::topk:
      return harness::save_workload(path, c.batch, c.kernel, meta);
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      return harness::save_workload(path, c.compact, c.kernel, meta);
  }
}

test_case load_case(const std::string& path) {
  harness::loaded_workload w = harness::load_workload(path);
  test_case c;
  c.kernel = w.kernel;
  c.family = w.meta.family;
  c.seed = w.meta.seed.value_or(0);
  c.offset = parse_offset(path, w.meta.extra);
  switch (w.kernel) {
    case kernel_kind::cosine:
      c.cosine = std::get<harness::cosine_workload>(std::move(w.data));
      break;
    case kernel_kind::decay:
      c.decay = std::get<harness::decay_workload>(std::move(w.data));
      break;
    case kernel_kind::spread:
      c.spread = std::get<harness::graph_workload>(std::move(w.data));
      break;
    case kernel_kind::batch:
    case kernel_kind::topk:
      c.batch = std::get<harness::cosine_batch_workload>(std::move(w.data));
      break;
    case kernel_kind::cosine_bf16:
    case kernel_kind::cosine_i8:
    case kernel_kind::topk_bf16:
    case kernel_kind::topk_i8:
      c.compact = std::get<harness::compact_workload>(std::move(w.data));
      break;
  }
  validate(path, c);
  return c;
}

}  // namespace ek::verify
