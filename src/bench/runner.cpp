// runner.cpp — one process's bench run in named stages: select → prepare → verify → register →
// collect (the judging of several processes' results is engine.cpp's).
#include "src/bench/runner.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>
#include <xsimd/config/xsimd_config.hpp>

#include "engram_kern.h"
#include "kernels/cpu.hpp"
#include "kernels/dispatch.hpp"
#include "src/bench/fma_probe.hpp"
#include "src/bench/peers.hpp"
#include "src/bench/timing.hpp"
#include "src/bench/workloads.hpp"
#include "src/harness/text_format.hpp"

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
};

struct workload_state {
  std::unique_ptr<prepared_workload> w;
  std::vector<variant_state> variants;
  // Zeros, w->bytes long: the roofline's streaming read, or the two halves of its copy.
  std::vector<unsigned char> probe;
  bool fma_probe = false;  // the workload counts flops and this CPU runs an FMA probe
};

std::string bench_name(const workload_state& s, const std::string& variant) {
  return s.w->spec->name + "/" + variant;
}

// The row and benchmark names of the probes (the read probe's benchmark keeps its name), and the
// suffix of a compact workload's f32 row.
constexpr const char* read_probe_row = "roofline";
constexpr const char* copy_probe_row = "roofline/copy";
constexpr const char* fma_probe_row = "roofline/fma";
constexpr const char* f32_row_suffix = "/f32";

const char* memory_probe_row(const prepared_workload& w) {
  return w.copy_roofline ? copy_probe_row : read_probe_row;
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

// Every benchmark (variants, peers, roofline) times each iteration by time_call, handed to Google
// Benchmark as manual time (which sizes the repetition). A wall clock also counts the time a
// co-tenant holds the core, so the repetition's value is the median call, not the mean: a call
// that was preempted is one outlier among thousands instead of a few per cent on the whole
// repetition.
template <class Untimed, class Call>
void time_each_call(benchmark::State& st, Untimed&& untimed, Call&& call) {
  std::vector<double> ns;
  ns.reserve(static_cast<size_t>(st.max_iterations));
  for (auto _ : st) {
    const double took = time_call(untimed, call);
    st.SetIterationTime(took * 1e-9);
    ns.push_back(took);
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
  // So does a forced prefetch rule (kernels/cosine.hpp); the default one leaves the key as it was.
  if (kern::active_prefetch_source() != ENGRAM_ISA_AUTO)
    m.flags +=
        std::string(", prefetch rule: ") + kern::prefetch_rule_name(kern::active_prefetch_rule());
  // And a forced quotient rule (kernels/lowp.hpp), which moves the int8 quantization's.
  if (kern::active_quotient_source() != ENGRAM_ISA_AUTO)
    m.flags +=
        std::string(", quotient rule: ") + kern::quotient_rule_name(kern::active_quotient_rule());
  m.libraries = peer_versions();
  m.libraries["engram_kern"] = engram_version_string();
  m.libraries["benchmark"] = EK_BENCHMARK_VERSION;
  m.libraries["xsimd"] = std::to_string(XSIMD_VERSION_MAJOR) + "." +
                         std::to_string(XSIMD_VERSION_MINOR) + "." +
                         std::to_string(XSIMD_VERSION_PATCH);
  return m;
}

namespace {

// ---- select: the workloads and the ISAs the options name ---------------------------------------

struct selection {
  std::vector<const workload_spec*> workloads;
  std::vector<std::string> isas;  // optimized ISAs to time, in the build's order
};

selection select(const run_options& o) {
  if (o.repetitions < 6)
    throw std::invalid_argument(
        "--repetitions must be at least 6 (a 95 % sign-test interval "
        "needs six pairs)");
  if (!(o.min_time_s > 0)) throw std::invalid_argument("--min-time must be positive");
  selection chosen;
  chosen.workloads = select_workloads(o.workloads, o.kernels);
  if (chosen.workloads.empty())
    throw std::invalid_argument("no workload matches the --kernel/--workload choice");
  for (const auto& isa : o.isas)
    if (!kern::runnable_table(isa))
      throw std::invalid_argument(kern::refused_isa_message("--isas " + isa, isa));
  for (const auto& isa : kern::runnable_isas())
    if (isa != "reference" &&
        (o.isas.empty() || std::find(o.isas.begin(), o.isas.end(), isa) != o.isas.end()))
      chosen.isas.push_back(isa);
  return chosen;
}

// ---- prepare: per workload its inputs and every variant on them --------------------------------

// Test only (--test-slowdown N): `calls` N times per timed call.
variant_calls slowed_down(variant_calls calls, int n) {
  calls.call = [calls, n](float* out) {
    // Restoring between calls keeps an in-place kernel's output that of one call.
    for (int i = 1; i < n; ++i) {
      calls.call(out);
      if (calls.restore) calls.restore(out);
    }
    calls.call(out);
  };
  return calls;
}

std::unique_ptr<workload_state> prepare_variants(const workload_spec& spec, const selection& chosen,
                                                 const run_options& o) {
  auto s = std::make_unique<workload_state>();
  s->w = prepare(spec, workload_seed);
  const prepared_workload& w = *s->w;
  const kernel_table& active = kern::active();
  auto add_table = [&](const std::string& name, role kind, const kernel_table& table) {
    variant_calls calls = table_variant(w, table);
    if (&table == &active && kind != role::reference && o.test_slowdown > 1)
      calls = slowed_down(std::move(calls), o.test_slowdown);
    s->variants.push_back({name, kind, std::move(calls), {}, {}});
  };
  add_table("reference", role::reference, *kern::runnable_table("reference"));
  for (const auto& isa : chosen.isas) add_table(isa, role::isa, *kern::runnable_table(isa));
  add_table(std::string(active.isa) + "/aa", role::aa, active);
  if (variant_calls f32 = f32_variant(w, active); f32.call)
    s->variants.push_back(
        {active.isa + std::string(f32_row_suffix), role::f32, std::move(f32), {}, {}});
  // The peers compute on floats: a compact workload has its f32 row instead.
  if (o.peers && !stored_type(spec))
    for (const peer& p : peers_of(spec.kernel()))
      s->variants.push_back(
          {p.name, role::peer, p.make ? p.make(w) : variant_calls{}, {}, p.skipped});
  s->probe.assign(static_cast<size_t>(w.bytes), 0);
  s->fma_probe = w.flops > 0 && widest_fma_probe().run != nullptr;
  return s;
}

// ---- verify: only verified outputs are timed ---------------------------------------------------

// Every variant runs once and its check judges it against the reference's output (a recall
// stage by stage); a peer that differs is still timed, and its row says so.
void verify_variants(workload_state& s) {
  auto run_once = [](const variant_calls& fns, float* out) {
    if (fns.restore) fns.restore(out);
    fns.call(out);
  };
  const size_t n = s.w->output_size;
  std::vector<float> want(n);
  run_once(s.variants.front().fns, want.data());
  for (variant_state& v : s.variants) {
    if (!v.fns.call) continue;
    v.out.assign(n, 0.0f);
    run_once(v.fns, v.out.data());
    const std::string diff = v.fns.check(want, v.out);
    v.status = diff.empty() ? "verified" : (v.kind == role::peer ? "differs: " : "failed: ") + diff;
    v.timed = diff.empty() || v.kind == role::peer;
  }
}

// ---- register: the timed variants and each workload's roofline probe with Google Benchmark -----

size_t register_benchmarks(std::vector<std::unique_ptr<workload_state>>& states,
                           const run_options& o, const machine_info& machine) {
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
       std::map<std::string, std::string>{{"engram_kern_machine_key", machine.key},
                                          {"engram_kern_isa", machine.isa},
                                          {"engram_kern_compiler", machine.compiler},
                                          {"engram_kern_flags", machine.flags},
                                          {"engram_kern_seed", std::to_string(workload_seed)}})
    benchmark::AddCustomContext(name, value);
  for (const auto& [lib, version] : machine.libraries)
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
    // the widest vector loads the CPU runs (it dispatches by CPU), a plain streaming read. A
    // conversion writes too: glibc's memcpy of half the buffer onto the other half reads and
    // writes as many bytes in all as the call moves.
    ++registered;
    if (s->w->copy_roofline)
      configure(benchmark::RegisterBenchmark(
          bench_name(*s, copy_probe_row).c_str(), [p = &s->probe](benchmark::State& st) {
            const size_t half = p->size() / 2;
            time_each_call(
                st, [] {},
                [p, half] {
                  benchmark::DoNotOptimize(std::memcpy(p->data() + half, p->data(), half));
                });
          }));
    else
      configure(benchmark::RegisterBenchmark(
          bench_name(*s, read_probe_row).c_str(), [p = &s->probe](benchmark::State& st) {
            time_each_call(
                st, [] {}, [p] { benchmark::DoNotOptimize(std::memchr(p->data(), 1, p->size())); });
          }));
    // The compute roofline: the FMA probe's peak rate, timed beside this workload's variants.
    if (!s->fma_probe) continue;
    ++registered;
    configure(benchmark::RegisterBenchmark(
        bench_name(*s, fma_probe_row).c_str(), [](benchmark::State& st) {
          time_each_call(
              st, [] {},
              [] { benchmark::DoNotOptimize(widest_fma_probe().run(fma_probe_rounds)); });
        }));
  }
  return registered;
}

// ---- collect: every repetition into medians, paired speed-ups, units and roofline fractions ----

std::vector<variant_result> collect(const std::vector<std::unique_ptr<workload_state>>& states,
                                    const std::map<std::string, std::vector<double>>& all) {
  const std::string active = kern::active().isa;
  std::vector<variant_result> results;
  for (const auto& s : states) {
    const prepared_workload& w = *s->w;
    auto times_of = [&](const std::string& variant) {
      const auto it = all.find(bench_name(*s, variant));
      return it == all.end() ? std::vector<double>{} : it->second;
    };
    const std::vector<double> ref_times = times_of("reference");
    const std::vector<double> active_times = times_of(active);
    const std::vector<double> probe_times = times_of(memory_probe_row(w));
    const std::vector<double> f32_times = times_of(active + f32_row_suffix);
    // The FMA probe's calls scaled to this workload's flops: the time one call's work takes at
    // the measured peak rate.
    const double probe_flops = double(fma_probe_rounds) * widest_fma_probe().flops_per_round;
    std::vector<double> fma_times = times_of(fma_probe_row);
    for (double& t : fma_times) t *= w.flops / probe_flops;
    const double fma_rate = fma_times.empty() ? 0 : w.flops / median(fma_times);
    auto per_call_rates = [&](variant_result& r) {
      // A compact workload's f32 row moves the floats: its rate and its roofline fraction (the
      // probe's time scaled to those bytes) count them.
      const double bytes = r.kind == role::f32 ? w.f32_bytes : w.bytes;
      r.per_unit = w.units > 0 ? r.median_ns / w.units : 0;
      if (r.rate_unit == "GB/s")
        r.rate = bytes / r.median_ns;
      else if (r.rate_unit == "GFLOP/s")
        r.rate = w.flops / r.median_ns;
      else
        r.rate = w.units / r.median_ns * 1e9;
      if (!probe_times.empty())
        r.roofline_fraction = median(probe_times) * (bytes / w.bytes) / r.median_ns;
      if (fma_rate > 0) r.compute_fraction = w.flops / r.median_ns / fma_rate;
    };
    for (const variant_state& v : s->variants) {
      variant_result r;
      r.workload = w.spec->name;
      r.kernel = to_string(w.spec->kernel());
      r.variant = v.name;
      r.kind = v.kind;
      r.status = v.status;
      r.unit = per_unit_name(w.spec->kernel());
      r.rate_unit = rate_unit_name(*w.spec);
      r.times_ns = v.timed ? times_of(v.name) : std::vector<double>{};
      r.timed = !r.times_ns.empty();
      if (r.timed) {
        r.median_ns = median(r.times_ns);
        r.mad_ns = mad(r.times_ns);
        per_call_rates(r);
        r.speedups = paired_ratios(ref_times, r.times_ns);
        if (!r.speedups.empty()) r.speedup = median_interval(r.speedups);
        if (v.kind != role::f32 && !f32_times.empty())
          r.vs_f32 = median_interval(paired_ratios(f32_times, r.times_ns));
        if (v.kind == role::aa && !active_times.empty())
          r.aa_ratio = median_interval(paired_ratios(active_times, r.times_ns));
      }
      results.push_back(std::move(r));
    }
    // Workloads that count flops show both probes as rows: what the memory and the FMA units
    // allow for one call's work, beside the variants; conversions show their copy probe.
    if (w.flops <= 0 && !w.copy_roofline) continue;
    const fma_probe& fma = widest_fma_probe();
    std::vector<std::tuple<const char*, std::vector<double>, const char*, std::string>> probes = {
        {memory_probe_row(w), probe_times, "GB/s",
         w.copy_roofline
             ? harness::formatted("probe: memcpy of %.0f bytes (read and written)", w.bytes / 2)
             : harness::formatted("probe: memchr read of %.0f bytes", w.bytes)}};
    if (w.flops > 0)
      probes.emplace_back(
          fma_probe_row, fma_times, "GFLOP/s",
          fma.run ? harness::formatted("probe: %s FMA loop, %.0f flops per round, at the median "
                                       "rate of %zu-round calls",
                                       fma.isa.c_str(), fma.flops_per_round, fma_probe_rounds)
                  : fma.skipped);
    for (const auto& [name, times, rate_unit, status] : probes) {
      variant_result r;
      r.workload = w.spec->name;
      r.kernel = to_string(w.spec->kernel());
      r.variant = name;
      r.kind = role::probe;
      r.status = status;
      r.unit = per_unit_name(w.spec->kernel());
      r.rate_unit = rate_unit;
      r.times_ns = times;
      r.timed = !times.empty();
      if (r.timed) {
        r.median_ns = median(times);
        r.mad_ns = mad(times);
        per_call_rates(r);
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace

run_output run_benchmarks(const run_options& o, std::ostream& log) {
  const selection chosen = select(o);
  run_output result;
  result.machine = this_machine();
  log << "engram-kern bench: machine " << result.machine.key << ", seed " << workload_seed << ", "
      << o.repetitions << " repetitions of >= " << o.min_time_s << " s\n";
  std::vector<std::unique_ptr<workload_state>> states;
  for (const workload_spec* spec : chosen.workloads) {
    log << "preparing " << spec->name << '\n';
    states.push_back(prepare_variants(*spec, chosen, o));
    verify_variants(*states.back());
  }
  collecting_reporter reporter(log, register_benchmarks(states, o, result.machine));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();
  const auto doc = nlohmann::json::parse(reporter.json());
  result.context = doc.at("context");
  result.benchmarks = doc.at("benchmarks");
  result.results = collect(states, reporter.times());
  return result;
}

}  // namespace ek::bench
