// fuzz_decay.cpp — differential harness for memory decay: raw f32 strengths, raw u64 ages (scaled
// by a shift) and per-memory τ, every buffer against a guard page (fuzz::side_for);
// engram_apply_decay checked on raw parameters (invalid ones rejected with nothing written), then
// the reference and every runnable ISA on the same input, within the contract
// (docs/contract.md §2.2) as verify states it (verify::decay_violation).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "fuzz/fuzz_support.hpp"
#include "kernels/dispatch.hpp"
#include "src/verify/compare.hpp"

namespace {

using ek::harness::guard_side;

// 512 memories cover every tail of 16-float and 8-u64 vectors many times over.
constexpr size_t max_count = 512;

enum flags : uint8_t {
  fold_strengths = 1,  // fold_exponents on strengths (raw patterns are mostly huge or tiny)
  per_memory_tau = 2,
  raw_params = 4,  // parameters as raw f64 / u32 bits: mostly invalid, exercising validation
};

// A valid parameter set spread over many magnitudes: τ from 2^-64 to 2^63 s, β in [0, 16),
// switch from 0 to 2^40 s, floor 0 half of the time.
engram_decay_params decode_params(ek::fuzz::byte_reader& in) {
  engram_decay_params p = engram_decay_params_default();
  p.family = in.take<uint8_t>() % 3;
  p.tau_seconds = std::ldexp(1.0 + in.take<uint16_t>() / 65536.0, in.take<int8_t>() / 2);
  p.beta = in.take<uint16_t>() / 4096.0;
  p.switch_seconds = std::ldexp(double(in.take<uint16_t>()), in.take<uint8_t>() % 25);
  const uint8_t floor = in.take<uint8_t>();
  p.floor = floor < 128 ? 0.0 : (floor - 128) / 127.0;
  return p;
}

engram_decay_params decode_raw_params(ek::fuzz::byte_reader& in) {
  engram_decay_params p = engram_decay_params_default();
  p.family = in.take<uint32_t>();
  p.tau_seconds = in.take<double>();
  p.beta = in.take<double>();
  p.switch_seconds = in.take<double>();
  p.floor = in.take<double>();
  return p;
}

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side) : strengths(side), ages(side), tau(side) {}
  ek::fuzz::guarded_output strengths;
  ek::fuzz::guarded_input ages, tau;
};

// engram_apply_decay on the (possibly invalid) parameters, from guarded buffers: when it refuses
// them, it must say INVALID_PARAM and leave every strength as it was. Returns whether the
// parameters were accepted; the strengths it computed are then in `result`.
bool abi_accepts(buffers& slot, const std::vector<float>& strengths, const uint64_t* ages,
                 const engram_decay_params& params, std::vector<float>& result) {
  float* s = slot.strengths.place(std::span<const float>(strengths));
  const engram_status status = engram_apply_decay(s, ages, strengths.size(), &params);
  if (!slot.strengths.outside_intact())
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(), "wrote outside strengths");
  if (status == ENGRAM_OK) {
    result.assign(s, s + strengths.size());
    return true;
  }
  if (status != ENGRAM_ERR_INVALID_PARAM)
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(),
                        std::string("unexpected status: ") + engram_status_string(status));
  if (!strengths.empty() && std::memcmp(s, strengths.data(), strengths.size() * sizeof(float)) != 0)
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(),
                        "rejected the parameters but wrote strengths");
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static std::vector<uint32_t> raw;
  static std::vector<float> strengths, tau, abi_result, expected;
  static std::vector<uint64_t> ages;
  static ek::verify::check_result stats;  // verify's error statistics, unused here
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const size_t count = in.take<uint16_t>() % (max_count + 1);
  const auto mode = in.take<uint8_t>();
  const unsigned age_shift = in.take<uint8_t>() % 64;
  engram_decay_params params = (mode & raw_params) ? decode_raw_params(in) : decode_params(in);

  // The payload, per memory: a raw strength, a raw age (shifted right, so every magnitude from 0
  // to 2^64 - 1 is reached), a raw τ.
  raw.resize(count * 4);
  in.payload(std::span<uint32_t>(raw));
  strengths.resize(count);
  tau.resize(count);
  ages.resize(count);
  for (size_t i = 0; i < count; ++i) {
    std::memcpy(&strengths[i], &raw[4 * i], sizeof(float));
    std::memcpy(&ages[i], &raw[4 * i + 1], sizeof(uint64_t));
    ages[i] >>= age_shift;
    std::memcpy(&tau[i], &raw[4 * i + 3], sizeof(float));
    // Valid parameters want a valid τ: |τ|, or 1 where that is still not finite and > 0.
    if (!(mode & raw_params)) tau[i] = std::isfinite(tau[i]) && tau[i] != 0 ? std::fabs(tau[i]) : 1;
  }
  if (mode & fold_strengths) ek::fuzz::fold_exponents(strengths);
  const uint64_t* a = slot.ages.place(std::span<const uint64_t>(ages));
  params.tau_per_memory =
      (mode & per_memory_tau) ? slot.tau.place(std::span<const float>(tau)) : nullptr;

  const bool accepted = abi_accepts(slot, strengths, a, params, abi_result);
  if (!accepted && !(mode & raw_params))
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(), "rejected valid parameters");
  if (!accepted) return 0;

  // The first table is the reference: its output is the expectation. The active ISA's kernel
  // already ran, through the C ABI, on these very buffers: its result is checked, not recomputed.
  const auto active_decay = ek::kern::active().decay;
  expected.resize(count);
  bool reference = true;
  for (const auto& table : ek::fuzz::tables_under_test()) {
    const float* actual = abi_result.data();
    if (table.decay != active_decay) {
      float* s = slot.strengths.place(std::span<const float>(strengths));
      table.decay(s, a, count, params);
      if (!slot.strengths.outside_intact())
        ek::fuzz::violation("decay", table.isa, "wrote outside strengths[0, count)");
      actual = s;
    }
    if (reference) std::copy(actual, actual + count, expected.begin());
    ek::fuzz::require_contract(
        "decay", table.isa, slot.strengths.side(),
        ek::verify::decay_violation(strengths, ages, expected,
                                    std::span<const float>(actual, count), stats));
    reference = false;
  }
  return 0;
}
