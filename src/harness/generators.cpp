// generators.cpp — the workload families of generators.hpp, written over prng.hpp only: every
// value is a fixed sequence of IEEE operations on PRNG outputs, so a seed pins the bytes.
#include "src/harness/generators.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "reference/lowp.hpp"
#include "src/harness/prng.hpp"

namespace ek::harness {

namespace {

constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();

// Independent streams per part of a workload (query, candidates, ...), so that, e.g., the query
// of a cosine workload does not change when only the candidate count does.
prng stream(uint64_t seed, uint64_t part) {
  uint64_t s = seed ^ (part * 0xd1b54a32d192ed03ULL);
  return prng(splitmix64(s));
}

// ---- cosine ------------------------------------------------------------------------------------

float base_element(cosine_family family, prng& rng) {
  switch (family) {
    case cosine_family::uniform:
      return static_cast<float>(rng.uniform(-1.0, 1.0));
    case cosine_family::lognormal:
      return static_cast<float>(rng.sign() * std::exp(rng.normal()));
    case cosine_family::cauchy:
      return static_cast<float>(rng.cauchy());
    case cosine_family::integer:
      return static_cast<float>(rng.range(-32, 32));
    case cosine_family::extreme:
      // 1e-40 is subnormal in f32: the low end of the range exercises gradual underflow.
      return static_cast<float>(rng.sign() * rng.log_uniform(1e-40, 1e38));
    default:
      return static_cast<float>(rng.normal());
  }
}

void fill(cosine_family family, prng& rng, float* v, size_t dim) {
  for (size_t i = 0; i < dim; ++i) v[i] = base_element(family, rng);
}

void fill_zero(prng& rng, float* v, size_t dim) {
  for (size_t i = 0; i < dim; ++i) v[i] = static_cast<float>(rng.sign() * 0.0);
}

void inject_nonfinite(prng& rng, float* v, size_t dim) {
  if (dim == 0) return;
  const float specials[] = {nan_f, inf_f, -inf_f};
  const uint64_t n = 1 + rng.below(3);
  for (uint64_t k = 0; k < n; ++k) v[rng.below(dim)] = specials[rng.below(3)];
}

void near_parallel(prng& rng, const float* q, float* c, size_t dim) {
  const double eps = rng.log_uniform(1e-7, 1e-4);
  const double s = rng.one_in(4) ? -1.0 : 1.0;
  for (size_t i = 0; i < dim; ++i) c[i] = static_cast<float>(s * (q[i] + eps * rng.normal()));
}

// Integer candidates along ±query, off by ±1 in about one element in four: scores within a few
// f32 ULP of ±1, where every rounding of the final quotient shows (and the sums stay exact).
void integer_near_parallel(prng& rng, const float* q, float* c, size_t dim) {
  const double s = rng.sign();
  for (size_t i = 0; i < dim; ++i) {
    const double nudge = rng.one_in(4) ? double(rng.range(-1, 1)) : 0.0;
    c[i] = static_cast<float>(std::clamp(s * q[i] + nudge, -32.0, 32.0));
  }
}

void near_orthogonal(prng& rng, const float* q, float* c, size_t dim) {
  std::vector<double> r(dim);
  double rq = 0, qq = 0;
  for (size_t i = 0; i < dim; ++i) {
    r[i] = rng.normal();
    rq += r[i] * q[i];
    qq += static_cast<double>(q[i]) * q[i];
  }
  const double k = qq > 0 ? rq / qq : 0.0;
  for (size_t i = 0; i < dim; ++i) c[i] = static_cast<float>(r[i] - k * q[i]);
}

// ---- graphs ------------------------------------------------------------------------------------

struct edge {
  uint32_t src, dst;
  float w;
};

float edge_weight(prng& rng, bool negative) {
  const double u = 1.0 - rng.uniform();  // (0, 1]
  return static_cast<float>(negative && rng.one_in(8) ? -u : u);
}

// Picks up to `degree` distinct targets for `src` among the allowed nodes (never src itself):
// `pick` proposes a target; after a few rejections a scan from the proposal finds a free one.
template <class Pick>
void add_row(uint32_t src, uint64_t degree, uint32_t n, const std::vector<uint8_t>& allowed,
             std::vector<uint8_t>& taken, Pick&& pick, prng& rng, bool negative,
             std::vector<edge>& edges) {
  const size_t first = edges.size();
  for (uint64_t k = 0; k < degree; ++k) {
    uint32_t t = pick();
    auto ok = [&](uint32_t v) { return v != src && allowed[v] && !taken[v]; };
    for (int tries = 0; tries < 16 && !ok(t); ++tries) t = pick();
    for (uint32_t scanned = 0; !ok(t) && scanned < n; ++scanned) t = (t + 1 == n) ? 0 : t + 1;
    if (!ok(t)) break;  // the caller caps degrees, so this only guards the invariant
    taken[t] = 1;
    edges.push_back({src, t, edge_weight(rng, negative)});
  }
  for (size_t e = first; e < edges.size(); ++e) taken[edges[e].dst] = 0;
}

std::vector<edge> random_edges(const graph_options& o, const std::vector<uint8_t>& allowed,
                               uint64_t active, prng& rng) {
  const uint32_t n = o.nodes;
  std::vector<edge> edges;
  if (active < 2) return edges;
  const uint64_t cap = active - 1;  // distinct targets, no self-loop
  std::vector<uint64_t> degree(n, 0);
  std::vector<uint32_t> active_ids;
  for (uint32_t v = 0; v < n; ++v)
    if (allowed[v]) active_ids.push_back(v);

  if (o.family == graph_family::uniform) {
    // Sources uniform over the active nodes: the total is average_degree per active node.
    const double most = static_cast<double>(cap) * static_cast<double>(active);
    const auto total = static_cast<uint64_t>(
        std::llround(std::min(o.average_degree * static_cast<double>(active), most)));
    for (uint64_t e = 0; e < total; ++e) {
      uint64_t i = rng.below(active);
      while (degree[active_ids[i]] == cap) i = (i + 1 == active) ? 0 : i + 1;
      ++degree[active_ids[i]];
    }
  } else {
    // Pareto(x_m, alpha = 2) out-degrees: mean 2 x_m = average_degree, infinite variance (the
    // heavy tail of hubs). Inverse CDF x_m / sqrt(1 - u) needs only a correctly rounded sqrt;
    // stochastic rounding keeps the mean.
    const double xm = o.average_degree / 2;
    for (uint32_t v : active_ids) {
      const double d = xm / std::sqrt(1.0 - rng.uniform()) + rng.uniform();
      degree[v] = d >= static_cast<double>(cap) ? cap : static_cast<uint64_t>(d);
    }
  }

  std::vector<uint8_t> taken(n, 0);
  if (o.family == graph_family::uniform) {
    auto pick = [&] { return active_ids[rng.below(active)]; };
    for (uint32_t v : active_ids)
      add_row(v, degree[v], n, allowed, taken, pick, rng, o.negative_weights, edges);
  } else {
    // Preferential attachment: an urn holding every active node once (the +1) and every edge
    // target once more, so a draw picks v with probability proportional to in-degree(v) + 1.
    std::vector<uint32_t> urn = active_ids;
    auto pick = [&] { return urn[rng.below(urn.size())]; };
    for (uint32_t v : active_ids) {
      const size_t first = edges.size();
      add_row(v, degree[v], n, allowed, taken, pick, rng, o.negative_weights, edges);
      for (size_t e = first; e < edges.size(); ++e) urn.push_back(edges[e].dst);
    }
  }
  return edges;
}

std::vector<edge> structured_edges(const graph_options& o, const std::vector<uint8_t>& allowed,
                                   prng& rng) {
  const uint32_t n = o.nodes;
  std::vector<edge> edges;
  auto add = [&](uint32_t u, uint32_t v) {
    if (allowed[u] && allowed[v]) edges.push_back({u, v, edge_weight(rng, o.negative_weights)});
  };
  switch (o.family) {
    case graph_family::star:
      for (uint32_t v = 1; v < n; ++v) add(0, v);
      break;
    case graph_family::chain:
    case graph_family::cycle:
      for (uint32_t v = 0; v + 1 < n; ++v) add(v, v + 1);
      if (o.family == graph_family::cycle && n >= 2) add(n - 1, 0);
      break;
    default:  // complete
      for (uint32_t u = 0; u < n; ++u)
        for (uint32_t v = 0; v < n; ++v)
          if (u != v) add(u, v);
      break;
  }
  return edges;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

}  // namespace

cosine_workload make_cosine(cosine_family family, size_t dim, size_t count, uint64_t seed) {
  check(dim == 0 || count <= std::numeric_limits<size_t>::max() / dim,
        "cosine workload: dim * count overflows");
  cosine_workload w;
  w.family = family;
  w.dim = dim;
  w.count = count;
  w.query.resize(dim);
  w.candidates.resize(dim * count);
  prng q_rng = stream(seed, 1);
  prng c_rng = stream(seed, 2);
  const bool specials = family == cosine_family::zero || family == cosine_family::nonfinite;
  const cosine_family base = specials ? cosine_family::gaussian : family;
  const bool relative =
      family == cosine_family::near_parallel || family == cosine_family::near_orthogonal;
  fill(relative ? cosine_family::gaussian : base, q_rng, w.query.data(), dim);
  if (family == cosine_family::zero && q_rng.one_in(8)) fill_zero(q_rng, w.query.data(), dim);
  if (family == cosine_family::nonfinite && q_rng.one_in(8))
    inject_nonfinite(q_rng, w.query.data(), dim);

  // One candidate is always special, so even a small workload holds the case its family names.
  const uint64_t forced = c_rng.below(count);
  for (size_t j = 0; j < count; ++j) {
    float* c = w.candidates.data() + j * dim;
    if (family == cosine_family::near_parallel) {
      near_parallel(c_rng, w.query.data(), c, dim);
    } else if (family == cosine_family::near_orthogonal) {
      near_orthogonal(c_rng, w.query.data(), c, dim);
    } else if (family == cosine_family::integer && c_rng.one_in(2)) {
      integer_near_parallel(c_rng, w.query.data(), c, dim);
    } else {
      fill(base, c_rng, c, dim);
      const bool special = j == forced || c_rng.one_in(4);
      if (family == cosine_family::zero && special) fill_zero(c_rng, c, dim);
      if (family == cosine_family::nonfinite && special) inject_nonfinite(c_rng, c, dim);
    }
  }
  return w;
}

cosine_batch_workload make_cosine_batch(cosine_family family, size_t dim, size_t num_queries,
                                        size_t count, uint64_t seed, bool duplicates) {
  check(dim == 0 || num_queries <= std::numeric_limits<size_t>::max() / dim,
        "cosine batch workload: dim * num_queries overflows");
  cosine_workload base = make_cosine(family, dim, count, seed);
  cosine_batch_workload w;
  w.family = family;
  w.dim = dim;
  w.num_queries = num_queries;
  w.count = count;
  w.candidates = std::move(base.candidates);
  prng d_rng = stream(seed, 3);
  for (size_t j = 1; duplicates && j < count; ++j) {
    if (j % 4 != 3) continue;
    const size_t from = d_rng.below(j);
    std::copy_n(w.candidates.begin() + from * dim, dim, w.candidates.begin() + j * dim);
  }
  w.queries.resize(num_queries * dim);
  for (size_t i = 0; i < num_queries; ++i) {
    float* q = w.queries.data() + i * dim;
    if (i == 0) {
      std::copy_n(base.query.begin(), dim, q);
    } else if (i % 3 == 1 && count != 0) {
      std::copy_n(w.candidates.begin() + d_rng.below(count) * dim, dim, q);
    } else {
      const cosine_workload fresh = make_cosine(family, dim, 1, seed + 0x9e3779b97f4a7c15ull * i);
      std::copy_n(fresh.query.begin(), dim, q);
    }
  }
  return w;
}

std::string to_string(element_type t) { return t == element_type::bf16 ? "bf16" : "i8"; }

compact_workload make_compact(element_type type, cosine_family family, size_t dim,
                              size_t num_queries, size_t count, uint64_t seed, bool duplicates) {
  cosine_batch_workload base = make_cosine_batch(family, dim, num_queries, count, seed, duplicates);
  compact_workload w;
  w.type = type;
  w.family = family;
  w.dim = dim;
  w.num_queries = num_queries;
  w.count = count;
  w.queries = std::move(base.queries);
  if (type == element_type::bf16) {
    w.bf16.resize(base.candidates.size());
    ref::convert_to_bf16(base.candidates.data(), w.bf16.data(), base.candidates.size());
  } else {
    for (float& x : base.candidates) x = std::isfinite(x) ? x : 0.0f;
    w.i8.resize(base.candidates.size());
    ref::quantize_i8(base.candidates.data(), dim, count, w.i8.data(), nullptr);
  }
  return w;
}

std::vector<float> widened_candidates(const compact_workload& w) {
  std::vector<float> out;
  with_candidates(w, [&out](auto rows) {
    out.reserve(rows.size());
    for (auto x : rows) {
      if constexpr (std::is_same_v<decltype(x), uint16_t>)
        out.push_back(ref::widen_bf16(x));
      else
        out.push_back(static_cast<float>(x));
    }
  });
  return out;
}

engram_decay_params decay_workload::call_params() const {
  engram_decay_params p = params;
  p.tau_per_memory = tau_per_memory.empty() ? nullptr : tau_per_memory.data();
  return p;
}

decay_workload make_decay(const decay_options& options, size_t count, uint64_t seed) {
  check(options.family == ENGRAM_DECAY_EXPONENTIAL || options.family == ENGRAM_DECAY_POWER_LAW ||
            options.family == ENGRAM_DECAY_HYBRID,
        "decay workload: unknown family");
  decay_workload w;
  prng p_rng = stream(seed, 1);
  prng d_rng = stream(seed, 2);
  auto& p = w.params;
  p.struct_size = sizeof(engram_decay_params);
  p.family = static_cast<uint32_t>(options.family);
  p.tau_seconds = p_rng.log_uniform(60, 1e7);
  p.beta = p_rng.uniform(0.1, 3.0);
  p.switch_seconds = p.tau_seconds * p_rng.log_uniform(0.25, 4.0);
  p.floor = options.with_floor ? 0.5 * (1.0 - p_rng.uniform()) : 0.0;  // (0, 0.5]

  // Ages near 2^63 and UINT64_MAX test the u64 -> double conversion (the top bit and rounding
  // up to 2^64); subnormal strengths test results that stay subnormal; signaling NaNs test that
  // nothing widens an age-0 strength (the widening quiets them).
  constexpr uint64_t two63 = uint64_t{1} << 63;
  const uint64_t special_ages[] = {0, two63 - 1, two63, two63 + 1, UINT64_MAX - 1, UINT64_MAX};
  const auto special_strength = [&d_rng]() -> float {
    constexpr float max = std::numeric_limits<float>::max();
    const float plain[] = {0.0f,
                           -0.0f,
                           1e-40f,
                           std::numeric_limits<float>::denorm_min(),
                           std::numeric_limits<float>::min(),
                           max,
                           -max,
                           inf_f,
                           -inf_f};
    const auto sign = static_cast<uint32_t>(d_rng.below(2)) << 31;
    const auto payload = static_cast<uint32_t>(1 + d_rng.below(0x3fffff));  // never 0: sNaN
    switch (d_rng.below(4)) {
      case 0:
        return std::bit_cast<float>(sign | 0x7f800000u | payload);  // signaling NaN
      case 1:
        return std::bit_cast<float>(sign | 0x7fc00000u | (payload - 1));  // quiet NaN
      default:
        return plain[d_rng.below(std::size(plain))];
    }
  };
  w.strengths.resize(count);
  w.ages.resize(count);
  if (options.per_memory_tau) w.tau_per_memory.resize(count);
  for (size_t i = 0; i < count; ++i) {
    w.strengths[i] = static_cast<float>(d_rng.uniform());
    // A share of exact zero ages (fresh memories), the rest log-spread over [1, 1e12) s.
    w.ages[i] = d_rng.one_in(16) ? 0 : static_cast<uint64_t>(d_rng.log_uniform(1, 1e12));
    if (options.per_memory_tau)
      w.tau_per_memory[i] = static_cast<float>(d_rng.log_uniform(60, 1e7));
    if (options.special_values) {
      // Strengths over the whole float range, both signs: s · R is a nonzero float for R down
      // to 2^-149 / |s|, so only large strengths show where a kernel takes R as 0 too early.
      if (d_rng.one_in(2))
        w.strengths[i] = static_cast<float>(
            d_rng.sign() * std::ldexp(1.0 + d_rng.uniform(), int(d_rng.range(-149, 127))));
      if (d_rng.one_in(8)) w.strengths[i] = special_strength();
      if (d_rng.one_in(8)) w.ages[i] = special_ages[d_rng.below(6)];
    }
  }
  return w;
}

graph_workload make_graph(const graph_options& options, uint64_t seed) {
  const uint32_t n = options.nodes;
  check(std::isfinite(options.average_degree) && options.average_degree >= 0 &&
            options.average_degree <= 1e6,
        "graph workload: average_degree must be finite, in [0, 1e6]");
  check(options.family != graph_family::complete || n <= 2048,
        "graph workload: complete graphs are limited to 2048 nodes");
  prng s_rng = stream(seed, 1);  // structure
  prng x_rng = stream(seed, 2);  // extras: self-loops, multi-edges
  prng a_rng = stream(seed, 3);  // activations

  std::vector<uint8_t> allowed(n, 1);
  uint64_t active = n;
  if (options.isolated_nodes && n >= 2) {
    // About one node in eight, at least one; never the hub of a star.
    const uint64_t want = std::max<uint64_t>(1, n / 8);
    while (n - active < want) {
      const auto v = static_cast<uint32_t>(s_rng.below(n));
      if (allowed[v] && !(options.family == graph_family::star && v == 0)) {
        allowed[v] = 0;
        --active;
      }
    }
  }

  std::vector<edge> edges =
      (options.family == graph_family::uniform || options.family == graph_family::power_law)
          ? random_edges(options, allowed, active, s_rng)
          : structured_edges(options, allowed, s_rng);

  if (options.self_loops && active > 0) {
    std::vector<uint8_t> looped(n, 0);
    for (uint64_t k = 0, want = 1 + active / 16; k < want; ++k) {
      const auto v = static_cast<uint32_t>(x_rng.below(n));
      if (!allowed[v] || looped[v]) continue;
      looped[v] = 1;
      edges.push_back({v, v, edge_weight(x_rng, options.negative_weights)});
    }
  }
  if (options.multi_edges && !edges.empty()) {
    const size_t base = edges.size();
    for (size_t k = 0, want = 1 + base / 16; k < want; ++k) {
      edge copy = edges[x_rng.below(base)];
      copy.w = edge_weight(x_rng, options.negative_weights);
      edges.push_back(copy);
    }
  }

  graph_workload g;
  g.nodes = n;
  // A stable counting sort by source: CSR rows, edges of one row in generation order.
  g.row_offsets.assign(static_cast<size_t>(n) + 1, 0);
  for (const edge& e : edges) ++g.row_offsets[e.src + 1];
  for (uint32_t v = 0; v < n; ++v) g.row_offsets[v + 1] += g.row_offsets[v];
  g.targets.resize(edges.size());
  g.weights.resize(edges.size());
  std::vector<uint64_t> cursor(g.row_offsets.begin(), g.row_offsets.end() - 1);
  for (const edge& e : edges) {
    const uint64_t at = cursor[e.src]++;
    g.targets[at] = e.dst;
    g.weights[at] = e.w;
  }

  g.activations.assign(n, 0.0f);
  const uint32_t cues = std::min(options.cues, n);
  for (uint32_t k = 0; k < cues;) {
    const auto v = static_cast<uint32_t>(a_rng.below(n));
    if (g.activations[v] != 0.0f) continue;
    g.activations[v] = static_cast<float>(0.2 + 0.8 * (1.0 - a_rng.uniform()));  // (0.2, 1]
    ++k;
  }

  if (options.params.struct_size == 0) {
    g.params = {sizeof(engram_spread_params), ENGRAM_SPREAD_FRONTIER, 3, 0.5f, 0.01f};
  } else {
    g.params = options.params;
  }
  return g;
}

// ---- names -------------------------------------------------------------------------------------

namespace {

template <class E, size_t N>
E parse_name(const std::string& name, const E (&all)[N], const char* what) {
  std::string choices;
  for (E e : all) {
    if (to_string(e) == name) return e;
    if (!choices.empty()) choices += '|';
    choices += to_string(e);
  }
  std::string message = "unknown ";
  message.append(what).append(" '").append(name).append("' (valid: ").append(choices) += ')';
  throw std::invalid_argument(message);
}

constexpr engram_decay_family all_decay_families[] = {ENGRAM_DECAY_EXPONENTIAL,
                                                      ENGRAM_DECAY_POWER_LAW, ENGRAM_DECAY_HYBRID};

}  // namespace

std::string to_string(cosine_family f) {
  switch (f) {
    case cosine_family::gaussian:
      return "gaussian";
    case cosine_family::uniform:
      return "uniform";
    case cosine_family::lognormal:
      return "lognormal";
    case cosine_family::cauchy:
      return "cauchy";
    case cosine_family::integer:
      return "integer";
    case cosine_family::extreme:
      return "extreme";
    case cosine_family::zero:
      return "zero";
    case cosine_family::nonfinite:
      return "nonfinite";
    case cosine_family::near_parallel:
      return "near_parallel";
    case cosine_family::near_orthogonal:
      return "near_orthogonal";
  }
  return "unknown";
}

std::string to_string(graph_family f) {
  switch (f) {
    case graph_family::uniform:
      return "uniform";
    case graph_family::power_law:
      return "power_law";
    case graph_family::star:
      return "star";
    case graph_family::chain:
      return "chain";
    case graph_family::cycle:
      return "cycle";
    case graph_family::complete:
      return "complete";
  }
  return "unknown";
}

std::string to_string(engram_decay_family f) {
  switch (f) {
    case ENGRAM_DECAY_EXPONENTIAL:
      return "exponential";
    case ENGRAM_DECAY_POWER_LAW:
      return "power_law";
    case ENGRAM_DECAY_HYBRID:
      return "hybrid";
  }
  return "unknown";
}

cosine_family parse_cosine_family(const std::string& name) {
  return parse_name(name, all_cosine_families, "cosine family");
}
graph_family parse_graph_family(const std::string& name) {
  return parse_name(name, all_graph_families, "graph family");
}
engram_decay_family parse_decay_family(const std::string& name) {
  return parse_name(name, all_decay_families, "decay family");
}

}  // namespace ek::harness
