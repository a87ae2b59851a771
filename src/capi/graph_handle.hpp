// graph_handle.hpp — the definition of the opaque engram_graph handle, private to the C ABI:
// it owns one validated ek::graph (out-CSR and transposed in-CSR).
#pragma once

#include "engram_kern.h"
#include "reference/graph.hpp"

struct engram_graph {
  ek::graph g;
};
