// cosine_benchmark.cpp — Google Benchmark timings of the batch cosine: the reference and every
// runnable ISA on Gaussian workloads, in ns per candidate and GB/s read, beside a plain read of
// the same bytes (the bandwidth roofline). Each timed kernel is first checked against the
// reference.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "reference/cosine.hpp"
#include "src/harness/generators.hpp"

namespace {

struct sized_workload {
  ek::harness::cosine_workload w;
  std::vector<float> expected;  // reference scores
};

// One workload per (dim, count), built on first use and shared by every ISA's benchmark.
const sized_workload& workload(size_t dim, size_t count) {
  static std::map<std::pair<size_t, size_t>, sized_workload> cache;
  auto [it, fresh] = cache.try_emplace({dim, count});
  if (fresh) {
    it->second.w = ek::harness::make_cosine(ek::harness::cosine_family::gaussian, dim, count, 42);
    it->second.expected.resize(count);
    ek::ref::cosine(it->second.w.query.data(), it->second.w.candidates.data(),
                    it->second.expected.data(), dim, count);
  }
  return it->second;
}

double bytes_read(size_t dim, size_t count) { return double((count + 1) * dim * sizeof(float)); }

void set_counters(benchmark::State& state, size_t dim, size_t count) {
  const double iterations = double(state.iterations());
  // Rate of (candidates / 1e9), inverted: nanoseconds per candidate.
  state.counters["ns_per_candidate"] = benchmark::Counter(
      iterations * double(count) * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["GB/s"] =
      benchmark::Counter(iterations * bytes_read(dim, count) * 1e-9, benchmark::Counter::kIsRate);
}

void bm_cosine(benchmark::State& state, ek::cosine_fn cosine, size_t dim, size_t count) {
  const sized_workload& s = workload(dim, count);
  std::vector<float> scores(count);
  cosine(s.w.query.data(), s.w.candidates.data(), scores.data(), dim, count);
  for (size_t j = 0; j < count; ++j) {
    if (!(std::abs(scores[j] - s.expected[j]) <= ek::kern::cosine_error_bound(dim))) {
      state.SkipWithError("scores differ from the reference beyond cosine_error_bound");
      return;
    }
  }
  for (auto _ : state) {
    cosine(s.w.query.data(), s.w.candidates.data(), scores.data(), dim, count);
    benchmark::DoNotOptimize(scores.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, dim, count);
}

// The roofline: sums as many bytes as the candidates hold, as 64-bit integers (which the
// compiler vectorizes without reassociation concerns): a pass that does nothing but read.
void bm_read(benchmark::State& state, size_t dim, size_t count) {
  const std::vector<uint64_t> words(size_t(bytes_read(dim, count)) / sizeof(uint64_t), 1);
  for (auto _ : state) {
    // Four independent sums, so the adds keep up with two loads per cycle.
    uint64_t sum[4] = {};
    for (size_t i = 0; i + 4 <= words.size(); i += 4) {
      for (size_t k = 0; k < 4; ++k) sum[k] += words[i + k];
    }
    benchmark::DoNotOptimize(sum);
  }
  set_counters(state, dim, count);
}

}  // namespace

int main(int argc, char** argv) {
  // {768, 64} stays in L2: the kernel's own speed, apart from the memory hierarchy.
  const std::pair<size_t, size_t> sizes[] = {
      {768, 64}, {768, 1000}, {384, 1000}, {1536, 1000}, {768, 100000}};
  for (auto [dim, count] : sizes) {
    const std::string suffix = "/dim:" + std::to_string(dim) + "/n:" + std::to_string(count);
    for (const std::string& isa : ek::kern::runnable_isas()) {
      const ek::cosine_fn fn = ek::kern::runnable_table(isa)->cosine;
      benchmark::RegisterBenchmark(("cosine/" + isa + suffix).c_str(), bm_cosine, fn, dim, count);
    }
    benchmark::RegisterBenchmark(("read_bandwidth" + suffix).c_str(), bm_read, dim, count);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
