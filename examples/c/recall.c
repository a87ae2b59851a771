/* recall.c — a small C client of the engram-kern C ABI: the active ISA and the controls, then
 * the kernels on tiny inputs whose results can be checked by hand, a recall picking its best
 * memories with the fused top-k among them, and the same recall over memories stored compactly
 * (bfloat16, int8). Exits non-zero on any unexpected status or value. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <engram_kern.h>

static int failures = 0;

static void expect_status(const char* what, engram_status got, engram_status want) {
  if (got != want) {
    printf("FAIL %s: %s (expected %s)\n", what, engram_status_string(got),
           engram_status_string(want));
    ++failures;
  }
}

static void expect_near(const char* what, float got, float want) {
  printf("%-40s %.7f (expected %.7f)\n", what, got, want);
  if (fabsf(got - want) > 1e-6f) ++failures;
}

/* Compact candidates: memories stored as bfloat16 (half the bytes of floats) or int8 (a quarter)
 * are what a recall streams from memory, so it reads fewer bytes. Each stored value is rounded,
 * so the scores move a little and near-equal memories may swap ranks; the overlap of the top
 * results shows how much. */
enum { NUM_MEMORIES = 500, DIM = 64, TOP = 10, PLANTED = 42 };
static float embeddings[NUM_MEMORIES * DIM];
static uint16_t embeddings_bf16[NUM_MEMORIES * DIM];
static int8_t embeddings_i8[NUM_MEMORIES * DIM];

/* A seeded generator, uniform in [-1, 1): every run recalls the same memories. */
static uint32_t lcg_state = 2026;
static float next_uniform(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return (float)(lcg_state >> 8) / 8388608.0f - 1.0f;
}

/* How many of a's n indices are among b's n. */
static int shared(const uint32_t* a, const uint32_t* b, int n) {
  int count = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) count += a[i] == b[j];
  return count;
}

static void compact_recall(void) {
  for (int i = 0; i < NUM_MEMORIES * DIM; ++i) embeddings[i] = next_uniform();
  /* The cue is a noisy copy of one memory, which every form must recall first. */
  float cue[DIM];
  for (int i = 0; i < DIM; ++i) cue[i] = embeddings[PLANTED * DIM + i] + 0.3f * next_uniform();

  expect_status("engram_convert_f32_to_bf16",
                engram_convert_f32_to_bf16(embeddings, embeddings_bf16, NUM_MEMORIES * DIM),
                ENGRAM_OK);
  /* The per-row scales are not needed for a cosine (a positive factor does not change it). */
  expect_status("engram_quantize_i8",
                engram_quantize_i8(embeddings, DIM, NUM_MEMORIES, embeddings_i8, NULL), ENGRAM_OK);

  uint32_t best[3][TOP];
  float score[3][TOP];
  expect_status("engram_vector_topk (f32)",
                engram_vector_topk(cue, 1, embeddings, NUM_MEMORIES, DIM, TOP, best[0], score[0]),
                ENGRAM_OK);
  expect_status(
      "engram_vector_topk_bf16",
      engram_vector_topk_bf16(cue, 1, embeddings_bf16, NUM_MEMORIES, DIM, TOP, best[1], score[1]),
      ENGRAM_OK);
  expect_status(
      "engram_vector_topk_i8",
      engram_vector_topk_i8(cue, 1, embeddings_i8, NUM_MEMORIES, DIM, TOP, best[2], score[2]),
      ENGRAM_OK);
  const char* names[3] = {"f32", "bf16", "int8"};
  const size_t bytes[3] = {sizeof(float), sizeof(uint16_t), sizeof(int8_t)};
  printf("compact recall, %d memories of %d values, top %d:\n", NUM_MEMORIES, DIM, TOP);
  for (int t = 0; t < 3; ++t) {
    printf(
        "  %-4s %4zu bytes per memory: first memory %u (score %.4f), %d of the top %d shared "
        "with f32\n",
        names[t], DIM * bytes[t], (unsigned)best[t][0], score[t][0], shared(best[t], best[0], TOP),
        TOP);
    if (best[t][0] != PLANTED) {
      printf("FAIL %s: memory %d should come first\n", names[t], PLANTED);
      ++failures;
    }
  }

  /* int8 has no NaN or Inf: such an element is refused, and nothing is written. */
  const float bad_row[4] = {1.0f, 2.0f, NAN, 4.0f};
  int8_t untouched[4] = {9, 9, 9, 9};
  expect_status("quantize a NaN", engram_quantize_i8(bad_row, 4, 1, untouched, NULL),
                ENGRAM_ERR_INVALID_INPUT);
  if (untouched[0] != 9 || untouched[3] != 9) {
    printf("FAIL quantize a NaN: the output was written\n");
    ++failures;
  }
}

int main(void) {
  const char* names[8];
  size_t count = 0;
  expect_status("engram_runnable_isas", engram_runnable_isas(names, 8, &count), ENGRAM_OK);
  printf("engram-kern %s, active ISA %s; runnable:", engram_version_string(), engram_active_isa());
  for (size_t i = 0; i < count && i < 8; ++i) printf(" %s", names[i]);
  printf("\n");

  /* Cosine of (1, 0) with (1, 1) and with (0, 0). */
  const float query[2] = {1.0f, 0.0f};
  const float candidates[4] = {1.0f, 1.0f, 0.0f, 0.0f};
  float scores[2];
  expect_status("engram_vector_similarity",
                engram_vector_similarity(query, candidates, scores, 2, 2), ENGRAM_OK);
  expect_near("cosine((1,0), (1,1))", scores[0], 0.70710677f);
  expect_near("cosine((1,0), (0,0))", scores[1], 0.0f);

  /* A recall from two cues, (1,0) and (0,1), over five memories: the two best memories of each,
   * best first, without a score array. Memories 0 and 4 point the same way (both score exactly 1
   * for cue 0): the tie goes to the lower index. */
  const float cues[4] = {1.0f, 0.0f, 0.0f, 1.0f};
  const float memories[10] = {1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f, -1.0f, 0.0f, 2.0f, 0.0f};
  uint32_t best[4];
  float best_score[4];
  expect_status("engram_vector_topk",
                engram_vector_topk(cues, 2, memories, 5, 2, 2, best, best_score), ENGRAM_OK);
  const uint32_t want_best[4] = {0, 4, 1, 2};
  const float want_score[4] = {1.0f, 1.0f, 1.0f, 0.70710677f};
  for (int r = 0; r < 4; ++r) {
    char what[64];
    snprintf(what, sizeof what, "cue %d, rank %d: memory %u", r / 2, r % 2, (unsigned)best[r]);
    expect_near(what, best_score[r], want_score[r]);
    if (best[r] != want_best[r]) {
      printf("FAIL %s (expected memory %u)\n", what, (unsigned)want_best[r]);
      ++failures;
    }
  }
  /* The top-k's scores are the batch call's, bit for bit, for the same pairs. */
  float all_scores[10];
  expect_status("engram_vector_similarity_batch",
                engram_vector_similarity_batch(cues, 2, memories, 5, 2, all_scores), ENGRAM_OK);
  for (int r = 0; r < 4; ++r) {
    if (best[r] >= 5 ||
        memcmp(&all_scores[(r / 2) * 5 + best[r]], &best_score[r], sizeof(float)) != 0) {
      printf("FAIL cue %d, rank %d: top-k score is not the batch score\n", r / 2, r % 2);
      ++failures;
    }
  }
  /* Asking for more memories than there are: the slots past them are padding. */
  expect_status("engram_vector_topk, k > memories",
                engram_vector_topk(cues, 1, memories, 1, 2, 2, best, best_score), ENGRAM_OK);
  if (best[0] != 0 || best[1] != UINT32_MAX || best_score[1] != -INFINITY) {
    printf("FAIL padding: memory %u, score %g (expected UINT32_MAX, -inf)\n", (unsigned)best[1],
           best_score[1]);
    ++failures;
  }

  compact_recall();

  /* Decay with the defaults (exponential, tau = 1 day): one tau leaves exp(-1). */
  float strengths[2] = {1.0f, 0.5f};
  const uint64_t ages[2] = {86400, 0};
  expect_status("engram_apply_decay", engram_apply_decay(strengths, ages, 2, NULL), ENGRAM_OK);
  expect_near("decay at age tau", strengths[0], 0.36787945f);
  expect_near("decay at age 0", strengths[1], 0.5f);

  /* Spreading: 0 -> 1 (0.5), 0 -> 2 (0.3); one hop, no decay, threshold 0. */
  const uint64_t offsets[4] = {0, 2, 2, 2};
  const uint32_t targets[2] = {1, 2};
  const float weights[2] = {0.5f, 0.3f};
  engram_graph* graph = NULL;
  expect_status("engram_graph_create", engram_graph_create(3, offsets, targets, weights, 2, &graph),
                ENGRAM_OK);
  engram_spread_params params = engram_spread_params_default();
  params.steps = 1;
  params.hop_decay = 1.0f;
  params.threshold = 0.0f;
  float activations[3] = {1.0f, 0.0f, 0.0f};
  expect_status("engram_spread_activation", engram_spread_activation(graph, activations, &params),
                ENGRAM_OK);
  expect_near("activation of node 1", activations[1], 0.5f);
  expect_near("activation of node 2", activations[2], 0.3f);
  engram_graph_destroy(graph);

  /* Errors come back as statuses and leave outputs alone. */
  const uint64_t bad_offsets[4] = {0, 2, 1, 2};
  expect_status("non-monotone row offsets",
                engram_graph_create(3, bad_offsets, targets, weights, 2, &graph),
                ENGRAM_ERR_INVALID_GRAPH);
  expect_status("NULL query", engram_vector_similarity(NULL, candidates, scores, 2, 2),
                ENGRAM_ERR_NULL_POINTER);
  expect_status("unknown ISA", engram_set_isa("avx512x"), ENGRAM_ERR_UNKNOWN_ISA);

  /* The rollback switch, and back. */
  expect_status("engram_set_isa(reference)", engram_set_isa("reference"), ENGRAM_OK);
  printf("after engram_set_isa(\"reference\"): %s\n", engram_active_isa());
  if (strcmp(engram_active_isa(), "reference") != 0) ++failures;
  expect_status("engram_set_isa(NULL)", engram_set_isa(NULL), ENGRAM_OK);
  printf("after engram_set_isa(NULL): %s\n", engram_active_isa());

  if (failures != 0) {
    printf("%d checks FAILED\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
