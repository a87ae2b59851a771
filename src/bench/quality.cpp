// quality.cpp — the top-k overlap and |Δcos| of the compact candidate types against f32, through
// the reference kernels, on seeded families.
#include "src/bench/quality.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "reference/cosine.hpp"
#include "reference/lowp.hpp"
#include "reference/topk.hpp"
#include "src/harness/generators.hpp"
#include "src/harness/prng.hpp"
#include "src/harness/text_format.hpp"

namespace ek::bench {

namespace {

struct float_set {
  std::vector<float> queries, candidates;  // [queries][dim], [count][dim]
};

// Memories in topics, the shape of real embeddings that the i.i.d. families lack: 100 centres of
// N(0, 1) elements, each candidate a centre plus N(0, 0.5²) noise per element (cosine about 0.9
// with its centre, 0.8 with its topic's other memories), each query a random centre plus the same
// noise. A query's top-10 then lies among its topic's ~100 memories, whose scores differ by a few
// hundredths: the case where a lossy type reorders most.
float_set clustered(const quality_options& o) {
  constexpr size_t topics = 100;
  constexpr double noise = 0.5;
  harness::prng rng(o.seed);
  std::vector<double> centres(topics * o.dim);
  for (double& x : centres) x = rng.normal();
  auto member = [&](float* v) {
    const double* c = centres.data() + rng.below(topics) * o.dim;
    for (size_t i = 0; i < o.dim; ++i) v[i] = static_cast<float>(c[i] + noise * rng.normal());
  };
  float_set s{std::vector<float>(o.queries * o.dim), std::vector<float>(o.count * o.dim)};
  for (size_t j = 0; j < o.count; ++j) member(s.candidates.data() + j * o.dim);
  for (size_t i = 0; i < o.queries; ++i) member(s.queries.data() + i * o.dim);
  return s;
}

float_set generated(harness::cosine_family f, const quality_options& o) {
  harness::cosine_batch_workload w =
      harness::make_cosine_batch(f, o.dim, o.queries, o.count, o.seed);
  return {std::move(w.queries), std::move(w.candidates)};
}

// Every query's scores against all candidates, [queries][count], by `score` (a reference cosine
// of some candidate type).
template <class Score>
std::vector<float> all_scores(const float_set& s, const quality_options& o, Score&& score) {
  std::vector<float> out(o.queries * o.count);
  for (size_t i = 0; i < o.queries; ++i)
    score(s.queries.data() + i * o.dim, out.data() + i * o.count);
  return out;
}

std::vector<uint32_t> top_k(const std::vector<float>& scores, const quality_options& o) {
  std::vector<uint32_t> index(o.queries * o.k);
  std::vector<float> score(o.k);
  for (size_t i = 0; i < o.queries; ++i)
    ref::select_topk(scores.data() + i * o.count, o.count, o.k, index.data() + i * o.k,
                     score.data());
  return index;
}

quality_row compare(const std::string& family, const std::string& type, const quality_options& o,
                    const std::vector<float>& exact, const std::vector<uint32_t>& exact_top,
                    const std::vector<float>& compact) {
  quality_row r{family, type};
  double sum = 0;
  for (size_t p = 0; p < exact.size(); ++p) {
    const double d = std::fabs(double(compact[p]) - double(exact[p]));
    r.max_delta = std::max(r.max_delta, d);
    sum += d;
  }
  r.mean_delta = sum / static_cast<double>(exact.size());
  const std::vector<uint32_t> top = top_k(compact, o);
  size_t shared = 0;
  for (size_t i = 0; i < o.queries; ++i) {
    const auto want = exact_top.begin() + static_cast<ptrdiff_t>(i * o.k);
    for (size_t j = 0; j < o.k; ++j)
      shared += std::find(want, want + static_cast<ptrdiff_t>(o.k), top[i * o.k + j]) !=
                want + static_cast<ptrdiff_t>(o.k);
  }
  r.overlap = double(shared) / double(o.queries * o.k);
  return r;
}

}  // namespace

std::vector<quality_row> measure_quality(const quality_options& o) {
  std::vector<quality_row> rows;
  const std::pair<std::string, float_set> sets[] = {
      {"clustered", clustered(o)},
      {"gaussian", generated(harness::cosine_family::gaussian, o)},
      {"lognormal", generated(harness::cosine_family::lognormal, o)},
      {"cauchy", generated(harness::cosine_family::cauchy, o)}};
  for (const auto& set : sets) {
    // Plain references, not a structured binding: clang 14 (clang-tidy, the fuzz preset) cannot
    // capture a binding in the lambdas below.
    const std::string& family = set.first;
    const float_set& s = set.second;
    const std::vector<float> exact = all_scores(s, o, [&](const float* q, float* out) {
      ref::cosine(q, s.candidates.data(), out, o.dim, o.count);
    });
    const std::vector<uint32_t> exact_top = top_k(exact, o);
    // The candidates as a user would store them: the reference conversions (these families have
    // no NaN or Inf, which quantize_i8 refuses).
    std::vector<uint16_t> bf16(s.candidates.size());
    ref::convert_to_bf16(s.candidates.data(), bf16.data(), bf16.size());
    rows.push_back(compare(family, "bf16", o, exact, exact_top,
                           all_scores(s, o, [&](const float* q, float* out) {
                             ref::cosine_bf16(q, bf16.data(), out, o.dim, o.count);
                           })));
    std::vector<int8_t> i8(s.candidates.size());
    ref::quantize_i8(s.candidates.data(), o.dim, o.count, i8.data(), nullptr);
    rows.push_back(compare(family, "i8", o, exact, exact_top,
                           all_scores(s, o, [&](const float* q, float* out) {
                             ref::cosine_i8(q, i8.data(), out, o.dim, o.count);
                           })));
  }
  return rows;
}

std::string quality_table(const quality_options& o, const std::vector<quality_row>& rows,
                          bool markdown) {
  std::ostringstream s;
  s << harness::formatted(
      "compact candidates against f32 (reference scores): d%zu, %zu candidates, %zu queries, "
      "top-%zu, seed %llu\n\n",
      o.dim, o.count, o.queries, o.k, static_cast<unsigned long long>(o.seed));
  const std::string overlap = "top-" + std::to_string(o.k) + " overlap";
  if (markdown)
    s << "| family | type | " << overlap
      << " | max |Δcos| | mean |Δcos| |\n|---|---|--:|--:|--:|\n";
  else
    // One more byte of width for the headers: Δ takes two bytes of UTF-8, one column.
    s << harness::formatted("%-10s %-5s %16s %13s %13s\n", "family", "type", overlap.c_str(),
                            "max |Δcos|", "mean |Δcos|");
  for (const quality_row& r : rows) {
    const std::string cells[] = {harness::formatted("%.4f", r.overlap),
                                 harness::formatted("%.2e", r.max_delta),
                                 harness::formatted("%.2e", r.mean_delta)};
    if (markdown)
      s << "| " << r.family << " | " << r.type << " | " << cells[0] << " | " << cells[1] << " | "
        << cells[2] << " |\n";
    else
      s << harness::formatted("%-10s %-5s %16s %12s %12s\n", r.family.c_str(), r.type.c_str(),
                              cells[0].c_str(), cells[1].c_str(), cells[2].c_str());
  }
  return s.str();
}

nlohmann::json quality_json(const quality_options& o, const std::vector<quality_row>& rows) {
  nlohmann::json list = nlohmann::json::array();
  for (const quality_row& r : rows)
    list.push_back({{"family", r.family},
                    {"type", r.type},
                    {"overlap", r.overlap},
                    {"max_delta", r.max_delta},
                    {"mean_delta", r.mean_delta}});
  return {{"dim", o.dim}, {"count", o.count}, {"queries", o.queries},
          {"k", o.k},     {"seed", o.seed},   {"rows", std::move(list)}};
}

}  // namespace ek::bench
