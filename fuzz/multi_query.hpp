// multi_query.hpp — the input layout fuzz_topk and fuzz_lowp share: [u16 dim][u8 num_queries]
// [u16 num_candidates][u16 k][u8 mode][u8 period - 1], then raw f32 patterns for the queries and
// the candidates (fuzz::byte_reader::payload), and the mode bits that reshape them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "fuzz/fuzz_support.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/topk.hpp"

namespace ek::fuzz {

// Up to 1536 floats per vector covers real embeddings and every tail of every vector width; up to
// 13 queries covers two query blocks of the micro-kernel and a remainder; up to 600 candidates
// covers two tiles and a partial one wherever a tile holds its 256 most (dim <= 256; the budgets
// below let dims up to 27 cross a tile). k runs from 0 to 16 past the candidates.
inline constexpr size_t max_query_dim = 1536;
inline constexpr size_t max_queries = 2 * kern::batch_query_block + 1;
inline constexpr size_t max_candidates = 2 * kern::batch_max_tile + 88;
inline constexpr size_t max_query_floats = 16384;
// At most this many query-candidate-element products per run (num_queries * num_candidates *
// dim): the reference scores each pair twice under AddressSanitizer and dominates a run. Side by
// side for 20 s from the seeds, 2^14 ran twice the inputs of 2^16 and reached more edges; it still
// holds two query blocks across a tile (7 x 300 x 7) and k = n = 600 at dim 27.
inline constexpr size_t max_products = size_t{1} << 14;
inline constexpr size_t k_past_end = 16;
// Outputs no kernel may leave behind: a NaN score whose payload spells "unwritten", an index no
// candidate has and that is not the padding UINT32_MAX.
inline constexpr uint32_t unwritten_score_bits = 0x7fc0dead;
inline constexpr uint32_t unwritten_index = 0xdeadbeef;

// Mode bits; a harness may define more above these.
enum multi_query_flags : uint8_t {
  fold = 1,      // fold_exponents on every value
  repeat = 2,    // candidate rows repeat with a period of 1 to 8 rows: equal rows, equal scores
  integers = 4,  // every value a small integer (its bits mod 9, minus 4): ties and exact sums
  prefetch = 8,  // the software prefetch forced on (kernels/cosine.hpp): addresses past the rows
};

struct multi_query_shape {
  size_t dim = 0, num_queries = 0, count = 0, k = 0;
  uint8_t mode = 0;
  size_t period = 1;
};

/// The header, each count taken modulo its limit + 1.
inline multi_query_shape read_multi_query(byte_reader& in) {
  multi_query_shape s;
  s.dim = in.take<uint16_t>() % (max_query_dim + 1);
  const size_t rows = max_query_floats / std::max<size_t>(s.dim, 1);
  s.num_queries = in.take<uint8_t>() % (std::min(max_queries, rows) + 1);
  const size_t products =
      max_products / (std::max<size_t>(s.num_queries, 1) * std::max<size_t>(s.dim, 1));
  s.count = in.take<uint16_t>() % (std::min({max_candidates, rows - s.num_queries, products}) + 1);
  s.k = in.take<uint16_t>() % (s.count + k_past_end + 1);
  s.mode = in.take<uint8_t>();
  s.period = in.take<uint8_t>() % 8 + 1;
  return s;
}

/// The mode bits on `values` (the queries, then the candidates): small integers, folded
/// exponents, repeated candidate rows; and the prefetch rule they ask for.
inline void apply_modes(const multi_query_shape& s, std::span<float> values) {
  if (s.mode & integers) {
    for (float& v : values) {
      uint32_t bits = 0;
      std::memcpy(&bits, &v, sizeof bits);
      v = float(int(bits % 9) - 4);
    }
  }
  if (s.mode & fold) fold_exponents(values);
  kern::set_prefetch_rule(s.mode & prefetch ? "always" : "never");
  float* candidates = values.data() + s.num_queries * s.dim;
  if (s.mode & repeat) {
    for (size_t j = s.period; j < s.count; ++j)
      std::copy_n(candidates + (j % s.period) * s.dim, s.dim, candidates + j * s.dim);
  }
}

}  // namespace ek::fuzz
