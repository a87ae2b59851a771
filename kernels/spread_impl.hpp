// spread_impl.hpp — the optimized spreading activation, written once over an xsimd Arch and
// instantiated per ISA in kernels/isa/<isa>.cpp: a direction-optimizing frontier (push, or pull
// over the sliced ELLPACK) and a dense pull vectorized across target nodes. Contract and tuning:
// kernels/spread.hpp; design and why every path sums in the canonical order: docs/kernel-spread.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "engram_kern.h"
#include "kernels/arena.hpp"
#include "kernels/spread.hpp"
#include "kernels/xsimd_compat.hpp"
#include "reference/graph.hpp"

namespace ek::kern {

// Every helper is a static member of this class template, so each ISA's object defines its own
// symbols and the linker can never hand one ISA's code to another (scripts/odr_check.sh).
template <class Arch, gather_policy Gather>
struct spread_kernel {
  // The loops of this kernel are bound by cache misses (gathers, scattered updates), not by
  // arithmetic. Under AVX-512 they run on 256-bit vectors (VEX-encoded AVX2, which every AVX-512
  // CPU has): on this project's Xeon the same dense pull with 16-lane gathers and 512-bit
  // arithmetic was slower (docs/kernel-spread.md, "Vector width").
  using vector_arch =
      std::conditional_t<std::is_base_of_v<xsimd::avx512f, Arch>, xsimd::fma3<xsimd::avx2>, Arch>;
  using fbatch = xsimd::batch<float, vector_arch>;
  using ibatch = xsimd::batch<int32_t, vector_arch>;
  static constexpr size_t width = fbatch::size;
  // Only then do the two gather policies compile to different code (make_kernel_table).
  static constexpr bool has_gather_instruction = std::is_base_of_v<xsimd::avx2, vector_arch>;
  static constexpr uint32_t height = sliced_ell::height;
  static_assert(height % width == 0, "a slice must be whole batches");

  // The reference's clamp: comparisons that fail on NaN, so NaN -> +0, -Inf -> +0, -0 -> +0,
  // +Inf -> 1 (a min/max instruction would pass a NaN through or keep -0).
  static float clamp01(float x) { return x > 0.0f ? (x < 1.0f ? x : 1.0f) : 0.0f; }

  // Two (non-negative) indices per 64-bit load, split with ALU operations: the lanes gather is
  // bound by load ports, and this takes 12 loads per 8 lanes instead of 16 (docs/kernel-spread.md,
  // "Gathers").
  static uint64_t index_pair(const int32_t* index) {
    uint64_t pair;
    std::memcpy(&pair, index, sizeof pair);
    return pair;
  }
  static uint32_t low(uint64_t pair) { return static_cast<uint32_t>(pair); }
  static uint32_t high(uint64_t pair) { return static_cast<uint32_t>(pair >> 32); }

  // The vector of x[index[0..width)] under the table's gather policy (kernels/spread.hpp). With
  // `hardware`, one gather instruction (xsimd_compat::gather). With `lanes`, one scalar load per
  // lane, combined by the compiler's insert sequence (_mm256_setr_ps / _mm_setr_ps), which on the
  // Zen 5 beat both vpgatherdd and xsimd's generic gather (docs/kernel-spread.md, "Gathers").
  static fbatch gather(const float* base, const int32_t* index) {
    if constexpr (Gather == gather_policy::hardware && has_gather_instruction)
      return xsimd_compat::gather(base, ibatch::load_unaligned(index));
#if XSIMD_WITH_AVX
    if constexpr (std::is_base_of_v<xsimd::avx, vector_arch>) {
      const uint64_t p0 = index_pair(index), p1 = index_pair(index + 2), p2 = index_pair(index + 4),
                     p3 = index_pair(index + 6);
      return _mm256_setr_ps(base[low(p0)], base[high(p0)], base[low(p1)], base[high(p1)],
                            base[low(p2)], base[high(p2)], base[low(p3)], base[high(p3)]);
    } else
#endif
#if XSIMD_WITH_SSE2
        if constexpr (std::is_base_of_v<xsimd::sse2, vector_arch>) {
      const uint64_t p0 = index_pair(index), p1 = index_pair(index + 2);
      return _mm_setr_ps(base[low(p0)], base[high(p0)], base[low(p1)], base[high(p1)]);
    } else
#endif
    {
      alignas(64) float lanes[width];
      for (size_t lane = 0; lane < width; ++lane) lanes[lane] = base[index[lane]];
      return fbatch::load_aligned(lanes);
    }
  }

  template <class T>
  static T* take(arena_scope& scope, size_t count) {
    return static_cast<T*>(scope.take(count, sizeof(T)));
  }
  template <class T>
  static T* take_zeroed(arena_scope& scope, size_t count) {
    return static_cast<T*>(scope.take_zeroed(count, sizeof(T)));
  }

  struct frontier_list {
    uint32_t* ids;  // ascending
    float* deltas;
    uint32_t size;
    uint64_t edges;  // out-edges of these nodes, for the push/pull switch
  };

  // ---- frontier mode ---------------------------------------------------------------------------

  // { u : a[u] > threshold } in ascending id. Whole batches are tested at once because the cue
  // nodes are usually few: most batches have none.
  static void initial_frontier(const graph& g, const float* a, float threshold, frontier_list& f) {
    const uint32_t n = g.num_nodes;
    const uint64_t* offsets = g.out.offsets.data();
    const fbatch limit(threshold);
    f.size = 0;
    f.edges = 0;
    auto visit = [&](uint32_t u) {
      if (a[u] > threshold) {
        f.ids[f.size] = u;
        f.deltas[f.size++] = a[u];
        f.edges += offsets[u + 1] - offsets[u];
      }
    };
    uint32_t u = 0;
    for (; n - u >= width; u += width)
      if (xsimd::any(fbatch::load_unaligned(a + u) > limit))
        for (uint32_t j = u; j < u + width; ++j) visit(j);
    for (; u < n; ++u) visit(u);
  }

  // Push: the frontier in ascending id, each row in CSR order, so every next[v] receives its
  // contributions in the canonical order. Marks each touched node in a bitmap; with ListWords,
  // also lists each bitmap word the first time it becomes non-zero and returns how many. That
  // test is a branch the predictor misses on every new word (about one edge in three on the
  // 16-cue query's last hop), so a hop that will scan the whole bitmap instead does not list.
  template <bool ListWords>
  static uint32_t push(const graph& g, const frontier_list& f, float decay, float* next,
                       uint64_t* touched, uint32_t* touched_words) {
    const uint64_t* offsets = g.out.offsets.data();
    const uint32_t* targets = g.out.index.data();
    const float* weights = g.out.weights.data();
    uint32_t count = 0;
    // Frontier rows lie at random in the CSR: fetch a few rows ahead so their misses overlap.
    // Both ends of each row: a row of 16 edges (64 bytes of targets, as many of weights) starts
    // anywhere in a line and so almost always spans two, and the second one, left to a demand
    // miss, cost a DRAM latency per row (fetching it too: the 1000-cue query's last hop 0.61x the
    // time, AMD Zen 5; docs/kernel-spread.md, "Frontier mode"). Longer rows continue as streams.
    constexpr uint32_t ahead = 8;
    for (uint32_t i = 0; i < f.size; ++i) {
      if (i + ahead < f.size) {
        const uint32_t w = f.ids[i + ahead];
        const uint64_t row = offsets[w], row_end = offsets[w + 1];
        __builtin_prefetch(targets + row);
        __builtin_prefetch(weights + row);
        if (row_end > row) {
          __builtin_prefetch(targets + row_end - 1);
          __builtin_prefetch(weights + row_end - 1);
        }
      }
      if (i + 2 * ahead < f.size) __builtin_prefetch(offsets + f.ids[i + 2 * ahead]);
      const uint32_t u = f.ids[i];
      const float du = f.deltas[i];
      for (uint64_t e = offsets[u]; e < offsets[u + 1]; ++e) {
        const uint32_t v = targets[e];
        next[v] = next[v] + (du * weights[e]) * decay;
        uint64_t& word = touched[v >> 6];
        if constexpr (ListWords)
          if (word == 0) touched_words[count++] = v >> 6;
        word |= uint64_t{1} << (v & 63);
      }
    }
    return count;
  }

  // Pull over the sliced ELLPACK: each lane is one target node walking its in-edges in canonical
  // order. delta_by_node holds the frontier's deltas (all > threshold >= 0, so > 0) and +0
  // everywhere else, padding index n included. A non-frontier source then adds (+0 * w) * decay
  // = ±0, and adding ±0 leaves a sum that started at +0 unchanged: such a sum is never -0 (x + y
  // is -0 only when both are -0), and ±0 added to a non-zero, ±Inf or NaN sum returns that sum.
  // So every lane adds exactly its frontier contributions, in order. A node has a contribution
  // iff one of its sources had a delta > 0, which the `hit` mask records.
  static void pull(const graph& g, const float* delta_by_node, float decay, float* next,
                   uint64_t* touched) {
    const sliced_ell& s = g.in_sell;
    const uint64_t* slice_offsets = s.slice_offsets.data();
    const int32_t* nodes = s.node.data();
    const int32_t* sources = s.source.data();
    const float* weights = s.weight.data();
    const size_t slices = s.slice_offsets.size() - 1;
    const fbatch vdecay(decay), zero(0.0f), one(1.0f);
    alignas(64) float sum[height];
    alignas(64) float hit[height];
    for (size_t slice = 0; slice < slices; ++slice) {
      const uint64_t end = slice_offsets[slice + 1];
      for (uint32_t b = 0; b < height; b += width) {
        fbatch acc(0.0f), any_hit(0.0f);
        for (uint64_t e = slice_offsets[slice] + b; e < end; e += height) {
          const fbatch d = gather(delta_by_node, sources + e);
          acc = acc + (d * fbatch::load_unaligned(weights + e)) * vdecay;
          any_hit = xsimd::select(d > zero, one, any_hit);
        }
        acc.store_aligned(sum + b);
        any_hit.store_aligned(hit + b);
      }
      for (uint32_t lane = 0; lane < height; ++lane) {
        if (hit[lane] == 0.0f) continue;
        const auto v = static_cast<uint32_t>(nodes[slice * height + lane]);
        next[v] = sum[lane];
        touched[v >> 6] |= uint64_t{1} << (v & 63);
      }
    }
  }

  // Applies one touched bitmap word, in ascending id, and clears it (and next) behind itself so
  // the zeroed arena memory is zero again when the call ends. f == nullptr on the last hop, which
  // builds no frontier (the hop's largest cost would otherwise be reading out-degrees).
  static void apply_word(const graph& g, uint32_t word_index, float* a, float* next,
                         uint64_t* touched, float threshold, frontier_list* f) {
    const uint64_t* offsets = g.out.offsets.data();
    uint64_t bits = touched[word_index];
    touched[word_index] = 0;
    while (bits != 0) {
      const uint32_t v = word_index * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
      bits &= bits - 1;
      const float x = next[v];
      next[v] = 0.0f;
      a[v] = clamp01(a[v] + x);
      if (f != nullptr && x > threshold) {  // NaN fails, +Inf passes
        f->ids[f->size] = v;
        f->deltas[f->size++] = x;
        f->edges += offsets[v + 1] - offsets[v];
      }
    }
  }

  static void frontier(const graph& g, float* a, const engram_spread_params& p) {
    const uint32_t n = g.num_nodes;
    const size_t words = (size_t{n} + 63) / 64;
    const bool can_pull = !g.in_sell.node.empty();
    arena_scope scope;
    frontier_list lists[2];
    for (frontier_list& f : lists) f = {take<uint32_t>(scope, n), take<float>(scope, n), 0, 0};
    uint32_t* touched_words = take<uint32_t>(scope, words);
    float* next = take_zeroed<float>(scope, n);
    uint64_t* touched = take_zeroed<uint64_t>(scope, words);
    float* delta_by_node = can_pull ? take_zeroed<float>(scope, size_t{n} + 1) : nullptr;
    // Nothing below allocates: a std::bad_alloc has left `a` untouched.

    frontier_list* current = &lists[0];
    frontier_list* upcoming = &lists[1];
    initial_frontier(g, a, p.threshold, *current);
    for (uint32_t hop = 0; hop < p.steps && current->size != 0; ++hop) {
      upcoming->size = 0;
      upcoming->edges = 0;
      frontier_list* const built = hop + 1 < p.steps ? upcoming : nullptr;
      if (can_pull && spread_use_pull(current->size, current->edges, n, g.num_edges)) {
        for (uint32_t i = 0; i < current->size; ++i)
          delta_by_node[current->ids[i]] = current->deltas[i];
        pull(g, delta_by_node, p.hop_decay, next, touched);
        for (uint32_t i = 0; i < current->size; ++i) delta_by_node[current->ids[i]] = 0.0f;
        for (size_t w = 0; w < words; ++w)
          if (touched[w] != 0)
            apply_word(g, static_cast<uint32_t>(w), a, next, touched, p.threshold, built);
      } else {
        // Nodes are independent; only the frontier must come out in ascending id. A scan of
        // every word also sweeps `a` and `next` forward, where the list order would jump (faster
        // on the 16-cue query's last hop, docs/kernel-spread.md, "Frontier mode").
        if (current->edges * spread_word_scan_ratio >= words) {
          push<false>(g, *current, p.hop_decay, next, touched, touched_words);
          for (size_t w = 0; w < words; ++w)
            if (touched[w] != 0)
              apply_word(g, static_cast<uint32_t>(w), a, next, touched, p.threshold, built);
        } else {
          const uint32_t count = push<true>(g, *current, p.hop_decay, next, touched, touched_words);
          if (built != nullptr)
            std::sort(touched_words, touched_words + count,
                      [](uint32_t x, uint32_t y) { return x < y; });
          for (uint32_t i = 0; i < count; ++i)
            apply_word(g, touched_words[i], a, next, touched, p.threshold, built);
        }
      }
      frontier_list* const done = current;  // not std::swap: see the note on the class
      current = upcoming;
      upcoming = done;
    }
  }

  // ---- dense mode ------------------------------------------------------------------------------

  // y = x + decay * s over the sliced ELLPACK, s summed lane by lane in canonical order. Padding
  // gathers x[n] = +0 with weight 0: the product is +0 and the sum (never -0, see pull) keeps its
  // bits. Padding slots compute +0 + decay * +0 = +0 into y[n], which stays +0. Returns the lane
  // maxima's maximum, NaN never winning; padding's +0 can only lower a maximum that is not > 1,
  // so whether (and by what) the reference divides is unchanged.
  static float dense_sell(const graph& g, const float* x, float* y, float decay) {
    const sliced_ell& s = g.in_sell;
    const uint64_t* slice_offsets = s.slice_offsets.data();
    const int32_t* nodes = s.node.data();
    const int32_t* sources = s.source.data();
    const float* weights = s.weight.data();
    const size_t slices = s.slice_offsets.size() - 1;
    const fbatch vdecay(decay);
    fbatch vmax(-std::numeric_limits<float>::infinity());
    alignas(64) float updated[height];
    for (size_t slice = 0; slice < slices; ++slice) {
      const uint64_t end = slice_offsets[slice + 1];
      const int32_t* slot_nodes = nodes + slice * height;
      for (uint32_t b = 0; b < height; b += width) {
        fbatch acc(0.0f);
        for (uint64_t e = slice_offsets[slice] + b; e < end; e += height)
          acc = acc + fbatch::load_unaligned(weights + e) * gather(x, sources + e);
        const fbatch u = gather(x, slot_nodes + b) + vdecay * acc;
        vmax = xsimd::select(u > vmax, u, vmax);
        u.store_aligned(updated + b);
      }
      for (uint32_t lane = 0; lane < height; ++lane) y[slot_nodes[lane]] = updated[lane];
    }
    alignas(64) float lanes[width];
    vmax.store_aligned(lanes);
    float m = -std::numeric_limits<float>::infinity();
    for (const float l : lanes)
      if (l > m) m = l;
    return m;
  }

  // The same sums over the in-CSR, one node at a time: for graphs without the sliced layout.
  static float dense_csr(const graph& g, const float* x, float* y, float decay) {
    const uint64_t* offsets = g.in.offsets.data();
    const uint32_t* sources = g.in.index.data();
    const float* weights = g.in.weights.data();
    float m = -std::numeric_limits<float>::infinity();
    for (uint32_t v = 0; v < g.num_nodes; ++v) {
      float sum = 0.0f;
      for (uint64_t e = offsets[v]; e < offsets[v + 1]; ++e) sum = sum + weights[e] * x[sources[e]];
      y[v] = x[v] + decay * sum;
      if (y[v] > m) m = y[v];
    }
    return m;
  }

  // A true division, as the reference: a multiplication by 1 / m differs in the last place.
  static void divide(float* y, size_t n, float m) {
    const fbatch vm(m);
    size_t v = 0;
    for (; n - v >= width; v += width) (fbatch::load_unaligned(y + v) / vm).store_unaligned(y + v);
    for (; v < n; ++v) y[v] = y[v] / m;
  }

  static void dense(const graph& g, float* a, const engram_spread_params& p) {
    const uint32_t n = g.num_nodes;
    arena_scope scope;
    // One extra element, index n, that stays +0: the padding entries of the layout gather it.
    float* x = take<float>(scope, size_t{n} + 1);
    float* y = take<float>(scope, size_t{n} + 1);
    std::memcpy(x, a, sizeof(float) * n);
    x[n] = 0.0f;
    y[n] = 0.0f;
    const bool sell = !g.in_sell.node.empty();
    for (uint32_t it = 0; it < p.steps; ++it) {
      const float m = sell ? dense_sell(g, x, y, p.hop_decay) : dense_csr(g, x, y, p.hop_decay);
      if (m > 1.0f) divide(y, n, m);
      float* const previous = x;
      x = y;
      y = previous;
    }
    std::memcpy(a, x, sizeof(float) * n);
  }
};

/// The kernel table's entry point: see kernels/spread.hpp and ek::ref::spread.
template <class Arch, gather_policy Gather>
void spread(const graph& g, float* activations, const engram_spread_params& params) {
  if (g.num_nodes == 0 || params.steps == 0) return;
  if (params.mode == ENGRAM_SPREAD_DENSE)
    spread_kernel<Arch, Gather>::dense(g, activations, params);
  else
    spread_kernel<Arch, Gather>::frontier(g, activations, params);
}

}  // namespace ek::kern
