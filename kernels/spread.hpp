// spread.hpp — the numerics and tuning of the optimized spreading activation: its outputs equal
// ek::ref::spread's bit for bit in both modes, and these constants drive its push/pull switch.
// Design, proofs of the order and measurements: docs/kernel-spread.md.
#pragma once

#include <cstdint>

namespace ek::kern {

/// How a pull loop (dense mode, and frontier hops that pull) reads x[source] for a vector of
/// sources: `hardware`, one vpgatherdd (AVX2 and AVX-512 tables; the other ISAs have no gather
/// instruction and always use lanes), or `lanes`, one scalar load per lane. Both give the same
/// bits; which is faster depends on the core and on where x lives (docs/dispatch.md, "Gather
/// policy"). A kernel table holds one spreading kernel per policy, indexed by this value.
enum class gather_policy : uint8_t { hardware = 0, lanes = 1 };
inline constexpr uint8_t gather_policy_count = 2;

/// The process's rule for picking a policy per call: always one, or by the graph's size.
enum class gather_rule : uint8_t { hardware, lanes, by_size };
inline constexpr gather_rule all_gather_rules[] = {gather_rule::hardware, gather_rule::lanes,
                                                   gather_rule::by_size};

/// `by_size` takes lanes up to this many nodes (x up to 256 KiB) and hardware above. Measured on
/// the AMD Zen 5 (docs/kernel-spread.md, "Gathers"): with x in L1/L2, lanes run the dense pull
/// 2.3x faster than vpgatherdd (n 1000); the two tie at n 64 000; with x in L3/DRAM the gather
/// instruction is faster (n 10^6: 1.17 against 1.47 ns/edge).
inline constexpr uint32_t gather_lanes_max_nodes = 65536;

constexpr gather_policy gather_for(gather_rule rule, uint32_t num_nodes) {
  if (rule == gather_rule::by_size)
    return num_nodes <= gather_lanes_max_nodes ? gather_policy::lanes : gather_policy::hardware;
  return rule == gather_rule::hardware ? gather_policy::hardware : gather_policy::lanes;
}

/// "hardware", "lanes", "by-size": the names of ENGRAM_KERN_GATHER, --gather, info and the ABI.
constexpr const char* gather_rule_name(gather_rule r) {
  return r == gather_rule::hardware ? "hardware" : r == gather_rule::lanes ? "lanes" : "by-size";
}
constexpr const char* gather_policy_name(gather_policy p) {
  return p == gather_policy::hardware ? "hardware" : "lanes";
}

/// Allowed difference from the reference, in ULP: none. Every node sums its contributions in the
/// canonical order (f32, from +0, ascending source, CSR order for equal sources), the clamp, the
/// frontier test, the NaN-ignoring maximum and the division are the reference's scalar rules, and
/// ±Inf / NaN from extreme weights come out with the same bits (outputs are compared with memcmp).
inline constexpr uint32_t spread_max_ulp = 0;

/// Direction optimization (Beamer's GAP benchmark; Ligra's dense/sparse switch): a hop pushes
/// along the frontier's out-edges, costing about |F| + m_F (m_F = out-edges of the frontier,
/// random read-modify-writes), or pulls over every in-edge, costing about N + E (streamed, and
/// vectorized across target nodes). It pulls when (|F| + m_F) * alpha > N + E. Ligra uses 20 and
/// GAP 15 for BFS, whose pull stops early at a node's first frontier parent; ours cannot stop
/// early (every contribution is summed), so the pull costs the full N + E and alpha is smaller,
/// measured on this project's benchmark graphs (docs/kernel-spread.md): a push costs ~6 ns per
/// frontier edge, a pull ~2 ns per graph edge, so the two cross near alpha = 3.
inline constexpr uint64_t spread_pull_alpha = 3;

/// True when a hop with this frontier should pull (the graph must also have its sliced layout).
constexpr bool spread_use_pull(uint64_t frontier_nodes, uint64_t frontier_edges, uint64_t num_nodes,
                               uint64_t num_edges) {
  return (frontier_nodes + frontier_edges) * spread_pull_alpha > num_nodes + num_edges;
}

/// A push hop visits its touched nodes in ascending id by sorting the list of touched 64-node
/// bitmap words, unless its frontier has at least 1/ratio as many out-edges as there are words:
/// it then scans every word instead, which is still O(frontier edges) (at most ratio words per
/// edge) and spares the push the listing (kernels/spread_impl.hpp).
inline constexpr uint64_t spread_word_scan_ratio = 32;

}  // namespace ek::kern
