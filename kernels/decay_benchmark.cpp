// decay_benchmark.cpp — Google Benchmark timings of the decay kernels: the reference and every
// runnable ISA, each family, n = 1000, 10 000 and 1 M memories (make_decay workloads), reported as
// ns per memory. Every timed output is first checked against the reference (DESIGN §5).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/decay.hpp"
#include "kernels/dispatch.hpp"
#include "reference/decay.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/ulp.hpp"

namespace {

// Every result within the contract, else the benchmark aborts: a fast wrong kernel is not timed.
void verify_or_abort(const ek::kernel_table& t, const ek::harness::decay_workload& w) {
  std::vector<float> got = w.strengths, want = w.strengths;
  t.decay(got.data(), w.ages.data(), got.size(), w.params);
  ek::ref::decay(want.data(), w.ages.data(), want.size(), w.params);
  for (size_t i = 0; i < got.size(); ++i)
    if (ek::harness::ulp_distance(got[i], want[i]) > ek::kern::decay_numerics::max_ulp) {
      std::fprintf(stderr, "decay %s: element %zu differs from the reference\n", t.isa, i);
      std::abort();
    }
}

void bm_decay(benchmark::State& state, const ek::kernel_table* t, engram_decay_family family) {
  const auto n = static_cast<size_t>(state.range(0));
  ek::harness::decay_options o;
  o.family = family;
  const ek::harness::decay_workload w = ek::harness::make_decay(o, n, 42);
  verify_or_abort(*t, w);
  std::vector<float> s = w.strengths;
  for (auto _ : state) {
    // Each pass starts from the generated strengths: repeated decay would drive them to 0 and
    // subnormals. The copy (4 bytes a memory) is timed for every kernel alike.
    std::memcpy(s.data(), w.strengths.data(), n * sizeof(float));
    t->decay(s.data(), w.ages.data(), n, w.params);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  state.counters["ns_per_memory"] =
      benchmark::Counter(double(n) * 1e-9, benchmark::Counter::kIsIterationInvariantRate |
                                               benchmark::Counter::kInvert);
}

int register_all() {
  for (const std::string& isa : ek::kern::runnable_isas()) {
    const ek::kernel_table* t = ek::kern::runnable_table(isa);
    for (engram_decay_family f :
         {ENGRAM_DECAY_EXPONENTIAL, ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID}) {
      const std::string name = "decay/" + ek::harness::to_string(f) + "/" + isa;
      benchmark::RegisterBenchmark(name.c_str(), bm_decay, t, f)
          ->Arg(1000)
          ->Arg(10000)
          ->Arg(1000000)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return 0;
}
const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
