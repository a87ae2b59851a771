// workloads_test.cpp — the catalogue (default set, spreading names that say their parameters),
// the restore/call split of in-place variants, and the recall workloads: every runnable table's
// recall verifies against the reference, a corrupted recall does not.
#include "src/bench/workloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "kernels/dispatch.hpp"
#include "src/bench/peers.hpp"

namespace ek::bench {
namespace {

const workload_spec& named(const std::string& name) {
  const auto found = select_workloads({name}, {});
  EXPECT_EQ(found.size(), 1u);
  return *found.front();
}

const harness::graph_options& graph_of(const workload_spec& w) {
  return std::get<harness::graph_options>(w.generator);
}

TEST(Workloads, DefaultSetHasTheSeedsThreeAndOneSmallRecall) {
  std::vector<std::string> names;
  for (const workload_spec* w : select_workloads({}, {})) names.push_back(w->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"cosine/d768/n1000", "decay/exponential/n10000",
                                      "spread/dense/n1000/deg16/it100", "recall/m1000/d768/k10"}));
  EXPECT_EQ(select_workloads({}, {kernel_id::recall}).size(), 1u);
  EXPECT_EQ(parse_kernel_id("recall"), kernel_id::recall);
  EXPECT_THROW(parse_kernel_id("cosines"), std::invalid_argument);
  EXPECT_THROW(select_workloads({"recall/m7/d1/k1"}, {}), std::invalid_argument);
}

// A spreading workload's name states its mode's parameters, so that two workloads that differ
// in cues or steps never share a name (the seed's dense workload keeps its short name).
TEST(Workloads, SpreadNamesStateTheirParameters) {
  auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  size_t frontier = 0, dense = 0;
  for (const workload_spec& w : all_workloads()) {
    if (w.kernel() != kernel_id::spread) continue;
    const harness::graph_options& g = graph_of(w);
    EXPECT_NE(w.name.find("/n" + std::to_string(g.nodes) + "/"), std::string::npos) << w.name;
    if (g.params.mode == ENGRAM_SPREAD_FRONTIER) {
      ++frontier;
      EXPECT_GT(g.cues, 0u) << w.name;
      EXPECT_TRUE(ends_with(
          w.name, "/cues" + std::to_string(g.cues) + "/hops" + std::to_string(g.params.steps)))
          << w.name;
    } else {
      ++dense;
      EXPECT_EQ(g.cues, g.nodes) << w.name << ": dense mode starts from every node";
      EXPECT_TRUE(ends_with(w.name, "/it" + std::to_string(g.params.steps))) << w.name;
    }
  }
  EXPECT_GT(frontier, 0u);
  EXPECT_GT(dense, 0u);
  // The performance table's million-node rows, opt-in only.
  const workload_spec& many = named("spread/frontier/uniform/n1000000/deg16/cues1000/hops3");
  EXPECT_EQ(graph_of(many).cues, 1000u);
  EXPECT_FALSE(many.in_default_set);
  const workload_spec& once = named("spread/dense/uniform/n1000000/deg16/it1");
  EXPECT_EQ(graph_of(once).params.steps, 1u);
  EXPECT_FALSE(once.in_default_set);
}

TEST(Workloads, FrontierWorkloadsSeedTheirCues) {
  const auto w = prepare(named("spread/frontier/uniform/n1000/deg16/cues16/hops3"), workload_seed);
  const std::vector<float>& a = std::get<spread_inputs>(w->inputs).data.activations;
  EXPECT_EQ(std::count_if(a.begin(), a.end(), [](float x) { return x != 0.0f; }), 16);
}

// In-place kernels: the restore alone puts the input back, the call alone runs the kernel on
// what it finds (so it can be timed without the copy), and cosine needs no restore.
TEST(Workloads, InPlaceVariantsSplitTheRestoreFromTheCall) {
  for (const std::string name :
       {"decay/exponential/n1000", "spread/dense/uniform/n1000/deg16/it10"}) {
    const auto w = prepare(named(name), workload_seed);
    const variant_calls v = table_variant(*w, *kern::runnable_table("reference"));
    ASSERT_TRUE(v.restore) << name;
    const std::vector<float>& input = w->spec->kernel() == kernel_id::decay
                                          ? std::get<decay_inputs>(w->inputs).data.strengths
                                          : std::get<spread_inputs>(w->inputs).data.activations;
    std::vector<float> out(w->output_size, -1.0f);
    v.restore(out.data());
    EXPECT_EQ(out, input) << name;
    v.call(out.data());
    const std::vector<float> once = out;
    EXPECT_NE(once, input) << name;
    v.restore(out.data());
    v.call(out.data());
    EXPECT_EQ(out, once) << name << ": restore + call repeats the same work";
    v.call(out.data());
    EXPECT_NE(out, once) << name << ": the call itself does not restore";
  }
  const auto c = prepare(named("cosine/d768/n16"), workload_seed);
  EXPECT_FALSE(table_variant(*c, *kern::runnable_table("reference")).restore);
}

// Bench times only outputs that keep verify's contract: the reference's own output passes, and
// one element moved by one step more than each kernel's budget does not.
TEST(Workloads, OutputCheckIsTheContractVerifyApplies) {
  for (const std::string name : {"cosine/d768/n16", "decay/exponential/n1000",
                                 "spread/frontier/uniform/n1000/deg16/cues16/hops3"}) {
    const auto w = prepare(named(name), workload_seed);
    std::vector<float> want(w->output_size);
    const variant_calls ref = table_variant(*w, *kern::runnable_table("reference"));
    if (ref.restore) ref.restore(want.data());
    ref.call(want.data());
    EXPECT_EQ(check_output(*w, want, want), "") << name;
    EXPECT_EQ(ref.check(want, want), "") << name;
    EXPECT_NE(ref.check(want, {}), "") << name << ": a short output";
    std::vector<float> got = want;
    const size_t i = got.size() / 2;
    if (w->spec->kernel() == kernel_id::cosine)
      got[i] += 1e-3f;  // far beyond cosine_error_bound(768) ≈ 2e-5
    else                // decay: 3 ULP > 2; spreading: any bit differs
      got[i] = std::nextafter(std::nextafter(std::nextafter(got[i], 2.0f), 2.0f), 2.0f);
    EXPECT_NE(check_output(*w, want, got), "") << name;
    EXPECT_NE(ref.check(want, got), "") << name;
  }
}

TEST(Workloads, EveryTableRecallVerifiesAndFillsTheFinalScores) {
  const auto w = prepare(named("recall/m1000/d768/k10"), workload_seed);
  const recall_inputs& in = std::get<recall_inputs>(w->inputs);
  EXPECT_EQ(w->output_size, 1000u);
  EXPECT_EQ(w->units, 1000.0);
  for (const auto& isa : kern::runnable_isas()) {
    const variant_calls v = table_variant(*w, *kern::runnable_table(isa));
    EXPECT_FALSE(v.restore) << "a recall reads its store and rewrites its own buffers";
    std::vector<float> out(w->output_size, -1.0f);
    v.call(out.data());
    EXPECT_EQ(v.check({}, out), "") << isa;
    if (isa == "reference") {
      EXPECT_EQ(out, in.reference.final_scores);
    }
    v.call(out.data());  // buffers reused: the same recall again
    EXPECT_EQ(v.check({}, out), "") << isa;
  }
  EXPECT_THROW(check_output(*w, {}, {}), std::logic_error) << "a recall has no output check";
}

TEST(Workloads, ACorruptedRecallFailsVerification) {
  const auto w = prepare(named("recall/m1000/d768/k10"), workload_seed);
  const recall_inputs& in = std::get<recall_inputs>(w->inputs);
  EXPECT_EQ(check_recall(in, in.reference), "");
  harness::recall_result bad = in.reference;
  // The best memory's score doubled: outside every bound a conforming table can reach.
  const uint32_t top = bad.ranking.front();
  bad.final_scores[top] = 2 * bad.final_scores[top] + 1;
  EXPECT_NE(check_recall(in, bad), "");
}

// The multi-query workloads: names state their sizes, one call's unit is a (query, candidate) pair
// and its flops are those docs/benchmarking.md counts.
TEST(Workloads, BatchAndTopkNamesStateTheirSizes) {
  const auto& t = std::get<topk_generator>(named("topk/d768/n100000/q16/k10").generator);
  EXPECT_EQ(t.dim, 768u);
  EXPECT_EQ(t.count, 100000u);
  EXPECT_EQ(t.queries, 16u);
  EXPECT_EQ(t.k, 10u);
  for (const std::string name : {"topk/d768/n100000/q1/k10", "topk/d768/n100000/q1/k100",
                                 "batch/d768/n100000/q16", "topk/d768/n100000/q16/k10"})
    EXPECT_FALSE(named(name).in_default_set) << name;
  const auto w = prepare(named("batch/d768/n1000/q64"), workload_seed);
  EXPECT_EQ(w->output_size, 64u * 1000u);
  EXPECT_EQ(w->units, 64.0 * 1000);
  EXPECT_EQ(w->flops, 2.0 * 768 * (64 * 1000 + 1000 + 64));
  EXPECT_EQ(per_unit_name(kernel_id::topk), "ns/candidate/query");
  EXPECT_EQ(rate_unit_name(kernel_id::batch), "GFLOP/s");
  // Query 0 and the candidates are cosine/d768/n1000's bytes: one-query rows time the same input.
  const auto c = prepare(named("cosine/d768/n1000"), workload_seed);
  const auto& cd = std::get<cosine_inputs>(c->inputs).data;
  const auto& bd = std::get<batch_inputs>(w->inputs).data;
  EXPECT_EQ(bd.candidates, cd.candidates);
  EXPECT_TRUE(std::equal(cd.query.begin(), cd.query.end(), bd.queries.begin()));
}

// Small batch and top-k workloads (k below, at and above the candidate count) built like the
// catalogue's.
std::unique_ptr<prepared_workload> small_multi(const workload_spec& spec) {
  return prepare(spec, workload_seed);
}
const workload_spec small_batch{"batch/d67/n300/q5", false, batch_generator{67, 300, 5}};
const workload_spec small_topks[] = {
    {"topk/d67/n300/q5/k7", false, topk_generator{{67, 300, 5}, 7}},
    {"topk/d67/n300/q3/k300", false, topk_generator{{67, 300, 3}, 300}},
    {"topk/d67/n40/q2/k45", false, topk_generator{{67, 40, 2}, 45}}};

std::vector<float> output_of(const variant_calls& v, const prepared_workload& w) {
  std::vector<float> out(w.output_size, -7.0f);
  v.call(out.data());
  return out;
}

// Every table's batch and top-k verify; a batch score beyond the bound, a top-k with two slots
// swapped, a candidate replaced or a score moved by one ULP (no longer bit-identical to that
// table's batch) do not.
TEST(Workloads, BatchAndTopkChecksAreTheirContracts) {
  const auto b = small_multi(small_batch);
  const std::vector<float> want_b =
      output_of(table_variant(*b, *kern::runnable_table("reference")), *b);
  for (const auto& isa : kern::runnable_isas()) {
    const variant_calls v = table_variant(*b, *kern::runnable_table(isa));
    std::vector<float> got = output_of(v, *b);
    EXPECT_EQ(v.check(want_b, got), "") << isa;
    got[got.size() - 3] += 1e-3f;  // the last query's row: far beyond cosine_error_bound(67)
    EXPECT_NE(v.check(want_b, got), "") << isa;
  }
  for (const workload_spec& spec : small_topks) {
    const auto w = small_multi(spec);
    const topk_inputs& in = std::get<topk_inputs>(w->inputs);
    const std::vector<float> want =
        output_of(table_variant(*w, *kern::runnable_table("reference")), *w);
    for (const auto& isa : kern::runnable_isas()) {
      const std::string what = spec.name + " " + isa;
      const variant_calls v = table_variant(*w, *kern::runnable_table(isa));
      const std::vector<float> got = output_of(v, *w);
      EXPECT_EQ(v.check(want, got), "") << what;
      EXPECT_EQ(check_output(*w, want, got), "") << what;
      const topk_output t = read_topk(in, got);
      auto damaged = [&](auto&& damage) {
        topk_output bad = t;
        damage(bad);
        std::vector<float> out = got;
        std::copy(bad.score.begin(), bad.score.end(), out.begin());
        write_topk_index(in, bad.index.data(), out.data());
        return out;
      };
      const auto swapped = damaged([](topk_output& o) {
        std::swap(o.score[0], o.score[1]);
        std::swap(o.index[0], o.index[1]);
      });
      EXPECT_NE(v.check(want, swapped), "") << what;
      EXPECT_NE(check_output(*w, want, swapped), "") << what;
      const auto replaced = damaged([&](topk_output& o) { o.index[1] = o.index[0]; });
      EXPECT_NE(v.check(want, replaced), "") << what;
      EXPECT_NE(check_output(*w, want, replaced), "") << what;
      const auto nudged =
          damaged([](topk_output& o) { o.score[0] = std::nextafter(o.score[0], 2.0f); });
      EXPECT_NE(v.check(want, nudged), "") << what << ": not bit-identical to its batch";
    }
  }
}

// The batch and top-k peers built into this binary keep the contract their rows are held to.
TEST(Workloads, MultiQueryPeersKeepTheCosineContract) {
  for (const kernel_id k : {kernel_id::batch, kernel_id::topk}) {
    const auto w = small_multi(k == kernel_id::batch ? small_batch : small_topks[0]);
    const std::vector<float> want =
        output_of(table_variant(*w, *kern::runnable_table("reference")), *w);
    for (const peer& p : peers_of(k)) {
      if (!p.make) continue;  // not built in: its row says "skipped", nothing to check
      const variant_calls v = p.make(*w);
      const std::vector<float> got = output_of(v, *w);
      EXPECT_EQ(v.check(want, got), "") << p.name << " " << to_string(k);
      EXPECT_EQ(output_of(v, *w), got) << p.name << ": its reused scratch changes nothing";
    }
  }
}

// ---- compact candidates and the conversions to them ------------------------------------------

// The catalogue's compact workloads: opt-in, named by their type, and at the DRAM size even the
// int8 candidates are at least 4x a 32 MiB L3.
TEST(Workloads, CompactWorkloadsNameTheirTypeAndSizes) {
  for (const std::string type : {"bf16", "i8"}) {
    for (const std::string n : {"1000", "200000"}) {
      for (const std::string& name :
           {"cosine_" + type + "/d768/n" + n, "topk_" + type + "/d768/n" + n + "/q1/k10"}) {
        const workload_spec& w = named(name);
        EXPECT_FALSE(w.in_default_set) << name;
        ASSERT_TRUE(stored_type(w)) << name;
        EXPECT_EQ(harness::to_string(*stored_type(w)), type) << name;
        EXPECT_EQ(rate_unit_name(w), "GB/s") << name;
      }
    }
  }
  EXPECT_FALSE(stored_type(named("cosine/d768/n1000")));
  EXPECT_EQ(rate_unit_name(named("topk/d768/n100000/q1/k10")), "GFLOP/s");
  const auto& far = std::get<cosine_generator>(named("cosine_i8/d768/n200000").generator);
  EXPECT_GE(far.count * far.dim, 4u * 32 * 1024 * 1024);
  for (const std::string name : {"convert_bf16/n768000", "convert_bf16/n153600000",
                                 "quantize_i8/d768/n1000", "quantize_i8/d768/n200000"})
    EXPECT_EQ(named(name).kernel(), kernel_id::convert) << name;
  EXPECT_EQ(per_unit_name(kernel_id::convert), "ns/element");
}

// Small compact workloads built like the catalogue's (one per type and kernel).
const workload_spec small_compact[] = {
    {"cosine_bf16/d67/n300", false, cosine_generator{67, 300, harness::element_type::bf16}},
    {"cosine_i8/d67/n300", false, cosine_generator{67, 300, harness::element_type::i8}},
    {"topk_bf16/d67/n300/q3/k7", false,
     topk_generator{{67, 300, 3}, 7, harness::element_type::bf16}},
    {"topk_i8/d67/n300/q3/k7", false, topk_generator{{67, 300, 3}, 7, harness::element_type::i8}}};

// Every table's compact similarity and top-k verify, and their f32 rows too (against the f32
// reference on the floats converted); a score moved beyond the bound, or (top-k) by one ULP from
// that table's similarity of the same type, does not.
TEST(Workloads, CompactChecksAreTheirContracts) {
  for (const workload_spec& spec : small_compact) {
    const auto w = prepare(spec, workload_seed);
    const std::vector<float> want =
        output_of(table_variant(*w, *kern::runnable_table("reference")), *w);
    for (const auto& isa : kern::runnable_isas()) {
      const std::string what = spec.name + " " + isa;
      const kernel_table& table = *kern::runnable_table(isa);
      const variant_calls v = table_variant(*w, table);
      std::vector<float> got = output_of(v, *w);
      EXPECT_EQ(v.check(want, got), "") << what;
      EXPECT_EQ(check_output(*w, want, got), "") << what;
      const variant_calls f32 = f32_variant(*w, table);
      ASSERT_TRUE(f32.call) << what;
      const std::vector<float> floats = output_of(f32, *w);
      EXPECT_EQ(f32.check(want, floats), "") << what << ": the f32 row";
      std::vector<float> bad = got;
      if (spec.kernel() == kernel_id::cosine) {
        bad[5] += 1e-3f;  // far beyond cosine_error_bound(67)
        EXPECT_NE(v.check(want, bad), "") << what;
        bad = floats;
        bad[5] += 1e-3f;
        EXPECT_NE(f32.check(want, bad), "") << what << ": the f32 row";
      } else {
        bad[0] = std::nextafter(bad[0], 2.0f);
        EXPECT_NE(v.check(want, bad), "") << what << ": not bit-identical to its similarity";
      }
    }
  }
  // A workload on floats has no f32 row.
  const auto c = prepare(named("cosine/d768/n16"), workload_seed);
  EXPECT_FALSE(f32_variant(*c, kern::active()).call);
}

// The conversions: every table gives the reference's bytes; one byte changed fails.
TEST(Workloads, ConversionsAreBitIdentical) {
  const workload_spec specs[] = {
      {"convert_bf16/n20033", false, convert_generator{harness::element_type::bf16, 67, 299}},
      {"quantize_i8/d67/n299", false, convert_generator{harness::element_type::i8, 67, 299}}};
  for (const workload_spec& spec : specs) {
    const auto w = prepare(spec, workload_seed);
    EXPECT_TRUE(w->copy_roofline) << spec.name;
    EXPECT_EQ(w->units, 67.0 * 299) << spec.name;
    const std::vector<float> want =
        output_of(table_variant(*w, *kern::runnable_table("reference")), *w);
    for (const auto& isa : kern::runnable_isas()) {
      const variant_calls v = table_variant(*w, *kern::runnable_table(isa));
      std::vector<float> got = output_of(v, *w);
      EXPECT_EQ(v.check(want, got), "") << spec.name << " " << isa;
      reinterpret_cast<unsigned char*>(got.data())[17] ^= 1;
      EXPECT_NE(v.check(want, got), "") << spec.name << " " << isa;
    }
  }
}

}  // namespace
}  // namespace ek::bench
