// runner.cpp — verification, Google Benchmark registration and the collecting reporter.
#include "src/bench/runner.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>
#include <xsimd/config/xsimd_config.hpp>

#include "engram_kern.h"
#include "kernels/cpu.hpp"
#include "kernels/dispatch.hpp"
#include "src/bench/peers.hpp"
#include "src/bench/workloads.hpp"

namespace ek::bench {

namespace {

// One variant of one workload: its restore and call, its output buffer, and what verification
// said.
struct variant_state {
  std::string name;
  role kind;
  variant_calls fns;
  std::vector<float> out;
  std::string status;
  bool timed = false;
  std::shared_ptr<harness::recall_result> recall = nullptr;  // recall: the last recall's stages
};

struct workload_state {
  std::unique_ptr<prepared_workload> w;
  std::vector<variant_state> variants;
  std::vector<unsigned char> probe;  // zeros, w->bytes long: the roofline's streaming read
};

std::string bench_name(const workload_state& s, const std::string& variant) {
  return s.w->spec->name + "/" + variant;
}

// The counter time_each_call leaves on every repetition: the median call's time, in ns.
constexpr const char* call_ns_counter = "median_call_ns";

// Keeps Google Benchmark's JSON (context and benchmarks, unchanged) and every repetition's median
// time per call (time_each_call's counter); prints one progress line per finished benchmark.
class collecting_reporter : public benchmark::JSONReporter {
 public:
  collecting_reporter(std::ostream& log, size_t benchmarks) : log_(log), total_(benchmarks) {
    SetOutputStream(&json_);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::JSONReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      if (r.error_occurred) {
        errors_[r.run_name.function_name] = r.error_message;
        continue;
      }
      // Not Google Benchmark's times: its real time (the manual time) is the mean call, which
      // one preempted call moves, and its CPU time covers the whole loop, restores included.
      times_[r.run_name.function_name].push_back(r.counters.at(call_ns_counter).value);
    }
    // Google Benchmark reports a benchmark twice, its repetitions and then its aggregates: log
    // the repetitions only, one line per benchmark.
    if (!runs.empty() && runs.front().run_type == Run::RT_Iteration)
      log_ << "  done " << ++done_ << "/" << total_ << ": " << runs.front().run_name.function_name
           << '\n';
  }

  const std::map<std::string, std::vector<double>>& times() const { return times_; }
  std::string json() const { return json_.str(); }

 private:
  std::ostream& log_;
  size_t total_, done_ = 0;
  std::ostringstream json_;
  std::map<std::string, std::vector<double>> times_;
  std::map<std::string, std::string> errors_;
};

// The one timing rule for every benchmark (variants, peers, roofline; docs/benchmarking.md, "What
// the clock covers"): per iteration, first the untimed `untimed` (an in-place variant's restore),
// then the steady clock around `call` alone, handed to Google Benchmark as manual time (which
// sizes the repetition). PauseTiming/ResumeTiming would also keep the restore out, but Google
// Benchmark 1.7 reads the process CPU clock (a system call) in each, which lands in the measured
// time and costs an order of magnitude more than the two steady-clock reads (vDSO, no system
// call) used here (figures: docs/benchmarking.md). A wall clock also counts the time a co-tenant
// holds the core, so the repetition's value is the median call, not the mean: a call that was
// preempted is one outlier among thousands instead of a few per cent on the whole repetition.
template <class Untimed, class Call>
void time_each_call(benchmark::State& st, Untimed&& untimed, Call&& call) {
  using clock = std::chrono::steady_clock;
  std::vector<double> ns;
  ns.reserve(static_cast<size_t>(st.max_iterations));
  for (auto _ : st) {
    untimed();
    const clock::time_point start = clock::now();
    call();
    benchmark::ClobberMemory();  // the call's stores belong before the stop
    const std::chrono::duration<double, std::nano> took = clock::now() - start;
    st.SetIterationTime(took.count() * 1e-9);
    ns.push_back(took.count());
  }
  if (!ns.empty()) st.counters[call_ns_counter] = median(std::move(ns));
}

std::string compiler_name() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

machine_info this_machine() {
  const auto& c = kern::cpu();
  machine_info m;
  m.vendor = c.vendor;
  m.family = c.family;
  m.model = c.model;
  m.cpu = c.brand;
  m.isa = kern::active().isa;
  m.key = machine_key(m.vendor, m.family, m.model, m.isa);
  m.compiler = compiler_name();
  // The gather policy moves spreading's timings as much as a compiler flag does.
  m.flags = std::string(EK_BUILD_FLAGS) + ", gather policy: " + engram_active_gather_policy();
  m.libraries = peer_versions();
  m.libraries["engram_kern"] = engram_version_string();
  m.libraries["benchmark"] = EK_BENCHMARK_VERSION;
  m.libraries["xsimd"] = std::to_string(XSIMD_VERSION_MAJOR) + "." +
                         std::to_string(XSIMD_VERSION_MINOR) + "." +
                         std::to_string(XSIMD_VERSION_PATCH);
  return m;
}

run_output run_benchmarks(const run_options& o, std::ostream& log) {
  if (o.repetitions < 6)
    throw std::invalid_argument(
        "--repetitions must be at least 6 (a 95 % sign-test interval "
        "needs six pairs)");
  if (!(o.min_time_s > 0)) throw std::invalid_argument("--min-time must be positive");
  const auto specs = select_workloads(o.workloads, o.kernels);
  if (specs.empty())
    throw std::invalid_argument("no workload matches the --kernel/--workload choice");

  std::vector<std::string> isas;
  for (const auto& isa : kern::runnable_isas())
    if (isa != "reference" &&
        (o.isas.empty() || std::find(o.isas.begin(), o.isas.end(), isa) != o.isas.end()))
      isas.push_back(isa);
  for (const auto& isa : o.isas)
    if (!kern::runnable_table(isa))
      throw std::invalid_argument(kern::refused_isa_message("--isa " + isa, isa));
  const kernel_table& active = kern::active();
  const kernel_table& reference = *kern::runnable_table("reference");

  run_output result;
  result.machine = this_machine();
  log << "engram-kern bench: machine " << result.machine.key << ", seed " << workload_seed << ", "
      << o.repetitions << " repetitions of >= " << o.min_time_s << " s\n";

  std::vector<std::unique_ptr<workload_state>> states;
  for (const workload_spec* spec : specs) {
    log << "preparing " << spec->name << '\n';
    auto s = std::make_unique<workload_state>();
    s->w = prepare(*spec, workload_seed);
    const prepared_workload& w = *s->w;
    auto add_table = [&](const std::string& name, role kind, const kernel_table& table) {
      variant_state v{name, kind, {}, {}, {}};
      if (spec->kernel == "recall") v.recall = std::make_shared<harness::recall_result>();
      v.fns = table_variant(w, table, v.recall);
      if (&table == &active && kind != role::reference && o.test_slowdown > 1)
        v.fns.call = [calls = v.fns, n = o.test_slowdown](float* out) {
          // Restoring between calls keeps an in-place kernel's output that of one call.
          for (int i = 1; i < n; ++i) {
            calls.call(out);
            if (calls.restore) calls.restore(out);
          }
          calls.call(out);
        };
      s->variants.push_back(std::move(v));
    };
    add_table("reference", role::reference, reference);
    for (const auto& isa : isas) add_table(isa, role::isa, *kern::runnable_table(isa));
    add_table(std::string(active.isa) + "/aa", role::aa, active);
    if (o.peers)
      for (const peer& p : peers_of(spec->kernel)) {
        variant_state v{p.name, role::peer, {}, {}, p.skipped};
        if (p.make) v.fns = p.make(w);
        s->variants.push_back(std::move(v));
      }

    // Only verified outputs are timed: every variant runs once and is diffed against the
    // reference first (a peer that differs is still timed, and its row says so). A recall is
    // compared stage by stage with harness::compare_recall, not by its final scores alone.
    auto run_once = [](const variant_calls& fns, float* out) {
      if (fns.restore) fns.restore(out);
      fns.call(out);
    };
    std::vector<float> want(w.output_size);
    run_once(s->variants.front().fns, want.data());
    for (variant_state& v : s->variants) {
      if (!v.fns.call) continue;
      v.out.assign(w.output_size, 0.0f);
      run_once(v.fns, v.out.data());
      const std::string diff = v.recall ? check_recall(w, *v.recall) : check_output(w, want, v.out);
      v.status =
          diff.empty() ? "verified" : (v.kind == role::peer ? "differs: " : "failed: ") + diff;
      v.timed = diff.empty() || v.kind == role::peer;
    }
    s->probe.assign(static_cast<size_t>(w.bytes), 0);
    states.push_back(std::move(s));
  }

  // Google Benchmark's flags are process-wide: random interleaving on, nothing else from argv.
  static bool initialized = false;
  if (!initialized) {
    std::string a0 = "engram-kern bench", a1 = "--benchmark_enable_random_interleaving=true";
    char* argv[] = {a0.data(), a1.data(), nullptr};
    int argc = 2;
    benchmark::Initialize(&argc, argv);
    initialized = true;
  }
  benchmark::ClearRegisteredBenchmarks();
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"engram_kern_machine_key", result.machine.key},
                                          {"engram_kern_isa", result.machine.isa},
                                          {"engram_kern_compiler", result.machine.compiler},
                                          {"engram_kern_flags", result.machine.flags},
                                          {"engram_kern_seed", std::to_string(workload_seed)}})
    benchmark::AddCustomContext(name, value);
  for (const auto& [lib, version] : result.machine.libraries)
    benchmark::AddCustomContext("version_" + lib, version);

  auto configure = [&](benchmark::internal::Benchmark* b) {
    b->Repetitions(o.repetitions)
        ->MinTime(o.min_time_s)
        ->UseManualTime()
        ->Unit(benchmark::kNanosecond);
  };
  size_t registered = 0;
  for (auto& s : states) {
    for (variant_state& v : s->variants) {
      if (!v.timed) continue;
      ++registered;
      configure(
          benchmark::RegisterBenchmark(bench_name(*s, v.name).c_str(), [&v](benchmark::State& st) {
            float* const out = v.out.data();
            time_each_call(
                st,
                [&] {
                  if (v.fns.restore) v.fns.restore(out);
                },
                [&] {
                  v.fns.call(out);
                  benchmark::DoNotOptimize(out);
                });
          }));
    }
    // The roofline probe: glibc's memchr for a byte that is not there reads the whole buffer with
    // the widest vector loads the CPU runs (it dispatches by CPU), a plain streaming read.
    ++registered;
    configure(benchmark::RegisterBenchmark(
        bench_name(*s, "roofline").c_str(), [p = &s->probe](benchmark::State& st) {
          time_each_call(
              st, [] {}, [p] { benchmark::DoNotOptimize(std::memchr(p->data(), 1, p->size())); });
        }));
  }
  collecting_reporter reporter(log, registered);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();

  const auto doc = nlohmann::json::parse(reporter.json());
  result.context = doc.at("context");
  result.benchmarks = doc.at("benchmarks");

  for (auto& s : states) {
    const prepared_workload& w = *s->w;
    const auto& all = reporter.times();
    auto times_of = [&](const std::string& variant) {
      const auto it = all.find(bench_name(*s, variant));
      return it == all.end() ? std::vector<double>{} : it->second;
    };
    const std::vector<double> ref_times = times_of("reference");
    const std::vector<double> active_times = times_of(active.isa);
    const std::vector<double> probe_times = times_of("roofline");
    for (variant_state& v : s->variants) {
      variant_result r;
      r.workload = w.spec->name;
      r.kernel = w.spec->kernel;
      r.variant = v.name;
      r.kind = v.kind;
      r.status = v.status;
      r.unit = per_unit_name(r.kernel);
      r.rate_unit = rate_unit_name(r.kernel);
      r.times_ns = v.timed ? times_of(v.name) : std::vector<double>{};
      r.timed = !r.times_ns.empty();
      if (r.timed) {
        r.median_ns = median(r.times_ns);
        r.mad_ns = mad(r.times_ns);
        r.per_unit = w.units > 0 ? r.median_ns / w.units : 0;
        r.rate = r.rate_unit == "GB/s" ? w.bytes / r.median_ns : w.units / r.median_ns * 1e9;
        r.speedups = paired_ratios(ref_times, r.times_ns);
        if (!r.speedups.empty()) r.speedup = median_interval(r.speedups);
        if (!probe_times.empty()) r.roofline_fraction = median(probe_times) / r.median_ns;
        if (v.kind == role::aa && !active_times.empty())
          r.aa_ratio = median_interval(paired_ratios(active_times, r.times_ns));
      }
      result.results.push_back(std::move(r));
    }
  }
  return result;
}

}  // namespace ek::bench
