// timing.hpp — the one timing rule of engram-kern (docs/benchmarking.md, "What the clock
// covers"), shared by bench's Google Benchmark loop and `run --repeat`.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <vector>

namespace ek::bench {

/// First the untimed `untimed` (an in-place kernel's restore), then the steady clock around
/// `call` alone; returns the call's time in ns. PauseTiming/ResumeTiming would also keep the
/// restore out, but Google Benchmark 1.7 reads the process CPU clock (a system call) in each, which
/// lands in the measured time and costs an order of magnitude more than the two steady-clock reads
/// (vDSO, no system call) used here (figures: docs/benchmarking.md).
template <class Untimed, class Call>
double time_call(Untimed&& untimed, Call&& call) {
  using clock = std::chrono::steady_clock;
  untimed();
  const clock::time_point start = clock::now();
  call();
  benchmark::ClobberMemory();  // the call's stores belong before the stop
  return std::chrono::duration<double, std::nano>(clock::now() - start).count();
}

/// `repeat` timed calls, each after its untimed preparation; ns per call, in call order.
template <class Untimed, class Call>
std::vector<double> time_calls(size_t repeat, Untimed&& untimed, Call&& call) {
  std::vector<double> ns;
  ns.reserve(repeat);
  for (size_t r = 0; r < repeat; ++r) ns.push_back(time_call(untimed, call));
  return ns;
}

}  // namespace ek::bench
