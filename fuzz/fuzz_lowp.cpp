// fuzz_lowp.cpp — differential harness for the compact candidates (kernels/lowp.hpp): the
// reference and every runnable ISA on the same raw patterns, every buffer against a guard page
// (after the last byte or before the first, fuzz::side_for). The conversions must give the
// reference's bits (convert_bf16 those of ref::convert_to_bf16; quantize_i8 those of
// ref::quantize_i8, and on a NaN or ±Inf the same refusal with every output untouched); the
// similarity over bfloat16 and int8 candidates must keep the cosine contract against the
// reference on the exactly widened values (verify::cosine_violation) and top-k must select
// exactly on the same ISA's similarity scores of that type (verify::topk_violation).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/multi_query.hpp"
#include "kernels/dispatch.hpp"
#include "reference/lowp.hpp"
#include "src/verify/compare.hpp"

namespace {

using ek::harness::guard_side;

using ek::fuzz::unwritten_index;
using ek::fuzz::unwritten_score_bits;
// The fill of the conversions' outputs: a refused quantization must leave it as it was.
constexpr uint16_t unwritten_bf16 = 0x7fde;
constexpr int8_t unwritten_i8 = 0x5a;

// Mode bits past fuzz_topk's (fuzz/multi_query.hpp).
enum lowp_flags : uint8_t {
  raw = 16,        // compact candidates are the payload's own bytes (every bfloat16 pattern and
                   // int8 -128), not the conversions of the float candidates
  no_scales = 32,  // quantize_i8 with row_scales NULL
};

// The buffers of one guard side, reused from run to run.
struct buffers {
  explicit buffers(guard_side side)
      : queries(side),
        floats(side),
        bf16_rows(side),
        i8_rows(side),
        scores(side),
        index(side),
        top_scores(side),
        bf16_out(side),
        i8_out(side),
        row_scales(side) {}
  ek::fuzz::guarded_input queries, floats, bf16_rows, i8_rows;
  ek::fuzz::guarded_output scores, index, top_scores, bf16_out, i8_out, row_scales;
};

template <class T>
std::string show_bits(T x) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", int(2 * sizeof(T)),
                unsigned(static_cast<std::make_unsigned_t<T>>(x)));
  return text;
}

// "" when `got` holds `want` bit for bit, else the first difference.
template <class T>
std::string first_difference(const char* what, std::span<const T> want, const T* got) {
  for (size_t i = 0; i < want.size(); ++i)
    if (std::memcmp(&want[i], &got[i], sizeof(T)) != 0)
      return std::string(what) + " " + std::to_string(i) + ": got " + show_bits(got[i]) +
             ", the reference " + show_bits(want[i]) + " (must be bit-identical)";
  return {};
}

// The conversions of every table on the float candidates `in`, against the reference's.
void check_conversions(buffers& slot, std::span<const float> in, size_t dim, size_t rows,
                       bool with_scales) {
  static std::vector<uint16_t> want_bf16, poison_bf16;
  static std::vector<int8_t> want_i8, poison_i8;
  static std::vector<uint32_t> want_scales, poison_scales;  // floats, compared as bits
  want_bf16.resize(in.size());
  ek::ref::convert_to_bf16(in.data(), want_bf16.data(), in.size());
  poison_bf16.assign(in.size(), unwritten_bf16);
  poison_i8.assign(in.size(), unwritten_i8);
  poison_scales.assign(rows, unwritten_score_bits);
  want_i8 = poison_i8;
  want_scales = poison_scales;
  auto* want_scale_floats = reinterpret_cast<float*>(want_scales.data());
  const bool want_ok = ek::ref::quantize_i8(in.data(), dim, rows, want_i8.data(),
                                            with_scales ? want_scale_floats : nullptr);

  const float* x = slot.floats.place(in);
  for (const auto& table : ek::fuzz::tables_under_test()) {
    uint16_t* bf16 = slot.bf16_out.place(std::span<const uint16_t>(poison_bf16));
    table.lowp.convert_bf16(x, bf16, in.size());
    if (!slot.bf16_out.outside_intact())
      ek::fuzz::violation("convert_bf16", table.isa, "wrote outside out[0, count)");
    ek::fuzz::require_contract("convert_bf16", table.isa, slot.bf16_out.side(),
                               first_difference("element", std::span<const uint16_t>(want_bf16),
                                                static_cast<const uint16_t*>(bf16)));

    // Under both quotient rules (kernels/lowp.hpp): each must give the reference's bits.
    for (const char* rule : {"reciprocal", "divide"}) {
      ek::kern::set_quotient_rule(rule);
      int8_t* i8 = slot.i8_out.place(std::span<const int8_t>(poison_i8));
      uint32_t* scales = slot.row_scales.place(std::span<const uint32_t>(poison_scales));
      const bool ok = table.lowp.quantize_i8(
          x, dim, rows, i8, with_scales ? reinterpret_cast<float*>(scales) : nullptr);
      if (!slot.i8_out.outside_intact() || !slot.row_scales.outside_intact())
        ek::fuzz::violation("quantize_i8", table.isa, "wrote outside out or row_scales");
      if (ok != want_ok)
        ek::fuzz::violation("quantize_i8", table.isa,
                            ok ? "accepted a NaN or ±Inf element" : "refused finite rows");
      // Refused: the reference wrote nothing, so both must still hold the fill.
      std::string why = first_difference("element", std::span<const int8_t>(want_i8),
                                         static_cast<const int8_t*>(i8));
      if (why.empty())
        why = first_difference("row scale", std::span<const uint32_t>(want_scales),
                               static_cast<const uint32_t*>(scales));
      ek::fuzz::require_contract("quantize_i8", table.isa, slot.i8_out.side(), why);
    }
    ek::kern::set_quotient_rule(nullptr);
  }
}

// Similarity and top-k of every table over candidates stored as C (`widened`: their exact float
// values), against the reference's scores and the table's own.
template <class C>
void check_compact(buffers& slot, ek::fuzz::guarded_input& rows_slot, const char* cosine_name,
                   const char* topk_name, std::span<const float> queries, std::span<const C> rows,
                   std::span<const float> widened, const ek::fuzz::multi_query_shape& s) {
  static std::vector<float> expected, batch, poison;
  static std::vector<uint32_t> poison_index;
  static ek::verify::check_result stats;  // verify's error statistics, unused here
  float unwritten = 0;
  std::memcpy(&unwritten, &unwritten_score_bits, sizeof unwritten);
  poison.assign(std::max(s.count, s.num_queries * s.k), unwritten);
  poison_index.assign(s.num_queries * s.k, unwritten_index);
  expected.resize(s.num_queries * s.count);
  batch.resize(s.num_queries * s.count);

  const float* q = slot.queries.place(queries);
  const C* c = rows_slot.place(rows);
  bool reference = true;  // the first table: its scores define the expected ones
  for (const auto& table : ek::fuzz::tables_under_test()) {
    const auto cosine = table.lowp.cosine_of<C>();
    for (size_t i = 0; i < s.num_queries; ++i) {
      float* out = slot.scores.place(std::span<const float>(poison.data(), s.count));
      cosine(q + i * s.dim, c, out, s.dim, s.count);
      if (!slot.scores.outside_intact())
        ek::fuzz::violation(cosine_name, table.isa, "wrote outside scores[0, count)");
      std::copy(out, out + s.count, batch.begin() + i * s.count);
      if (reference) std::copy(out, out + s.count, expected.begin() + i * s.count);
      const std::string why = ek::verify::cosine_violation(
          queries.subspan(i * s.dim, s.dim), widened,
          std::span<const float>(expected.data() + i * s.count, s.count),
          std::span<const float>(out, s.count), stats);
      if (!why.empty())
        ek::fuzz::require_contract(cosine_name, table.isa, slot.scores.side(),
                                   "query " + std::to_string(i) + ": " + why);
    }

    const size_t slots = s.num_queries * s.k;
    uint32_t* index = slot.index.place(std::span<const uint32_t>(poison_index));
    float* top = slot.top_scores.place(std::span<const float>(poison.data(), slots));
    table.lowp.topk_of<C>()(q, s.num_queries, c, s.count, s.dim, s.k, index, top);
    if (!slot.index.outside_intact() || !slot.top_scores.outside_intact())
      ek::fuzz::violation(topk_name, table.isa, "wrote outside out_index or out_score[0, nq * k)");
    ek::fuzz::require_contract(topk_name, table.isa, slot.index.side(),
                               ek::verify::topk_violation(batch, s.num_queries, s.count, s.k,
                                                          std::span<const uint32_t>(index, slots),
                                                          std::span<const float>(top, slots)));
    reference = false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static buffers slots[] = {buffers(guard_side::after), buffers(guard_side::before)};
  // Scratch reused from run to run: under AddressSanitizer an allocation costs more than a kernel.
  static std::vector<float> values, finite, widened;
  static std::vector<uint16_t> bf16;
  static std::vector<int8_t> i8;
  auto& slot = slots[ek::fuzz::side_for(data, size) == guard_side::after ? 0 : 1];
  ek::fuzz::byte_reader in(data, size);
  const ek::fuzz::multi_query_shape s = ek::fuzz::read_multi_query(in);
  values.resize(s.dim * (s.num_queries + s.count));
  in.payload(std::span<float>(values));
  const size_t elements = s.count * s.dim;
  // The raw compact rows are the candidates' payload bytes as they came, before the mode bits.
  if (s.mode & raw) {
    const auto* candidate_bytes =
        reinterpret_cast<const std::byte*>(values.data() + s.num_queries * s.dim);
    bf16.resize(elements);
    i8.resize(elements);
    if (elements != 0) {
      std::memcpy(bf16.data(), candidate_bytes, elements * sizeof(uint16_t));
      std::memcpy(i8.data(), candidate_bytes, elements);
    }
  }
  ek::fuzz::apply_modes(s, values);
  const float* candidate_values = values.data() + s.num_queries * s.dim;
  const std::span<const float> queries(values.data(), s.num_queries * s.dim);
  const std::span<const float> candidates(candidate_values, elements);

  check_conversions(slot, candidates, s.dim, s.count, !(s.mode & no_scales));

  // Without raw, the candidates as a user stores them: converted by the reference, int8 rows
  // after their NaN and ±Inf became 0 (which int8 cannot hold).
  if (!(s.mode & raw)) {
    bf16.resize(elements);
    ek::ref::convert_to_bf16(candidates.data(), bf16.data(), elements);
    finite.assign(candidates.begin(), candidates.end());
    for (float& v : finite) v = std::isfinite(v) ? v : 0.0f;
    i8.resize(elements);
    ek::ref::quantize_i8(finite.data(), s.dim, s.count, i8.data(), nullptr);
  }
  widened.resize(elements);
  for (size_t i = 0; i < elements; ++i) widened[i] = ek::ref::widen_bf16(bf16[i]);
  check_compact<uint16_t>(slot, slot.bf16_rows, "cosine_bf16", "topk_bf16", queries,
                          std::span<const uint16_t>(bf16), widened, s);
  for (size_t i = 0; i < elements; ++i) widened[i] = static_cast<float>(i8[i]);
  check_compact<int8_t>(slot, slot.i8_rows, "cosine_i8", "topk_i8", queries,
                        std::span<const int8_t>(i8), widened, s);
  return 0;
}
