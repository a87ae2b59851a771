// fuzz_decay.cpp — differential harness for memory decay: raw f32 strengths, raw u64 ages (scaled
// by a shift) and per-memory τ, every buffer against a guard page; engram_apply_decay checked on
// raw parameters (invalid ones rejected with nothing written), then the reference and every
// runnable ISA on the same input, within the DESIGN §3.2 contract.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "fuzz/fuzz_support.hpp"
#include "kernels/decay.hpp"
#include "src/harness/ulp.hpp"

namespace {

using ek::harness::guard_side;
using ek::kern::decay_numerics::max_ulp;

// 512 memories cover every tail of 16-float and 8-u64 vectors many times over.
constexpr size_t max_count = 512;
constexpr uint32_t unwritten_bits = 0x7fc0dead;

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

struct buffers {
  explicit buffers(guard_side side) : strengths(side), ages(side), tau(side) {}
  ek::fuzz::guarded_slot strengths, ages, tau;
};

void check(const char* isa, guard_side side, const std::vector<float>& input,
           const std::vector<uint64_t>& ages, const std::vector<float>& expected,
           const float* actual) {
  for (size_t i = 0; i < expected.size(); ++i) {
    const float e = expected[i];
    const float a = actual[i];
    if (ages[i] == 0) {
      if (!ek::harness::same_bits(a, input[i]))
        ek::fuzz::violation("decay", isa, side, i, input[i], a, "age 0 must keep every bit");
    } else if (std::isnan(e) != std::isnan(a)) {
      ek::fuzz::violation("decay", isa, side, i, e, a,
                          "NaN where the reference has none, or no NaN");
    } else if (!std::isnan(e) && std::signbit(e) != std::signbit(a)) {
      ek::fuzz::violation("decay", isa, side, i, e, a, "sign differs from the reference");
    } else if (!std::isnan(e) && ek::harness::ulp_distance(a, e) > max_ulp) {
      ek::fuzz::violation("decay", isa, side, i, e, a,
                          std::to_string(ek::harness::ulp_distance(a, e)) +
                              " ULP from the "
                              "reference, more than decay_numerics::max_ulp = " +
                              std::to_string(max_ulp));
    }
  }
}

// engram_apply_decay on the (possibly invalid) parameters: when it refuses them, it must say
// INVALID_PARAM and leave every strength as it was. Returns whether the parameters were accepted.
bool abi_accepts(buffers& slot, const std::vector<float>& strengths,
                 const std::vector<uint64_t>& ages, const std::vector<float>& tau,
                 engram_decay_params params) {
  float* s = slot.strengths.place(std::span<const float>(strengths), false);
  const uint64_t* a = slot.ages.place(std::span<const uint64_t>(ages), true);
  if (params.tau_per_memory != nullptr)
    params.tau_per_memory = slot.tau.place(std::span<const float>(tau), true);
  const engram_status status = engram_apply_decay(s, a, strengths.size(), &params);
  if (!slot.strengths.outside_intact())
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(), "wrote outside strengths");
  if (status == ENGRAM_OK) return true;
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
  ek::fuzz::byte_reader in(data, size);
  const size_t count = in.take<uint16_t>() % (max_count + 1);
  const auto mode = in.take<uint8_t>();
  const unsigned age_shift = in.take<uint8_t>() % 64;
  engram_decay_params params = (mode & raw_params) ? decode_raw_params(in) : decode_params(in);

  // The payload, per memory: a raw strength, a raw age (shifted right, so every magnitude from 0
  // to 2^64 - 1 is reached), a raw τ.
  const std::vector<uint32_t> raw = in.payload<uint32_t>(count * 4);
  std::vector<float> strengths(count), tau(count);
  std::vector<uint64_t> ages(count);
  for (size_t i = 0; i < count; ++i) {
    std::memcpy(&strengths[i], &raw[4 * i], sizeof(float));
    std::memcpy(&ages[i], &raw[4 * i + 1], sizeof(uint64_t));
    ages[i] >>= age_shift;
    std::memcpy(&tau[i], &raw[4 * i + 3], sizeof(float));
    // Valid parameters want a valid τ: |τ|, or 1 where that is still not finite and > 0.
    if (!(mode & raw_params)) tau[i] = std::isfinite(tau[i]) && tau[i] != 0 ? std::fabs(tau[i]) : 1;
  }
  if (mode & fold_strengths) ek::fuzz::fold_exponents(strengths);
  params.tau_per_memory = (mode & per_memory_tau) ? tau.data() : nullptr;

  const bool accepted = abi_accepts(slots[0], strengths, ages, tau, params);
  if (!accepted && !(mode & raw_params))
    ek::fuzz::violation("engram_apply_decay", engram_active_isa(), "rejected valid parameters");
  if (!accepted) return 0;

  float unwritten = 0;
  std::memcpy(&unwritten, &unwritten_bits, sizeof unwritten);
  std::vector<float> expected(count, unwritten);
  for (auto& slot : slots) {
    const uint64_t* a = slot.ages.place(std::span<const uint64_t>(ages), true);
    engram_decay_params p = params;
    if (p.tau_per_memory != nullptr)
      p.tau_per_memory = slot.tau.place(std::span<const float>(tau), true);
    bool reference = true;  // the first table is the reference: its output is the expectation
    for (const auto& table : ek::fuzz::tables_under_test()) {
      float* s = slot.strengths.place(std::span<const float>(strengths), false);
      table.decay(s, a, count, p);
      if (!slot.strengths.outside_intact())
        ek::fuzz::violation("decay", table.isa, "wrote outside strengths[0, count)");
      if (reference) std::copy(s, s + count, expected.begin());
      check(table.isa, slot.strengths.side(), strengths, ages, expected, s);
      reference = false;
    }
  }
  return 0;
}
