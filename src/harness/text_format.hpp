// text_format.hpp — number formatting shared by the tables of `bench` and the pages of `report`,
// so one figure reads the same wherever it is shown.
#pragma once

#include <cstdio>
#include <string>

namespace ek::harness {

/// printf-style formatting of one double ("%.3f ms" and the like).
inline std::string formatted(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

/// 1234567 ns -> "1.235 ms": readable medians whatever the workload size.
inline std::string format_duration_ns(double ns) {
  if (ns >= 1e9) return formatted("%.3f s", ns / 1e9);
  if (ns >= 1e6) return formatted("%.3f ms", ns / 1e6);
  if (ns >= 1e3) return formatted("%.3f us", ns / 1e3);
  return formatted("%.1f ns", ns);
}

}  // namespace ek::harness
