// report.cpp — table and JSON forms of a verify report.
#include "src/verify/report.hpp"

#include <cstdio>

namespace ek::verify {

nlohmann::json to_json(const report& r) {
  nlohmann::json results = nlohmann::json::array();
  for (const kernel_result& k : r.results) {
    nlohmann::json saved = nlohmann::json::array();
    for (const saved_failure& s : k.saved)
      saved.push_back({{"file", s.file},
                       {"case", s.summary},
                       {"reason", s.reason},
                       {"reproduce", s.reproduce}});
    results.push_back({{"kernel", harness::to_string(k.kernel)},
                       {"isa", k.isa},
                       {"cases", k.cases},
                       {"failures", k.failures},
                       {"max_abs_error", k.max_abs_error},
                       {"max_ulp", k.max_ulp},
                       {"mean_ulp", k.mean_ulp()},
                       {"worst_case", k.worst_case},
                       {"first_failure", k.first_failure},
                       {"failures_saved", saved}});
  }
  return {{"seed", r.seed ? nlohmann::json(*r.seed) : nlohmann::json(nullptr)},
          {"passed", r.passed()},
          {"seconds", r.seconds},
          {"results", results}};
}

void print_table(std::ostream& out, const report& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%-11s %-10s %9s %9s %14s %10s %10s  %s\n", "kernel", "isa",
                "cases", "failures", "max abs error", "max ULP", "mean ULP", "status");
  out << line;
  for (const kernel_result& k : r.results) {
    std::snprintf(line, sizeof line, "%-11s %-10s %9llu %9llu %14.3e %10llu %10.3f  %s\n",
                  harness::to_string(k.kernel).c_str(), k.isa.c_str(),
                  static_cast<unsigned long long>(k.cases),
                  static_cast<unsigned long long>(k.failures), k.max_abs_error,
                  static_cast<unsigned long long>(k.max_ulp), k.mean_ulp(),
                  k.failures == 0 ? "pass" : "FAIL");
    out << line;
  }
  for (const kernel_result& k : r.results) {
    if (k.failures == 0) continue;
    out << "\n"
        << harness::to_string(k.kernel) << " on " << k.isa << ": " << k.first_failure << "\n";
    for (const saved_failure& s : k.saved)
      out << "  shrunk to " << s.summary << "\n  fails: " << s.reason
          << "\n  reproduce: " << s.reproduce << "\n";
  }
  const std::string origin = r.seed ? "seed " + std::to_string(*r.seed) : std::string("replay");
  std::snprintf(line, sizeof line, "\nverify: %s (%s, %.1f s)\n", r.passed() ? "PASS" : "FAIL",
                origin.c_str(), r.seconds);
  out << line;
}

}  // namespace ek::verify
