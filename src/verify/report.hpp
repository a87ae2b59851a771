// report.hpp — the two forms of a verify report: the table people read (stdout) and the fields of
// the one JSON document scripts read (--format json).
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "src/verify/verify.hpp"

namespace ek::verify {

/// The result fields of the verify JSON document (the CLI adds schema_version, command and
/// exit_code, docs/verify.md): {seed, passed, seconds, results: [{kernel, isa, cases, failures,
/// max_abs_error, max_ulp, mean_ulp, worst_case, first_failure, failures_saved: [{file, case,
/// reason, reproduce}]}]}
nlohmann::json to_json(const report& r);

/// kernel · isa · cases · failures · max abs error · max ULP · mean ULP · status, then for each
/// failure what failed, the shrunk case and the line that replays it.
void print_table(std::ostream& out, const report& r);

}  // namespace ek::verify
