// against.cpp — the A/B stages of `bench --against`: select, load, prepare, verify, time
// (interleaved), judge.
#include "src/bench/against.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "kernels/dispatch.hpp"
#include "src/bench/abi.hpp"
#include "src/bench/baseline.hpp"
#include "src/bench/engine.hpp"
#include "src/bench/runner.hpp"
#include "src/bench/timing.hpp"
#include "src/harness/text_format.hpp"

namespace ek::bench {

namespace {

// The three sides of every timed variant: this build, the base, this build's second copy.
enum side : size_t { now_side, base_side, copy_side, sides };

}  // namespace

abi_calls calls_through(const prepared_workload& w, const abi_functions& f) {
  abi_calls c;
  c.calls.restore = restore_input(w);
  c.calls.check = [&w](const std::vector<float>& want, const std::vector<float>& got) {
    return check_output(w, want, got);
  };
  if (const auto* in = std::get_if<cosine_inputs>(&w.inputs)) {
    c.calls.call = cosine_call(*in, f.engram_vector_similarity, f.engram_vector_similarity_bf16,
                               f.engram_vector_similarity_i8);
  } else if (const auto* in = std::get_if<batch_inputs>(&w.inputs)) {
    if (f.engram_vector_similarity_batch != nullptr)
      c.calls.call = [&d = in->data, fn = f.engram_vector_similarity_batch](float* out) {
        fn(d.queries.data(), d.num_queries, d.candidates.data(), d.count, d.dim, out);
      };
  } else if (const auto* in = std::get_if<topk_inputs>(&w.inputs)) {
    c.calls.call =
        topk_call(*in, f.engram_vector_topk, f.engram_vector_topk_bf16, f.engram_vector_topk_i8);
  } else if (const auto* in = std::get_if<convert_inputs>(&w.inputs)) {
    c.calls.call = convert_call(*in, f.engram_convert_f32_to_bf16, f.engram_quantize_i8);
  } else if (const auto* in = std::get_if<decay_inputs>(&w.inputs)) {
    if (f.engram_apply_decay != nullptr)
      c.calls.call = [&d = in->data, p = in->data.call_params(), fn = f.engram_apply_decay](
                         float* out) { fn(out, d.ages.data(), d.strengths.size(), &p); };
  } else if (const auto* in = std::get_if<spread_inputs>(&w.inputs)) {
    if (f.engram_spread_activation != nullptr && f.engram_graph_create != nullptr &&
        f.engram_graph_destroy != nullptr) {
      const auto& d = in->data;
      engram_graph* g = nullptr;
      if (f.engram_graph_create(d.nodes, d.row_offsets.data(), d.targets.data(), d.weights.data(),
                                d.targets.size(), &g) != ENGRAM_OK)
        throw std::runtime_error("engram_graph_create refused the workload's graph");
      c.graph = std::shared_ptr<engram_graph>(g, f.engram_graph_destroy);
      c.calls.call = [g, p = d.params, fn = f.engram_spread_activation](float* out) {
        fn(g, out, &p);
      };
    }
  }
  return c;
}

std::string abi_entry_point(const workload_spec& spec) {
  // The compact forms' names end in their type: engram_vector_similarity_bf16, ...
  const std::optional<harness::element_type> stored = stored_type(spec);
  const std::string suffix = stored ? std::string("_").append(harness::to_string(*stored)) : "";
  switch (spec.kernel()) {
    case kernel_id::cosine:
      return std::string("engram_vector_similarity").append(suffix);
    case kernel_id::decay:
      return "engram_apply_decay";
    case kernel_id::spread:
      return "engram_spread_activation";
    case kernel_id::batch:
      return "engram_vector_similarity_batch";
    case kernel_id::topk:
      return std::string("engram_vector_topk").append(suffix);
    case kernel_id::convert:
      return std::get<convert_generator>(spec.generator).type == harness::element_type::bf16
                 ? "engram_convert_f32_to_bf16"
                 : "engram_quantize_i8";
    default:
      return "";
  }
}

namespace {

// The repetition of one side: calls (each after its untimed restore) until min_time has passed,
// at least three; the median call, as the Google Benchmark path takes (runner.cpp).
double time_repetition(const variant_calls& c, float* out, double min_time_s) {
  using clock = std::chrono::steady_clock;
  const auto until = clock::now() + std::chrono::duration<double>(min_time_s);
  std::vector<double> ns;
  do {
    ns.push_back(time_call(
        [&] {
          if (c.restore) c.restore(out);
        },
        [&] { c.call(out); }));
  } while (ns.size() < 3 || clock::now() < until);
  return median(std::move(ns));
}

struct workload_run {
  std::unique_ptr<prepared_workload> w;
  abi_calls on[sides];
  std::vector<float> out[sides];
  std::vector<size_t> rows;  // indices into the outcome's rows, its timed variants
};

interval inverse_change(const interval& ratio) {
  return {1 / ratio.median - 1, 1 / ratio.high - 1, 1 / ratio.low - 1};
}

}  // namespace

std::string against_verdict_name(verdict_kind k) {
  return k == verdict_kind::pass ? "unchanged" : to_string(k);
}

against_outcome run_against(const against_plan& plan, std::ostream& log) {
  // ---- select
  if (plan.repetitions < 6)
    throw std::invalid_argument(
        "--repetitions must be at least 6 (a 95 % sign-test interval needs six pairs)");
  if (!(plan.min_time_s > 0)) throw std::invalid_argument("--min-time must be positive");
  if (!(plan.threshold > 0 && plan.threshold < 1))
    throw std::invalid_argument("--threshold must be in (0, 1)");
  const std::vector<const workload_spec*> specs = select_workloads(plan.workloads, plan.kernels);
  if (specs.empty())
    throw std::invalid_argument("no workload matches the --kernel/--workload choice");
  for (const auto& isa : plan.isas)
    if (!kern::runnable_table(isa))
      throw std::invalid_argument(kern::refused_isa_message("--isas " + isa, isa));
  std::vector<std::string> variants = {"reference"};
  for (const auto& isa : kern::runnable_isas())
    if (isa != "reference" && (plan.isas.empty() || std::find(plan.isas.begin(), plan.isas.end(),
                                                              isa) != plan.isas.end()))
      variants.push_back(isa);

  // ---- load: this build twice (from two paths: the A/A pair) and the base, three namespaces
  against_outcome out;
  out.machine = this_machine();
  out.current = plan.current.empty() ? library_beside_executable() : plan.current;
  if (out.current.empty())
    throw std::invalid_argument(
        "--against: this build's libengram_kern.so is not beside the executable; name it with "
        "--current");
  out.base = plan.base;
  out.repetitions = plan.repetitions;
  out.min_time_s = plan.min_time_s;
  out.threshold = plan.threshold;
  const loaded_library now(out.current, true), base(out.base, true), copy(out.current, true);
  const loaded_library* libs[sides] = {&now, &base, &copy};
  out.current_version = now.version();
  out.base_version = base.version();
  log << "engram-kern bench --against " << out.base << " (" << out.base_version << "): machine "
      << out.machine.key << ", " << plan.repetitions
      << " interleaved repetitions of >= " << plan.min_time_s << " s per side\n";

  // ---- prepare and verify: every variant of every side against this build's reference table
  std::vector<std::unique_ptr<workload_run>> runs;
  for (const workload_spec* spec : specs) {
    auto run = std::make_unique<workload_run>();
    auto row = [&](const std::string& variant, std::string status) {
      against_row r;
      r.workload = spec->name;
      r.kernel = to_string(spec->kernel());
      r.variant = variant;
      r.status = std::move(status);
      out.rows.push_back(std::move(r));
      return out.rows.size() - 1;
    };
    if (spec->kernel() == kernel_id::recall) {
      // A recall is the harness's glue over a kernel table, not a C ABI call.
      for (const auto& v : variants) row(v, "not through the C ABI");
      continue;
    }
    log << "preparing " << spec->name << '\n';
    run->w = prepare(*spec, workload_seed);
    const prepared_workload& w = *run->w;
    std::vector<float> want(w.output_size);
    {
      const variant_calls ref = table_variant(w, *kern::runnable_table("reference"));
      if (ref.restore) ref.restore(want.data());
      ref.call(want.data());
    }
    for (size_t s = 0; s < sides; ++s) {
      run->on[s] = calls_through(w, libs[s]->abi());
      run->out[s].assign(w.output_size, 0.0f);
    }
    for (const auto& v : variants) {
      if (!run->on[base_side].calls.call) {
        row(v, "not in base");
        continue;
      }
      if (!base.runs(v)) {
        row(v, "not runnable in base");
        continue;
      }
      std::string status = "timed";
      for (size_t s = 0; s < sides && status == "timed"; ++s) {
        libs[s]->force(v);
        const variant_calls& c = run->on[s].calls;
        if (c.restore) c.restore(run->out[s].data());
        c.call(run->out[s].data());
        const std::string diff = c.check(want, run->out[s]);
        if (!diff.empty())
          status = (s == base_side ? "base breaks the contract: " : "failed: ") + diff;
      }
      run->rows.push_back(row(v, status));
      if (out.rows.back().status.rfind("failed", 0) == 0) out.exit_code = exit_regressed;
    }
    runs.push_back(std::move(run));
  }

  // ---- time: per repetition every timed variant, its three sides in a random order
  struct slot {
    workload_run* run;
    size_t row;
  };
  std::vector<slot> slots;
  for (auto& r : runs)
    for (size_t i : r->rows)
      if (out.rows[i].timed()) slots.push_back({r.get(), i});
  std::mt19937 shuffle_rng(std::random_device{}());
  size_t order[sides] = {now_side, base_side, copy_side};
  for (int rep = 0; rep < plan.repetitions; ++rep) {
    std::shuffle(slots.begin(), slots.end(), shuffle_rng);
    for (const slot& sl : slots) {
      against_row& row = out.rows[sl.row];
      std::shuffle(std::begin(order), std::end(order), shuffle_rng);
      for (size_t s : order) {
        libs[s]->force(row.variant);
        const double ns =
            time_repetition(sl.run->on[s].calls, sl.run->out[s].data(), plan.min_time_s);
        (s == now_side ? row.new_ns : s == base_side ? row.old_ns : row.aa_ns).push_back(ns);
      }
    }
    log << "  repetition " << rep + 1 << "/" << plan.repetitions << " done\n";
  }
  for (const loaded_library* l : libs) l->force("auto");

  // ---- judge: the rule of --baseline, on the paired ratio and its own A/A floor
  bool inconclusive = false;
  for (against_row& row : out.rows) {
    if (!row.timed()) continue;
    row.new_median_ns = median(row.new_ns);
    row.old_median_ns = median(row.old_ns);
    row.ratio = median_interval(paired_ratios(row.new_ns, row.old_ns));
    row.aa = median_interval(paired_ratios(row.new_ns, row.aa_ns));
    row.change = inverse_change(row.ratio);
    row.noise_floor = noise_floor(row.aa);
    row.kind = decide(row.change, row.noise_floor, plan.threshold);
    if (row.kind == verdict_kind::regressed) out.exit_code = exit_regressed;
    inconclusive |= row.kind == verdict_kind::inconclusive;
  }
  if (out.exit_code == 0 && inconclusive) out.exit_code = exit_inconclusive;
  return out;
}

std::string against_table(const against_outcome& out, bool markdown) {
  std::ostringstream s;
  s << "A/B against " << out.base << " (" << out.base_version << "), this build " << out.current
    << " (" << out.current_version << "); machine " << out.machine.key << "\n\n";
  const char* head[] = {"workload",       "variant",   "old ns", "new ns",
                        "new/old [95 %]", "A/A floor", "verdict"};
  if (markdown) {
    s << "|";
    for (const char* h : head) s << ' ' << h << " |";
    s << "\n|---|---|--:|--:|--:|--:|---|\n";
  } else {
    s << harness::formatted("%-34s %-10s %12s %12s %24s %9s  %s\n", head[0], head[1], head[2],
                            head[3], head[4], head[5], head[6]);
  }
  for (const against_row& r : out.rows) {
    std::string old_ns = "-", new_ns = "-", ratio = "-", floor = "-", verdict = r.status;
    if (r.timed()) {
      old_ns = harness::formatted("%.0f", r.old_median_ns);
      new_ns = harness::formatted("%.0f", r.new_median_ns);
      ratio = harness::formatted("%.3f [%.3f, %.3f]", r.ratio.median, r.ratio.low, r.ratio.high);
      floor = harness::formatted("%.1f%%", 100 * r.noise_floor);
      verdict = against_verdict_name(r.kind);
    }
    if (markdown)
      s << "| " << r.workload << " | " << r.variant << " | " << old_ns << " | " << new_ns << " | "
        << ratio << " | " << floor << " | " << verdict << " |\n";
    else
      s << harness::formatted("%-34s %-10s %12s %12s %24s %9s  %s\n", r.workload.c_str(),
                              r.variant.c_str(), old_ns.c_str(), new_ns.c_str(), ratio.c_str(),
                              floor.c_str(), verdict.c_str());
  }
  return s.str();
}

nlohmann::json against_json(const against_outcome& out) {
  using nlohmann::json;
  json rows = json::array();
  for (const against_row& r : out.rows) {
    json e = {{"workload", r.workload},
              {"kernel", r.kernel},
              {"variant", r.variant},
              {"status", r.status}};
    if (r.timed()) {
      e["verdict"] = against_verdict_name(r.kind);
      e["new_ns"] = r.new_ns;
      e["old_ns"] = r.old_ns;
      e["aa_ns"] = r.aa_ns;
      e["new_median_ns"] = r.new_median_ns;
      e["old_median_ns"] = r.old_median_ns;
      e["ratio"] = to_json(r.ratio);
      e["aa_ratio"] = to_json(r.aa);
      e["change"] = to_json(r.change);
      e["noise_floor"] = r.noise_floor;
    }
    rows.push_back(std::move(e));
  }
  return {{"machine", to_json(out.machine)},
          {"against",
           {{"base", out.base},
            {"base_version", out.base_version},
            {"current", out.current},
            {"current_version", out.current_version},
            {"repetitions", out.repetitions},
            {"min_time_s", out.min_time_s},
            {"threshold", out.threshold},
            {"rows", std::move(rows)}}}};
}

}  // namespace ek::bench
