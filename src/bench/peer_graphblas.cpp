// peer_graphblas.cpp — spreading with SuiteSparse:GraphBLAS on one thread: dense mode as
// GrB_mxv over the transposed adjacency, frontier mode as GrB_vxm of the sparse frontier. The
// adjacency is built once per workload (outside the timed call); multi-edges are summed into one
// entry, and GraphBLAS picks its own summation order, so bit-identity is not expected.
extern "C" {  // GraphBLAS.h is a C header without C++ linkage guards
#include <GraphBLAS.h>
}

#include <memory>
#include <numeric>
#include <stdexcept>

#include "src/bench/peers.hpp"

namespace ek::bench {

std::string graphblas_version() {
  return std::to_string(GxB_IMPLEMENTATION_MAJOR) + "." + std::to_string(GxB_IMPLEMENTATION_MINOR) +
         "." + std::to_string(GxB_IMPLEMENTATION_SUB);
}

namespace {

void ok(GrB_Info info, const char* what) {
  if (info != GrB_SUCCESS && info != GrB_NO_VALUE)
    throw std::runtime_error(std::string("GraphBLAS ") + what + " failed: " + std::to_string(info));
}

struct graphblas_state {
  GrB_Matrix a = nullptr;  // a(u, v) = weight of u -> v
  GrB_Vector act = nullptr, delta = nullptr, next = nullptr, tmp = nullptr;
  std::vector<GrB_Index> all;  // 0 .. N-1
  ~graphblas_state() {
    GrB_Matrix_free(&a);
    for (GrB_Vector* v : {&act, &delta, &next, &tmp}) GrB_Vector_free(v);
  }
};

void init_once() {
  static const bool done = [] {
    ok(GrB_init(GrB_NONBLOCKING), "init");
    ok(GxB_Global_Option_set_INT32(GxB_GLOBAL_NTHREADS, 1), "set threads");
    return true;
  }();
  (void)done;
}

void dense(graphblas_state& s, const engram_spread_params& p) {
  for (uint32_t it = 0; it < p.steps; ++it) {
    ok(GrB_mxv(s.next, nullptr, nullptr, GrB_PLUS_TIMES_SEMIRING_FP32, s.a, s.act, GrB_DESC_RT0),
       "mxv");
    ok(GrB_Vector_apply_BinaryOp2nd_FP32(s.next, nullptr, nullptr, GrB_TIMES_FP32, s.next,
                                         p.hop_decay, nullptr),
       "scale");
    ok(GrB_Vector_eWiseAdd_BinaryOp(s.act, nullptr, nullptr, GrB_PLUS_FP32, s.act, s.next, nullptr),
       "add");
    float m = 0;
    ok(GrB_Vector_reduce_FP32(&m, nullptr, GrB_MAX_MONOID_FP32, s.act, nullptr), "max");
    if (m > 1)
      ok(GrB_Vector_apply_BinaryOp2nd_FP32(s.act, nullptr, nullptr, GrB_DIV_FP32, s.act, m,
                                           nullptr),
         "normalize");
  }
}

void frontier(graphblas_state& s, const engram_spread_params& p) {
  ok(GrB_Vector_select_FP32(s.delta, nullptr, nullptr, GrB_VALUEGT_FP32, s.act, p.threshold,
                            GrB_DESC_R),
     "select");
  for (uint32_t hop = 0; hop < p.steps; ++hop) {
    GrB_Index nnz = 0;
    ok(GrB_Vector_nvals(&nnz, s.delta), "nvals");
    if (nnz == 0) break;
    ok(GrB_vxm(s.next, nullptr, nullptr, GrB_PLUS_TIMES_SEMIRING_FP32, s.delta, s.a, GrB_DESC_R),
       "vxm");
    ok(GrB_Vector_apply_BinaryOp2nd_FP32(s.next, nullptr, nullptr, GrB_TIMES_FP32, s.next,
                                         p.hop_decay, nullptr),
       "scale");
    // a = clamp(a + next, 0, 1) on the nodes that received a contribution.
    ok(GrB_Vector_eWiseMult_BinaryOp(s.tmp, nullptr, nullptr, GrB_PLUS_FP32, s.act, s.next,
                                     GrB_DESC_R),
       "add");
    ok(GrB_Vector_apply_BinaryOp2nd_FP32(s.tmp, nullptr, nullptr, GrB_MIN_FP32, s.tmp, 1.0f,
                                         nullptr),
       "min");
    ok(GrB_Vector_apply_BinaryOp2nd_FP32(s.tmp, nullptr, nullptr, GrB_MAX_FP32, s.tmp, 0.0f,
                                         nullptr),
       "max");
    ok(GrB_Vector_assign(s.act, s.tmp, nullptr, s.tmp, GrB_ALL, 0, GrB_DESC_S), "assign");
    ok(GrB_Vector_select_FP32(s.delta, nullptr, nullptr, GrB_VALUEGT_FP32, s.next, p.threshold,
                              GrB_DESC_R),
       "select");
  }
}

}  // namespace

variant_calls graphblas_spread(const prepared_workload& w) {
  init_once();
  auto s = std::make_shared<graphblas_state>();
  const harness::graph_workload& g = std::get<spread_inputs>(w.inputs).data;
  const GrB_Index n = g.nodes;
  std::vector<GrB_Index> rows(g.targets.size()), cols(g.targets.begin(), g.targets.end());
  for (GrB_Index u = 0; u < n; ++u)
    for (uint64_t e = g.row_offsets[u]; e < g.row_offsets[u + 1]; ++e) rows[e] = u;
  ok(GrB_Matrix_new(&s->a, GrB_FP32, n, n), "matrix");
  ok(GrB_Matrix_build_FP32(s->a, rows.data(), cols.data(), g.weights.data(), g.targets.size(),
                           GrB_PLUS_FP32),
     "build");
  for (GrB_Vector* v : {&s->act, &s->delta, &s->next, &s->tmp})
    ok(GrB_Vector_new(v, GrB_FP32, n), "vector");
  s->all.resize(n);
  std::iota(s->all.begin(), s->all.end(), GrB_Index{0});
  // GraphBLAS spreads in place in its own vector: the restore rebuilds that vector from the
  // pristine activations (untimed, like our kernels' restore); the call spreads and exports the
  // result to `out`, the conversion a caller holding plain float arrays pays.
  auto restore = [&g, s](float*) {
    ok(GrB_Vector_clear(s->act), "clear");
    ok(GrB_Vector_build_FP32(s->act, s->all.data(), g.activations.data(), g.nodes, GrB_PLUS_FP32),
       "activations");
    // Non-blocking mode may defer work: finish it here, outside the clock.
    ok(GrB_Vector_wait(s->act, GrB_MATERIALIZE), "wait");
  };
  return {restore, [&g, s](float* out) {
            if (g.params.mode == ENGRAM_SPREAD_DENSE)
              dense(*s, g.params);
            else
              frontier(*s, g.params);
            GrB_Index count = g.nodes;
            // extractTuples writes the entries in index order and act stays full, so out is in
            // place; it also rewrites the index list with identical values.
            ok(GrB_Vector_extractTuples_FP32(s->all.data(), out, &count, s->act), "extract");
          }};
}

}  // namespace ek::bench
