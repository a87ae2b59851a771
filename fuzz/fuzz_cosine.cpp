// fuzz_cosine.cpp — differential harness for batch cosine similarity: the reference and every
// runnable ISA on the same raw f32 patterns, every buffer against a guard page (after the last
// byte or before the first, fuzz::side_for), checked against the DESIGN §3.1 contract.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "kernels/cosine.hpp"
#include "reference/cosine.hpp"
#include "src/harness/ulp.hpp"

namespace {

using ek::harness::guard_side;

// Up to 2048 floats per vector covers the 768 and 1536 of real embeddings and every tail of every
// vector width; up to 9 candidates covers one, two and a partial block of cosine_block. At most
// max_floats in all keeps each run short enough for thousands of runs per second.
constexpr size_t max_dim = 2048;
constexpr size_t max_count = 2 * ek::kern::cosine_block + 1;
constexpr size_t max_floats = 8192;
// A score no kernel may leave behind: a NaN whose payload spells "unwritten".
constexpr uint32_t unwritten_bits = 0x7fc0dead;

// A vector with no direction (empty, all ±0, or holding a NaN or ±Inf) scores exactly +0.
bool directionless(const float* v, size_t n) {
  bool all_zero = true;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) return true;
    all_zero = all_zero && v[i] == 0;
  }
  return all_zero;
}

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side) : query(side), candidates(side), scores(side) {}
  ek::fuzz::guarded_input query, candidates;
  ek::fuzz::guarded_output scores;
};

// special[j]: candidate j (or the query) has no direction.
void check(const char* isa, guard_side side, size_t dim, const std::vector<bool>& special,
           const std::vector<float>& expected, const float* actual) {
  const double bound = ek::kern::cosine_error_bound(dim);
  for (size_t j = 0; j < expected.size(); ++j) {
    const float e = expected[j];
    const float a = actual[j];
    if (special[j]) {
      if (!ek::harness::same_bits(a, 0.0f))
        ek::fuzz::violation("cosine", isa, side, j, e, a,
                            "a vector without direction must score +0");
    } else if (!(std::fabs(a) <= 1.0f)) {
      ek::fuzz::violation("cosine", isa, side, j, e, a, "score outside [-1, 1]");
    } else if (!(std::fabs(double(a) - double(e)) <= bound)) {
      ek::fuzz::violation("cosine", isa, side, j, e, a,
                          "error beyond cosine_error_bound(" + std::to_string(dim) +
                              ") = " + std::to_string(bound));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static std::vector<float> values, expected, poison;
  static std::vector<bool> special;
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const size_t dim = in.take<uint16_t>() % (max_dim + 1);
  const size_t count_limit = std::min(max_count, max_floats / std::max<size_t>(dim, 1) - 1);
  const size_t count = in.take<uint8_t>() % (count_limit + 1);
  const auto mode = in.take<uint8_t>();
  values.resize(dim * (count + 1));
  in.payload(std::span<float>(values));
  if (mode & 1) ek::fuzz::fold_exponents(values);
  const std::span<const float> query(values.data(), dim);
  const std::span<const float> candidates(values.data() + dim, dim * count);

  special.assign(count, directionless(query.data(), dim));
  for (size_t j = 0; j < count; ++j)
    special[j] = special[j] || directionless(candidates.data() + j * dim, dim);
  float unwritten = 0;
  std::memcpy(&unwritten, &unwritten_bits, sizeof unwritten);
  poison.assign(count, unwritten);
  expected.resize(count);

  const float* q = slot.query.place(query);
  const float* c = slot.candidates.place(candidates);
  // The reference runs on the same guarded buffers: it must not over-read either, and its scores
  // define the expected ones.
  bool reference = true;
  for (const auto& table : ek::fuzz::tables_under_test()) {
    float* s = slot.scores.place(std::span<const float>(poison));
    table.cosine(q, c, s, dim, count);
    if (!slot.scores.outside_intact())
      ek::fuzz::violation("cosine", table.isa, "wrote outside scores[0, count)");
    if (reference) std::copy(s, s + count, expected.begin());
    check(table.isa, slot.scores.side(), dim, special, expected, s);
    reference = false;
  }
  return 0;
}
