// shrink.hpp — reduces a failing case while it still fails: fewer queries and candidates, shorter
// vectors, fewer memories, fewer nodes and edges, fewer steps, a smaller k, simpler values (0, 1,
// −1), simpler params.
#pragma once

#include <cstddef>
#include <functional>

#include "src/verify/cases.hpp"

namespace ek::verify {

/// Greedy reduction to a fixpoint: each edit is kept when `still_fails` holds for the result.
/// Sequences (candidates, vector elements, memories, nodes, edges) lose chunks of halving size,
/// then single elements; values are then tried as 0, 1 and −1. Stops after `max_attempts` calls
/// of still_fails, so the result is the smallest case found, not necessarily a minimum.
test_case shrink(const test_case& failing, const std::function<bool(const test_case&)>& still_fails,
                 size_t max_attempts = 3000);

}  // namespace ek::verify
