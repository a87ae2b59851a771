// fuzz_cosine.cpp — differential harness for batch cosine similarity: the reference and every
// runnable ISA on the same raw f32 patterns, every buffer against a guard page (after the last
// byte or before the first, fuzz::side_for), checked against the contract
// (docs/contract.md §2.1) as verify states it (verify::cosine_violation).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "kernels/cosine.hpp"
#include "kernels/dispatch.hpp"
#include "src/verify/compare.hpp"

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

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side) : query(side), candidates(side), scores(side) {}
  ek::fuzz::guarded_input query, candidates;
  ek::fuzz::guarded_output scores;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static std::vector<float> values, expected, poison;
  static ek::verify::check_result stats;  // verify's error statistics, unused here
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const size_t dim = in.take<uint16_t>() % (max_dim + 1);
  const size_t count_limit = std::min(max_count, max_floats / std::max<size_t>(dim, 1) - 1);
  const size_t count = in.take<uint8_t>() % (count_limit + 1);
  const auto mode = in.take<uint8_t>();
  values.resize(dim * (count + 1));
  in.payload(std::span<float>(values));
  if (mode & 1) ek::fuzz::fold_exponents(values);
  // Bit 2 forces the software prefetch (kernels/cosine.hpp), whose addresses run past the
  // candidates into the guard page; the scores must not change.
  ek::kern::set_prefetch_rule(mode & 2 ? "always" : "never");
  const std::span<const float> query(values.data(), dim);
  const std::span<const float> candidates(values.data() + dim, dim * count);

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
    ek::fuzz::require_contract(
        "cosine", table.isa, slot.scores.side(),
        ek::verify::cosine_violation(query, candidates, expected, std::span<const float>(s, count),
                                     stats));
    reference = false;
  }
  return 0;
}
