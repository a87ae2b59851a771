// verify.cpp — the sweep loop: the kernel with the least time spent runs its next case on every
// table; the first failure of each kernel × table is shrunk, saved and announced with the line
// that replays it.
#include "src/verify/verify.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "src/harness/safetensors.hpp"
#include "src/verify/case_file.hpp"
#include "src/verify/compare.hpp"
#include "src/verify/shrink.hpp"

namespace ek::verify {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

void record(kernel_result& r, const test_case& c, const check_result& check) {
  ++r.cases;
  r.max_abs_error = std::max(r.max_abs_error, check.max_abs_error);
  const size_t finite = check.ulp.count - check.ulp.nan_mismatches;
  if (finite > 0 && (r.worst_case.empty() || check.ulp.max > r.max_ulp)) {
    r.max_ulp = check.ulp.max;
    r.worst_case = c.summary() + ", element " + std::to_string(check.ulp.worst_index) + ": " +
                   std::to_string(check.ulp.max) + " ULP";
  }
  r.ulp_sum += check.ulp.sum;
  r.ulp_count += finite;
}

std::string file_name(const kernel_result& r, uint64_t seed, uint64_t index) {
  return harness::to_string(r.kernel) + "-" + r.isa + "-seed" + std::to_string(seed) + "-case" +
         std::to_string(index) + ".safetensors";
}

// The first failure of a kernel × table: shrink it, save it, say how to replay it.
void shrink_and_save(kernel_result& r, const kernel_table& table, const test_case& c,
                     uint64_t index, const options& o) {
  const auto still_fails = [&table](const test_case& x) {
    const prepared_case p = prepare(x);
    return check(table, p).failed;
  };
  const test_case small = shrink(c, still_fails, o.shrink_attempts);
  const prepared_case p = prepare(small);
  const check_result again = check(table, p);

  saved_failure s;
  s.summary = small.summary();
  s.reason = again.reason;
  try {
    std::filesystem::create_directories(o.save_dir);
    s.file = (std::filesystem::path(o.save_dir) / file_name(r, o.seed, index)).string();
    save_case(s.file, small, {table.isa, again.reason, o.seed, index, p.expected, again.actual});
    s.reproduce = "engram-kern verify --replay " + s.file + " --isa " + table.isa;
    r.saved.push_back(s);
  } catch (const std::exception& e) {  // a full disk must not hide the failure itself
    if (o.log != nullptr) *o.log << "verify: could not save the shrunk case: " << e.what() << "\n";
  }
  if (o.log != nullptr) {
    *o.log << "  shrunk to: " << s.summary << "\n  fails: " << s.reason << "\n";
    if (!s.reproduce.empty()) *o.log << "  reproduce: " << s.reproduce << "\n";
  }
}

void on_failure(kernel_result& r, const kernel_table& table, const test_case& c, uint64_t index,
                const check_result& check, const options& o) {
  if (++r.failures > 1) return;
  r.first_failure = c.summary() + ": " + check.reason;
  if (o.log != nullptr)
    *o.log << "verify: FAIL " << harness::to_string(r.kernel) << " on " << r.isa << ", case "
           << index << " (" << c.summary() << "): " << check.reason << "\n";
  if (!o.save_dir.empty()) shrink_and_save(r, table, c, index, o);
}

}  // namespace

bool report::passed() const {
  return std::all_of(results.begin(), results.end(),
                     [](const kernel_result& r) { return r.failures == 0; });
}

report run(const options& o) {
  const auto start = clock_type::now();
  report rep;
  rep.seed = o.seed;
  for (kernel_kind k : o.kernels)
    for (const kernel_table* t : o.tables) rep.results.push_back({.kernel = k, .isa = t->isa});

  std::vector<double> spent(o.kernels.size(), 0.0);
  std::vector<uint64_t> next(o.kernels.size(), 0);
  double next_progress = 5;
  for (;;) {
    // The kernel with the least time spent goes next: each gets an equal share of the budget,
    // however different the cost of its cases.
    size_t k = o.kernels.size();
    for (size_t i = 0; i < o.kernels.size(); ++i)
      if ((o.cases == 0 || next[i] < o.cases) && (k == o.kernels.size() || spent[i] < spent[k]))
        k = i;
    if (k == o.kernels.size()) break;
    if (o.cases == 0 && seconds_since(start) >= o.time_budget_seconds) break;

    const auto case_start = clock_type::now();
    const uint64_t index = next[k]++;
    const test_case c = make_case(o.kernels[k], o.seed, index);
    const prepared_case p = prepare(c);
    for (size_t t = 0; t < o.tables.size(); ++t) {
      kernel_result& r = rep.results[k * o.tables.size() + t];
      const check_result result = check(*o.tables[t], p);
      record(r, c, result);
      if (result.failed) on_failure(r, *o.tables[t], c, index, result, o);
    }
    spent[k] += seconds_since(case_start);

    if (o.log != nullptr && seconds_since(start) >= next_progress) {
      *o.log << "verify: " << static_cast<int>(seconds_since(start)) << " s:";
      for (size_t i = 0; i < o.kernels.size(); ++i)
        *o.log << " " << harness::to_string(o.kernels[i]) << " " << next[i] << " cases";
      *o.log << "\n";
      next_progress += 5;
    }
  }
  rep.seconds = seconds_since(start);
  return rep;
}

report replay(const std::vector<std::string>& files, const std::vector<const kernel_table*>& tables,
              std::ostream* log) {
  const auto start = clock_type::now();
  std::vector<test_case> cases;
  for (const std::string& f : files) cases.push_back(load_case(f));

  report rep;
  for (kernel_kind k : all_kernels) {
    for (const kernel_table* t : tables) {
      kernel_result r{.kernel = k, .isa = t->isa};
      for (size_t i = 0; i < cases.size(); ++i) {
        if (cases[i].kernel != k) continue;
        const prepared_case p = prepare(cases[i]);
        const check_result result = check(*t, p);
        record(r, cases[i], result);
        if (result.failed && r.failures++ == 0) r.first_failure = files[i] + ": " + result.reason;
        if (log != nullptr)
          *log << "verify: replay " << files[i] << " on " << t->isa << ": "
               << (result.failed ? "FAIL: " + result.reason : std::string("pass")) << "\n";
      }
      if (r.cases > 0) rep.results.push_back(std::move(r));
    }
  }
  rep.seconds = seconds_since(start);
  return rep;
}

}  // namespace ek::verify
