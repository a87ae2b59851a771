/* engram_kern.h — the C ABI of engram-kern, the only public header (C99).
 * Every entry point validates its arguments and returns an engram_status; on any error no output
 * byte has been written. Kernel semantics and numerics: docs/kernels.md. */
#ifndef ENGRAM_KERN_H
#define ENGRAM_KERN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(ENGRAM_KERN_SHARED)
#if defined(ENGRAM_KERN_BUILDING)
#define ENGRAM_API __declspec(dllexport)
#else
#define ENGRAM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define ENGRAM_API __attribute__((visibility("default")))
#else
#define ENGRAM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define ENGRAM_KERN_VERSION_MAJOR 0
#define ENGRAM_KERN_VERSION_MINOR 1
#define ENGRAM_KERN_VERSION_PATCH 0

/** Status of every call. 0 is success; each failure has its own code (engram_status_string). */
typedef int32_t engram_status;
enum {
  ENGRAM_OK = 0,
  ENGRAM_ERR_NULL_POINTER = 1,    /**< a required pointer is NULL (with a non-zero size) */
  ENGRAM_ERR_SIZE_OVERFLOW = 2,   /**< a size product overflows size_t, or exceeds a limit */
  ENGRAM_ERR_OVERLAP = 3,         /**< an output buffer overlaps an input buffer */
  ENGRAM_ERR_INVALID_PARAM = 4,   /**< a parameter is out of its documented range */
  ENGRAM_ERR_INVALID_GRAPH = 5,   /**< CSR arrays break a rule of engram_graph_create */
  ENGRAM_ERR_INVALID_INPUT = 6,   /**< input data out of range (e.g. activation not in [0, 1]) */
  ENGRAM_ERR_UNKNOWN_ISA = 7,     /**< the ISA name is not one this library knows */
  ENGRAM_ERR_UNSUPPORTED_ISA = 8, /**< the ISA is known but this build or CPU cannot run it */
  ENGRAM_ERR_OUT_OF_MEMORY = 9    /**< an allocation failed */
};

/** A static, human-readable name for a status ("ok", "null pointer", ...). Never NULL. */
ENGRAM_API const char* engram_status_string(engram_status status);

/** Library version: (major << 16) | (minor << 8) | patch, and as "MAJOR.MINOR.PATCH". */
ENGRAM_API uint32_t engram_version(void);
ENGRAM_API const char* engram_version_string(void);

/* ---------------------------------------------------------------------------------------------
 * Batch cosine similarity.
 * candidates is row-major [num_candidates][query_len], no padding, no alignment required.
 * scores[j] = clamp(dot(q, c_j) / (|q| |c_j|), -1, 1); a zero, empty or non-finite vector scores 0.
 * scores must not overlap query or candidates. */
ENGRAM_API engram_status engram_vector_similarity(const float* query, const float* candidates,
                                                  float* scores, size_t query_len,
                                                  size_t num_candidates);

/* Many queries against the same candidates: queries is row-major [num_queries][dim], candidates
 * [num_candidates][dim], scores [num_queries][num_candidates]. scores[i][j] =
 * similarity(queries[i], candidates[j]) under the contract of engram_vector_similarity (same
 * special values, same error bound against the reference). A pointer may be NULL only where its
 * buffer has no bytes; scores must not overlap queries or candidates. */
ENGRAM_API engram_status engram_vector_similarity_batch(const float* queries, size_t num_queries,
                                                        const float* candidates,
                                                        size_t num_candidates, size_t dim,
                                                        float* scores);

/* For each query the k candidates with the highest score, best first, ties to the lower candidate
 * index; out_index and out_score are [num_queries][k]. Scores are bit-identical to
 * engram_vector_similarity_batch's for the same pairs, and the selection is exact on them. Slots
 * past num_candidates hold index UINT32_MAX and score -INFINITY. num_candidates <= UINT32_MAX
 * (else ENGRAM_ERR_SIZE_OVERFLOW). k = 0 or num_queries = 0 is valid and writes nothing; k may
 * exceed num_candidates. Neither output may overlap an input or the other output. */
ENGRAM_API engram_status engram_vector_topk(const float* queries, size_t num_queries,
                                            const float* candidates, size_t num_candidates,
                                            size_t dim, size_t k, uint32_t* out_index,
                                            float* out_score);

/* ---------------------------------------------------------------------------------------------
 * Compact candidates: bfloat16 and int8, half and a quarter of the bytes of float rows
 * (docs/kernel-lowp.md). A bfloat16 is the upper 16 bits of an IEEE-754 binary32, stored as a
 * uint16_t. The similarity and top-k calls below obey the contract of their float forms on the
 * candidates' exactly widened values: same special values (a bfloat16 row holding a NaN or ±Inf
 * scores 0), same error bound against the reference on those values, same validation. Queries
 * stay float. */

/** out[i] = in[i] rounded to bfloat16, to nearest with ties to even (a value past the largest
 *  bfloat16 becomes ±Inf); a NaN becomes a quiet NaN with its sign, ±Inf and ±0 are kept. out
 *  must not overlap in. */
ENGRAM_API engram_status engram_convert_f32_to_bf16(const float* in, uint16_t* out, size_t count);

/** Symmetric per-row int8 quantization of rows [num_rows][dim] into out [num_rows][dim]: per row
 *  scale = max|x| / 127 and out = x / scale (both in float) rounded to nearest, ties to even,
 *  within [-127, 127]; a row of zeros (or one whose scale underflows to 0) gives zeros and scale
 *  0. row_scales (num_rows floats) may be NULL: a positive scale does not change a cosine. A NaN
 *  or ±Inf element gives ENGRAM_ERR_INVALID_INPUT and nothing is written. No output may overlap
 *  rows or the other output. */
ENGRAM_API engram_status engram_quantize_i8(const float* rows, size_t dim, size_t num_rows,
                                            int8_t* out, float* row_scales);

/** engram_vector_similarity on bfloat16 / int8 candidates [num_candidates][dim]. */
ENGRAM_API engram_status engram_vector_similarity_bf16(const float* query,
                                                       const uint16_t* candidates, float* scores,
                                                       size_t dim, size_t num_candidates);
ENGRAM_API engram_status engram_vector_similarity_i8(const float* query, const int8_t* candidates,
                                                     float* scores, size_t dim,
                                                     size_t num_candidates);

/** engram_vector_topk on bfloat16 / int8 candidates: scores bit-identical to the similarity call
 *  of the same type for the same pairs, the selection exact on them. */
ENGRAM_API engram_status engram_vector_topk_bf16(const float* queries, size_t num_queries,
                                                 const uint16_t* candidates, size_t num_candidates,
                                                 size_t dim, size_t k, uint32_t* out_index,
                                                 float* out_score);
ENGRAM_API engram_status engram_vector_topk_i8(const float* queries, size_t num_queries,
                                               const int8_t* candidates, size_t num_candidates,
                                               size_t dim, size_t k, uint32_t* out_index,
                                               float* out_score);

/* ---------------------------------------------------------------------------------------------
 * Memory decay, in place: strengths[i] *= R(ages_seconds[i]), then R is floored at params->floor.
 */
typedef enum engram_decay_family {
  ENGRAM_DECAY_EXPONENTIAL = 0, /**< R = exp(-t / tau) */
  ENGRAM_DECAY_POWER_LAW = 1,   /**< R = (1 + t / tau)^(-beta) */
  ENGRAM_DECAY_HYBRID = 2       /**< exponential up to switch_seconds, then a power law scaled to
                                     be continuous there: R = exp(-s/tau) ((1+t/tau)/(1+s/tau))^-beta */
} engram_decay_family;

typedef struct engram_decay_params {
  uint32_t struct_size;        /**< sizeof(engram_decay_params): lets the struct grow */
  uint32_t family;             /**< an engram_decay_family */
  double tau_seconds;          /**< 1/e time constant (not a half-life); finite, > 0 */
  double beta;                 /**< power-law exponent; finite, >= 0 */
  double switch_seconds;       /**< hybrid: age at which the power law takes over; finite, >= 0 */
  double floor;                /**< R = max(R, floor); in [0, 1] */
  const float* tau_per_memory; /**< NULL, or num_memories values (finite, > 0) replacing tau */
} engram_decay_params;

/** The defaults used for params == NULL: exponential, tau = 86400 s, beta 1, switch 86400 s,
 *  floor 0, no per-memory tau. */
ENGRAM_API engram_decay_params engram_decay_params_default(void);

ENGRAM_API engram_status engram_apply_decay(float* strengths, const uint64_t* ages_seconds,
                                            size_t num_memories, const engram_decay_params* params);

/* ---------------------------------------------------------------------------------------------
 * Spreading activation over a weighted directed graph in CSR form (out-edges). */
typedef struct engram_graph engram_graph;

/** Validates and copies a CSR graph: row_offsets has num_nodes + 1 entries, row_offsets[0] = 0,
 *  non-decreasing, row_offsets[num_nodes] = num_edges; targets[e] < num_nodes; weights finite.
 *  num_nodes <= UINT32_MAX. Self-loops, multi-edges, isolated nodes, negative weights are valid.
 *  On success *out owns a new graph (free it with engram_graph_destroy); on error *out is NULL. */
ENGRAM_API engram_status engram_graph_create(size_t num_nodes, const uint64_t* row_offsets,
                                             const uint32_t* targets, const float* weights,
                                             size_t num_edges, engram_graph** out);
ENGRAM_API void engram_graph_destroy(engram_graph* graph);
ENGRAM_API size_t engram_graph_num_nodes(const engram_graph* graph);
ENGRAM_API size_t engram_graph_num_edges(const engram_graph* graph);

typedef enum engram_spread_mode {
  ENGRAM_SPREAD_FRONTIER = 0, /**< query-time spreading from the nodes above threshold */
  ENGRAM_SPREAD_DENSE = 1     /**< whole-graph propagation with max-normalization */
} engram_spread_mode;

typedef struct engram_spread_params {
  uint32_t struct_size; /**< sizeof(engram_spread_params) */
  uint32_t mode;        /**< an engram_spread_mode */
  uint32_t steps;       /**< frontier: max_hops; dense: iterations */
  float hop_decay;      /**< in (0, 1] */
  float threshold;      /**< frontier only: finite, >= 0 */
} engram_spread_params;

/** Frontier mode, 3 hops, hop_decay 0.5, threshold 0.01. */
ENGRAM_API engram_spread_params engram_spread_params_default(void);

/** activations has engram_graph_num_nodes(graph) values, each finite and in [0, 1]; updated in
 *  place. params == NULL means engram_spread_params_default(). */
ENGRAM_API engram_status engram_spread_activation(const engram_graph* graph, float* activations,
                                                  const engram_spread_params* params);

/* ---------------------------------------------------------------------------------------------
 * ISA dispatch. Names: "reference", "sse4_2", "avx2", "avx512" (x86-64), "neon" (aarch64).
 * The best ISA that both the CPU and the OS support is chosen on first use, unless the
 * environment variable ENGRAM_KERN_ISA names another ("reference" is the rollback switch). */

/** Name of the ISA whose kernels run now. Never NULL. */
ENGRAM_API const char* engram_active_isa(void);

typedef enum engram_isa_source {
  ENGRAM_ISA_AUTO = 0,   /**< chosen by CPU detection */
  ENGRAM_ISA_ENV = 1,    /**< forced by ENGRAM_KERN_ISA */
  ENGRAM_ISA_API = 2,    /**< forced by engram_set_isa */
  ENGRAM_ISA_ENV_BAD = 3 /**< ENGRAM_KERN_ISA refused (unknown, or cannot run here): reference */
} engram_isa_source;
ENGRAM_API engram_isa_source engram_active_isa_source(void);

/** Writes up to capacity names of ISAs this build has and this CPU can run, best last, and the
 *  full count to *count. names may be NULL when capacity is 0. */
ENGRAM_API engram_status engram_runnable_isas(const char** names, size_t capacity, size_t* count);

/** Forces an ISA for the whole process (thread-safe). NULL or "auto" returns to detection. */
ENGRAM_API engram_status engram_set_isa(const char* name);

/* ---------------------------------------------------------------------------------------------
 * Gather policy of the spreading kernels' pull loops: how x[source] is read for a vector of
 * sources, "hardware" (one gather instruction) or "lanes" (one scalar load per lane). Results
 * are bit-identical under both; only speed differs, by core and by graph size. The rule:
 * "hardware", "lanes", or "by-size" (lanes up to 65 536 nodes, hardware above). Chosen on first
 * use from the CPU (docs/dispatch.md), unless the environment variable ENGRAM_KERN_GATHER names
 * a rule. Applies to the avx2 and avx512 kernels; the other ISAs have no gather instruction. */

/** The gather rule in use now: "hardware", "lanes" or "by-size". Never NULL. */
ENGRAM_API const char* engram_active_gather_policy(void);
/** How it was chosen; ENGRAM_ISA_ENV_BAD: ENGRAM_KERN_GATHER named no rule, the CPU's is used. */
ENGRAM_API engram_isa_source engram_active_gather_policy_source(void);
/** Forces "hardware", "lanes" or "by-size" for the whole process (thread-safe). NULL or "auto"
 *  returns to the CPU's rule; another name is ENGRAM_ERR_INVALID_PARAM. */
ENGRAM_API engram_status engram_set_gather_policy(const char* name);

/* ---------------------------------------------------------------------------------------------
 * Thread arena: per-thread scratch used by spreading, by the many-query similarity and top-k (an
 * aligned copy of the queries) and by engram_quantize_i8 (one float per row). Grows from the heap
 * on demand; released on thread exit or by engram_arena_release. Statistics are the calling
 * thread's, lock-free. */
typedef struct engram_arena_stats {
  uint32_t struct_size; /**< set to sizeof(engram_arena_stats) before the call */
  uint32_t reserved_padding;
  uint64_t bytes_reserved;   /**< bytes held now */
  uint64_t high_water_bytes; /**< most bytes ever in use at once */
  uint64_t growths;          /**< times the arena had to grow */
} engram_arena_stats;
ENGRAM_API engram_status engram_arena_get_stats(engram_arena_stats* stats);
ENGRAM_API void engram_arena_release(void);

#ifdef __cplusplus
}
#endif
#endif /* ENGRAM_KERN_H */
