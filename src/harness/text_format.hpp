// text_format.hpp — number formatting shared by the tables and log lines of `bench`, `run` and the
// pages of `report`, so one figure reads the same wherever it is shown.
#pragma once

#include <cstdio>
#include <string>

namespace ek::harness {

/// printf-style formatting of numbers and C strings, any length ("%.3f ms" and the like).
template <class... Args>
std::string formatted(const char* format, Args... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  if (n <= 0) return {};
  std::string out(static_cast<size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, format, args...);
  return out;
}

/// 1234567 ns -> "1.235 ms": readable medians whatever the workload size.
inline std::string format_duration_ns(double ns) {
  if (ns >= 1e9) return formatted("%.3f s", ns / 1e9);
  if (ns >= 1e6) return formatted("%.3f ms", ns / 1e6);
  if (ns >= 1e3) return formatted("%.3f us", ns / 1e3);
  return formatted("%.1f ns", ns);
}

/// A speed-up and its 95 % interval: "2.31x [2.25, 2.40]".
inline std::string format_speedup(double median, double low, double high) {
  return formatted("%.2fx [%.2f, %.2f]", median, low, high);
}

/// A relative change (0.012 = +1.2 %) and its 95 % interval: "+1.2% [-0.3, +2.6]".
inline std::string format_change(double median, double low, double high) {
  return formatted("%+.1f%% [%+.1f, %+.1f]", 100 * median, 100 * low, 100 * high);
}

}  // namespace ek::harness
