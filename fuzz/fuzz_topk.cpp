// fuzz_topk.cpp — differential harness for multi-query cosine (cosine_batch) and fused top-k: the
// reference, every runnable ISA and the C ABI (engram_vector_similarity_batch, engram_vector_topk)
// on the same raw f32 patterns, queries, candidates and all three outputs against a guard page
// (after the last byte or before the first, fuzz::side_for), held to the contract of
// kernels/topk.hpp: batch bit-identical to the same ISA's single-query kernel and within the
// cosine contract of the reference (verify::cosine_violation); top-k bit-identical to
// ref::select_topk of that ISA's batch scores (verify::topk_violation: ties to the lower index,
// NaN last, padding).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "engram_kern.h"
#include "fuzz/fuzz_support.hpp"
#include "fuzz/multi_query.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/topk.hpp"
#include "src/harness/ulp.hpp"
#include "src/verify/compare.hpp"

namespace {

using ek::harness::guard_side;
using ek::harness::same_bits;

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side)
      : queries(side), candidates(side), scores(side), index(side), top_scores(side) {}
  ek::fuzz::guarded_input queries, candidates;
  ek::fuzz::guarded_output scores, index, top_scores;
};

std::string show(float x) {
  uint32_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  char text[48];
  std::snprintf(text, sizeof text, "%.9g (0x%08x)", double(x), bits);
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static std::vector<float> values, expected, single, poison;
  static std::vector<uint32_t> poison_index;
  static ek::verify::check_result stats;  // verify's error statistics, unused here
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const ek::fuzz::multi_query_shape shape = ek::fuzz::read_multi_query(in);
  const size_t dim = shape.dim, nq = shape.num_queries, n = shape.count, k = shape.k;
  values.resize(dim * (nq + n));
  in.payload(std::span<float>(values));
  ek::fuzz::apply_modes(shape, values);
  const float* candidate_values = values.data() + nq * dim;
  const std::span<const float> candidates(candidate_values, n * dim);

  float unwritten = 0;
  std::memcpy(&unwritten, &ek::fuzz::unwritten_score_bits, sizeof unwritten);
  poison.assign(nq * std::max(n, k), unwritten);
  poison_index.assign(nq * k, ek::fuzz::unwritten_index);
  expected.resize(nq * n);
  single.resize(n);

  const float* q = slot.queries.place(std::span<const float>(values.data(), nq * dim));
  const float* c = slot.candidates.place(candidates);
  const std::string abi_isa = engram_active_isa();
  // The reference runs first on the same guarded buffers: it must not over-read either, and its
  // batch scores define the expected ones. The C ABI's calls stand for the active ISA's kernels
  // (they run them on these buffers), so that ISA is not called a second time directly.
  bool reference = true;
  for (const auto& table : ek::fuzz::tables_under_test()) {
    const bool via_abi = abi_isa == table.isa;
    const char* batch_name = via_abi ? "engram_vector_similarity_batch" : "cosine_batch";
    const char* topk_name = via_abi ? "engram_vector_topk" : "topk";

    float* s = slot.scores.place(std::span<const float>(poison.data(), nq * n));
    if (via_abi) {
      if (engram_vector_similarity_batch(q, nq, c, n, dim, s) != ENGRAM_OK)
        ek::fuzz::violation(batch_name, table.isa, "refused valid buffers");
    } else {
      table.cosine_batch(q, nq, c, n, dim, s);
    }
    if (!slot.scores.outside_intact())
      ek::fuzz::violation(batch_name, table.isa, "wrote outside scores[0, num_queries * n)");
    if (reference) std::copy(s, s + nq * n, expected.begin());
    for (size_t i = 0; i < nq; ++i) {
      const std::span<const float> row(s + i * n, n);
      // The reference's batch is ref::cosine per query by definition; an ISA's must match its
      // own single-query kernel on the same candidates pointer.
      if (!reference) table.cosine(q + i * dim, c, single.data(), dim, n);
      for (size_t j = 0; j < n && !reference; ++j) {
        if (same_bits(row[j], single[j])) continue;
        ek::fuzz::require_contract(batch_name, table.isa, slot.scores.side(),
                                   "query " + std::to_string(i) + " score " + std::to_string(j) +
                                       ": got " + show(row[j]) + ", the single-query kernel " +
                                       show(single[j]) + " (must be bit-identical)");
      }
      const std::string why = ek::verify::cosine_violation(
          std::span<const float>(values.data() + i * dim, dim), candidates,
          std::span<const float>(expected.data() + i * n, n), row, stats);
      if (!why.empty())
        ek::fuzz::require_contract(batch_name, table.isa, slot.scores.side(),
                                   "query " + std::to_string(i) + ": " + why);
    }

    uint32_t* out_index = slot.index.place(std::span<const uint32_t>(poison_index));
    float* out_score = slot.top_scores.place(std::span<const float>(poison.data(), nq * k));
    if (via_abi) {
      if (engram_vector_topk(q, nq, c, n, dim, k, out_index, out_score) != ENGRAM_OK)
        ek::fuzz::violation(topk_name, table.isa, "refused valid buffers");
    } else {
      table.topk(q, nq, c, n, dim, k, out_index, out_score);
    }
    if (!slot.index.outside_intact() || !slot.top_scores.outside_intact())
      ek::fuzz::violation(topk_name, table.isa, "wrote outside out_index or out_score[0, nq * k)");
    ek::fuzz::require_contract(
        topk_name, table.isa, slot.index.side(),
        ek::verify::topk_violation(std::span<const float>(s, nq * n), nq, n, k,
                                   std::span<const uint32_t>(out_index, nq * k),
                                   std::span<const float>(out_score, nq * k)));
    reference = false;
  }
  return 0;
}
