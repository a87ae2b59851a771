// spread_benchmark.cpp — Google Benchmark timings of spreading activation: the reference and
// every runnable ISA on the kernels issue's workloads (uniform graphs, out-degree 16), in ns per
// edge and edges/s. Each output is checked against the reference before it is timed.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernels/dispatch.hpp"
#include "kernels/graph_layout.hpp"
#include "reference/graph.hpp"
#include "reference/spread.hpp"
#include "src/harness/generators.hpp"

namespace {

struct workload {
  const char* name;
  uint32_t nodes;
  uint32_t seed_nodes;
  engram_spread_params params;
};

const workload workloads[] = {
    {"frontier_1M_16cues",
     1u << 20,
     16,
     {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, 3, 0.5f, 0.01f}},
    {"frontier_1M_1000cues",
     1u << 20,
     1000,
     {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, 3, 0.5f, 0.01f}},
    {"dense_1k_100it",
     1000,
     16,
     {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, 100, 0.5f, 0.0f}},
    {"dense_1M_1it",
     1u << 20,
     16,
     {sizeof(engram_spread_params), ENGRAM_SPREAD_DENSE, 1, 0.5f, 0.0f}},
};

struct prepared {
  ek::graph g;
  std::vector<float> activations;
  double edges = 0;  // edges one call processes: E per dense iteration, frontier out-edges per hop
};

// Edges the frontier's hops traverse (the reference's and the push's work): a counting replay of
// the frontier rule that ignores the order of sums, which cannot change which nodes pass.
double frontier_edges(const ek::graph& g, std::vector<float> a, const engram_spread_params& p) {
  const uint32_t n = g.num_nodes;
  std::vector<float> delta(n), next(n);
  std::vector<uint32_t> frontier, touched;
  std::vector<char> seen(n);
  for (uint32_t u = 0; u < n; ++u) {
    if (a[u] > p.threshold) {
      frontier.push_back(u);
      delta[u] = a[u];
    }
  }
  uint64_t edges = 0;
  for (uint32_t hop = 0; hop < p.steps && !frontier.empty(); ++hop) {
    touched.clear();
    for (const uint32_t u : frontier) {
      for (uint64_t e = g.out.offsets[u]; e < g.out.offsets[u + 1]; ++e, ++edges) {
        const uint32_t v = g.out.index[e];
        next[v] += (delta[u] * g.out.weights[e]) * p.hop_decay;
        if (!seen[v]) touched.push_back(v);
        seen[v] = 1;
      }
    }
    frontier.clear();
    for (const uint32_t v : touched) {
      if (next[v] > p.threshold) {
        frontier.push_back(v);
        delta[v] = next[v];
      }
      next[v] = 0;
      seen[v] = 0;
    }
  }
  return double(edges);
}

const prepared& prepare(const workload& w) {
  static std::unique_ptr<prepared> cache[std::size(workloads)];
  auto& slot = cache[&w - workloads];
  if (slot) return *slot;
  ek::harness::graph_options o;
  o.family = ek::harness::graph_family::uniform;
  o.nodes = w.nodes;
  o.average_degree = 16;
  o.seed_nodes = w.seed_nodes;
  o.params = w.params;
  const auto gen = ek::harness::make_graph(o, 42);
  slot = std::make_unique<prepared>();
  slot->g = ek::build_graph(gen.nodes, gen.row_offsets.data(), gen.targets.data(),
                            gen.weights.data(), gen.targets.size());
  ek::kern::build_layouts(slot->g);
  slot->activations = gen.activations;
  slot->edges = w.params.mode == ENGRAM_SPREAD_DENSE
                    ? static_cast<double>(slot->g.num_edges) * w.params.steps
                    : frontier_edges(slot->g, gen.activations, w.params);
  return *slot;
}

void run(benchmark::State& state, const workload& w, ek::spread_fn spread) {
  const prepared& p = prepare(w);
  std::vector<float> a = p.activations, want = p.activations;
  ek::ref::spread(p.g, want.data(), w.params);
  spread(p.g, a.data(), w.params);
  if (std::memcmp(a.data(), want.data(), sizeof(float) * a.size()) != 0) {
    state.SkipWithError("output differs from the reference");
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    std::memcpy(a.data(), p.activations.data(), sizeof(float) * a.size());
    state.ResumeTiming();
    spread(p.g, a.data(), w.params);
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  const double calls = static_cast<double>(state.iterations());
  // Seconds per edge, printed with an SI prefix ("1.2n" is 1.2 ns per edge).
  state.counters["s_per_edge"] = benchmark::Counter(
      p.edges * calls, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["edges_per_s"] = benchmark::Counter(p.edges * calls, benchmark::Counter::kIsRate);
  state.counters["edges_per_call"] = p.edges;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (const workload& w : workloads) {
    for (const std::string& isa : ek::kern::runnable_isas()) {
      const ek::spread_fn spread = ek::kern::runnable_table(isa)->spread;
      benchmark::RegisterBenchmark((std::string("spread/") + w.name + "/" + isa).c_str(),
                                   [&w, spread](benchmark::State& s) { run(s, w, spread); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
