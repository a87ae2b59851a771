// fuzz_spread.cpp — differential harness for graph creation and spreading activation: CSR arrays
// (structured, or raw u64/u32/f32 patterns) fed to engram_graph_create from guard-page buffers,
// then frontier or dense spreading (guard side: fuzz::side_for) through the C ABI, the reference
// and every runnable ISA; the outputs must be bit-identical (docs/contract.md §2.3,
// kernels/spread.hpp), as verify states it (verify::spread_violation).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "fuzz/fuzz_support.hpp"
#include "kernels/dispatch.hpp"
#include "src/capi/graph_handle.hpp"
#include "src/harness/owned_graph.hpp"
#include "src/verify/compare.hpp"

namespace {

using ek::harness::guard_side;

// 300 nodes span many 16-lane slices and push/pull switches; hubs of up to 127 out-edges.
constexpr size_t max_nodes = 300;
constexpr size_t max_edges = 1200;
constexpr unsigned max_steps = 8;

enum flags : uint8_t {
  raw_csr = 1,          // offsets, targets and weights as raw patterns: mostly invalid graphs
  dense = 2,            // dense mode instead of frontier mode
  fold_weights = 4,     // fold_exponents on weights (raw ones are mostly huge or tiny)
  raw_activations = 8,  // activations as raw patterns: mostly rejected as invalid input
  raw_params = 16,      // mode, hop_decay and threshold as raw bits: mostly invalid
  create_before = 32,   // the CSR arrays sit after the guard page instead of before it
};

float from_bits(uint32_t bits) {
  float x = 0;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

struct csr_arrays {
  size_t nodes = 0;
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<float> weights;
  std::vector<float> activations;
};

// A valid graph (except, now and then, for nothing: structured mode always validates): one byte
// per node gives its out-degree (0-7, or up to 127 for a hub), targets wrap modulo N, non-finite
// weights become the largest finite magnitude of their sign, so spreading still meets ±Inf.
// `g` and `raw` are reused from run to run: sized, never grown element by element.
void decode_csr(ek::fuzz::byte_reader& in, uint8_t mode, csr_arrays& g,
                std::vector<uint32_t>& raw) {
  g.nodes = in.take<uint16_t>() % (max_nodes + 1);
  g.offsets.assign(g.nodes + 1, 0);
  size_t edges = 0;
  if (mode & raw_csr) {
    edges = in.take<uint16_t>() % (max_edges + 1);
    const unsigned shift = in.take<uint8_t>() % 64;
    for (auto& offset : g.offsets) offset = in.take<uint64_t>() >> shift;
  } else {
    for (size_t v = 0; v < g.nodes; ++v) {
      const uint8_t d = in.take<uint8_t>();
      const size_t degree = (d & 0x80) ? (d & 0x7f) : (d & 7);
      g.offsets[v + 1] = std::min<size_t>(g.offsets[v] + degree, max_edges);
    }
    edges = g.offsets[g.nodes];
  }
  raw.resize(2 * edges + g.nodes);
  in.payload(std::span<uint32_t>(raw));
  g.targets.resize(edges);
  g.weights.resize(edges);
  g.activations.resize(g.nodes);
  for (size_t e = 0; e < edges; ++e) {
    g.targets[e] = (mode & raw_csr) ? raw[e] : raw[e] % g.nodes;
    g.weights[e] = from_bits(raw[edges + e]);
  }
  for (size_t v = 0; v < g.nodes; ++v) g.activations[v] = from_bits(raw[2 * edges + v]);
  if (mode & raw_csr) return;
  if (mode & fold_weights) ek::fuzz::fold_exponents(g.weights);
  for (float& w : g.weights)
    if (!std::isfinite(w)) w = std::copysign(std::numeric_limits<float>::max(), w);
}

// Valid activations keep their pattern when it is in [0, 1] (-0, subnormals and 1 included);
// otherwise the pattern with its exponent cut below 2^0, a value in [0, 1).
void make_valid(std::vector<float>& activations) {
  for (float& a : activations) {
    if (a >= 0 && a <= 1) continue;
    uint32_t bits = 0;
    std::memcpy(&bits, &a, sizeof bits);
    a = from_bits(bits & 0x3f7fffff);
  }
}

engram_spread_params decode_params(ek::fuzz::byte_reader& in, uint8_t mode) {
  engram_spread_params p = engram_spread_params_default();
  p.steps = in.take<uint8_t>() % (max_steps + 1);
  if (mode & raw_params) {
    p.mode = in.take<uint32_t>();
    p.hop_decay = in.take<float>();
    p.threshold = in.take<float>();
    return p;
  }
  p.mode = (mode & dense) ? ENGRAM_SPREAD_DENSE : ENGRAM_SPREAD_FRONTIER;
  p.hop_decay = (in.take<uint16_t>() + 1) / 65536.0f;  // (0, 1], 1 included
  const uint16_t t = in.take<uint16_t>();
  p.threshold = std::ldexp(t / 65536.0f, -int(in.take<uint8_t>() % 32));
  return p;
}

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side) : offsets(side), targets(side), weights(side), act(side) {}
  ek::fuzz::guarded_input offsets, targets, weights;
  ek::fuzz::guarded_output act;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static csr_arrays csr;
  static std::vector<uint32_t> raw;
  static std::vector<float> abi_result, expected;
  static ek::verify::check_result stats;  // verify's error statistics, unused here
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const auto mode = in.take<uint8_t>();
  const engram_spread_params params = decode_params(in, mode);
  decode_csr(in, mode, csr, raw);
  if (!(mode & raw_activations)) make_valid(csr.activations);
  const bool valid_params = !(mode & raw_params);
  const char* abi_isa = engram_active_isa();

  // Graph creation from read-only guarded arrays, against the guard the input's mode picks:
  // building a graph costs more than spreading on it, so it is done once per run and shared by
  // every kernel.
  auto& csr_slot = slots[(mode & create_before) ? 1 : 0];
  engram_graph* created = nullptr;
  const engram_status created_status = engram_graph_create(
      csr.nodes, csr_slot.offsets.place(std::span<const uint64_t>(csr.offsets)),
      csr_slot.targets.place(std::span<const uint32_t>(csr.targets)),
      csr_slot.weights.place(std::span<const float>(csr.weights)), csr.targets.size(), &created);
  const ek::harness::owned_graph graph(created);
  if (created_status != ENGRAM_OK) {
    if (created != nullptr || created_status != ENGRAM_ERR_INVALID_GRAPH)
      ek::fuzz::violation("engram_graph_create", abi_isa,
                          std::string("refused with ") + engram_status_string(created_status) +
                              (created != nullptr ? " but returned a graph" : ""));
    if (!(mode & raw_csr))
      ek::fuzz::violation("engram_graph_create", abi_isa, "refused a valid graph");
    return 0;
  }

  // The C ABI on the (possibly invalid) parameters and activations: a refusal writes nothing.
  float* act = slot.act.place(std::span<const float>(csr.activations));
  const engram_status status = engram_spread_activation(graph.get(), act, &params);
  if (!slot.act.outside_intact())
    ek::fuzz::violation("engram_spread_activation", abi_isa, "wrote outside activations");
  if (status != ENGRAM_OK) {
    const bool expected_refusal = (status == ENGRAM_ERR_INVALID_PARAM && !valid_params) ||
                                  (status == ENGRAM_ERR_INVALID_INPUT && (mode & raw_activations));
    if (!expected_refusal)
      ek::fuzz::violation("engram_spread_activation", abi_isa,
                          std::string("unexpected status: ") + engram_status_string(status));
    if (csr.nodes != 0 && std::memcmp(act, csr.activations.data(), csr.nodes * sizeof(float)) != 0)
      ek::fuzz::violation("engram_spread_activation", abi_isa,
                          "refused the call but wrote activations");
    return 0;
  }
  abi_result.assign(act, act + csr.nodes);

  // The first table is the reference: its output is the expectation. Every table runs under
  // both gather policies (the same function twice where the ISA has no gather instruction runs
  // once). The active ISA's kernel under the active policy already ran, through the C ABI, on
  // these very buffers: its result is checked, not recomputed.
  const ek::spread_fn active_spread = ek::kern::active().spread_for(graph->g.num_nodes);
  expected.resize(csr.nodes);
  bool reference = true;
  for (const auto& table : ek::fuzz::tables_under_test()) {
    for (size_t policy = 0; policy < table.spread_by_gather.size(); ++policy) {
      const ek::spread_fn fn = table.spread_by_gather[policy];
      if (policy > 0 && fn == table.spread_by_gather[policy - 1]) continue;
      const float* actual = abi_result.data();
      if (fn != active_spread) {
        float* a = slot.act.place(std::span<const float>(csr.activations));
        fn(graph->g, a, params);
        if (!slot.act.outside_intact())
          ek::fuzz::violation("spread", table.isa, "wrote outside activations[0, num_nodes)");
        actual = a;
      }
      if (reference) std::copy(actual, actual + csr.nodes, expected.begin());
      ek::fuzz::require_contract(
          "spread", table.isa, slot.act.side(),
          ek::verify::spread_violation(expected, std::span<const float>(actual, csr.nodes), stats));
      reference = false;
    }
  }
  return 0;
}
