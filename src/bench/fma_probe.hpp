// fma_probe.hpp — the compute roofline of `engram-kern bench`: the measured peak rate of fused
// multiply-adds on this core (an in-register FMA loop of the widest ISA the CPU runs, in enough
// independent chains to cover the FMA latency), against which the batch and top-k workloads'
// GFLOP/s are read (docs/benchmarking.md, "Reading the output").
#pragma once

#include <cstddef>
#include <string>

namespace ek::bench {

struct fma_probe {
  std::string isa;                        // "avx512", "avx2"; empty when no probe runs here
  double flops_per_round = 0;             // chains x lanes x 2 (a multiply and an add per lane)
  float (*run)(size_t rounds) = nullptr;  // returns a sum of the chains, so it cannot be elided
  std::string skipped;                    // why there is no probe, when `run` is null
};

/// The probe of the widest FMA ISA this build has and the CPU runs.
const fma_probe& widest_fma_probe();

/// Rounds of one timed probe call: about 3 MFLOP, some 30 µs at 100 GFLOP/s. The peak rate does
/// not depend on the size (the loop touches no memory), and a short call is rarely preempted by
/// a co-tenant, so the median call is the core's own rate; bench scales it to a call's flops.
inline constexpr size_t fma_probe_rounds = 16384;

// Built in per ISA file when the build has that ISA (EK_HAVE_FMA_PROBE_<ISA>).
float fma_probe_avx2(size_t rounds);
float fma_probe_avx512(size_t rounds);

}  // namespace ek::bench
