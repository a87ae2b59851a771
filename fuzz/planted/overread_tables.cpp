// overread_tables.cpp — SELF-TEST ONLY (fuzz_cosine_planted): the real tables plus a planted
// cosine kernel whose tail reads one element past the end of the candidates while every score it
// writes stays right, the bug that only a guard page reveals. Never linked into the library.
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "reference/cosine.hpp"

namespace {

void overread_cosine(const float* query, const float* candidates, float* scores, size_t dim,
                     size_t count) {
  ek::ref::cosine(query, candidates, scores, dim, count);
  // The tail loop's bound is off by one (<= instead of <): the last candidate's tail touches
  // candidates[count * dim], and the value is thrown away.
  volatile float sink = 0;
  if (count > 0) {
    const float* last = candidates + (count - 1) * dim;
    for (size_t i = dim & ~size_t{3}; i <= dim; ++i) sink = sink + last[i];
  }
}

}  // namespace

namespace ek::fuzz {

std::span<const kernel_table> tables_under_test() {
  static const std::vector<kernel_table> tables =
      with_planted("planted_overread", [](kernel_table& t) { t.cosine = &overread_cosine; });
  return tables;
}

}  // namespace ek::fuzz
