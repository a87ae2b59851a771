// baseline.hpp — the per-machine baseline file (baselines/<machine-key>.json): written atomically
// and only on request, read back with every problem named (file and reason).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "src/bench/results.hpp"

namespace ek::bench {

/// Version of the baseline and JSON report layouts; a file with another one is refused. Version 2
/// added the per-process speed-ups the gate compares; version 3 times the call alone (the input
/// restore of in-place kernels left the clock), so older times and ratios are not comparable.
inline constexpr int schema_version = 3;

struct baseline {
  int schema_version = bench::schema_version;
  machine_info machine;
  int repetitions = 0;  // per process
  double min_time_s = 0;
  int processes = 0;  // how many processes timed the set
  // Timed results only; per variant the median time, its MAD, every repetition and the paired
  // speed-ups with their interval.
  std::vector<variant_result> results;
};

/// A baseline file that cannot be used; what() is "<file>: <problem>".
class baseline_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// {"median", "low", "high"}: every interval in baselines and reports.
nlohmann::json to_json(const interval& i);
nlohmann::json to_json(const machine_info& m);
machine_info machine_from_json(const nlohmann::json& j);
nlohmann::json to_json(const baseline& b);
/// Throws std::runtime_error naming the missing or mistyped field, or the unsupported schema.
baseline baseline_from_json(const nlohmann::json& j);

/// Writes `b` to `path` through a temporary file in the same directory and a rename, so readers
/// see the old file or the new one, never a torn one. Throws baseline_error.
void save_baseline(const baseline& b, const std::string& path);

/// Reads and validates `path`. Throws baseline_error: missing, unreadable, not JSON, malformed,
/// or written by a newer schema.
baseline load_baseline(const std::string& path);

}  // namespace ek::bench
