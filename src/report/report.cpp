// report.cpp — bench documents to HTML (inline SVG bar charts, tables) and Markdown. Every string
// that came from a document goes through html_escape; CSS classes come from fixed lists only.
#include "src/report/report.hpp"
#include "src/harness/text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace ek::report {

namespace {

using nlohmann::json;

// ---- reading ----------------------------------------------------------------------------------

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::invalid_argument(where + ": " + what);
}

const json& member(const json& o, const char* key, const std::string& where) {
  if (!o.is_object()) bad(where, "expected an object");
  const auto it = o.find(key);
  if (it == o.end()) bad(where, std::string("missing \"") + key + "\"");
  return *it;
}

std::string text(const json& o, const char* key, const std::string& where) {
  const json& v = member(o, key, where);
  if (!v.is_string()) bad(where, std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

double number(const json& v, const std::string& where, const char* key) {
  if (!v.is_number()) bad(where, std::string("\"") + key + "\" must be a number");
  return v.get<double>();
}

std::optional<double> number_or_null(const json& o, const char* key, const std::string& where) {
  const json& v = member(o, key, where);
  if (v.is_null()) return std::nullopt;
  return number(v, where, key);
}

interval to_interval(const json& v, const std::string& where) {
  return {number(member(v, "median", where), where, "median"),
          number(member(v, "low", where), where, "low"),
          number(member(v, "high", where), where, "high")};
}

// ---- formatting -------------------------------------------------------------------------------

std::string fmt_speedup(const interval& i) {
  return harness::format_speedup(i.median, i.low, i.high);
}

std::string fmt_change(const interval& i) {
  return harness::format_change(i.median, i.low, i.high);
}

// The cells of one results row, shared by the HTML and Markdown tables (unescaped).
std::vector<std::string> result_cells(const result_row& r) {
  return {r.workload,
          r.variant,
          r.median_ns ? harness::format_duration_ns(*r.median_ns) : "-",
          r.per_unit
              ? harness::formatted(*r.per_unit < 10 ? "%.3f " : "%.1f ", *r.per_unit) + r.unit
              : "-",
          r.speedup ? fmt_speedup(*r.speedup) : "-",
          r.roofline_fraction ? harness::formatted("%.2f", *r.roofline_fraction) : "-",
          r.status};
}
const std::vector<std::string> result_head = {"workload",          "variant",  "median", "per unit",
                                              "speed-up [95% CI]", "roofline", "status"};

std::vector<std::pair<std::string, std::string>> header_cells(const bench_run& r,
                                                              const std::string& command) {
  std::string libs;
  for (const auto& [name, version] : r.libraries)
    libs += (libs.empty() ? "" : ", ") + name + " " + version;
  return {{"machine", r.machine_key + " (" + r.cpu + ")"},
          {"dispatched ISA", r.isa},
          {"compiler", r.compiler},
          {"flags", r.flags},
          {"libraries", libs},
          {"date", r.date.empty() ? "not recorded" : r.date},
          {"host", r.host.empty() ? "not recorded" : r.host},
          {"command", command.empty() ? "not recorded" : command}};
}

// CSS class of a bar: from a fixed list, never from the document.
std::string tone(const std::string& role_or_verdict) {
  for (const char* known :
       {"reference", "isa", "aa", "peer", "pass", "improved", "inconclusive", "regressed"})
    if (role_or_verdict == known) return std::string("b-") + known;
  return "b-other";
}

// ---- SVG bar charts ---------------------------------------------------------------------------

struct bar {
  std::string label;
  double value = 0;
  std::optional<interval> ci;  // whiskers
  std::string css;             // from tone()
  std::string value_text;
};
struct bar_group {
  std::string name;
  std::vector<bar> bars;
  std::optional<double> roofline;  // a dashed line across the group's bars
};
struct axis {
  bool log = false;   // log2 scale (ratios)
  double origin = 0;  // where bars start: 1 for ratios, 0 otherwise
  std::string label;
};

// Horizontal bars grouped under their workload, with the origin line, grid and tick labels.
std::string bar_chart(const axis& ax, std::vector<bar_group> groups) {
  // A log scale cannot place values <= 0 (or non-finite ones): such bars stay in the tables only.
  for (auto& g : groups)
    std::erase_if(
        g.bars, [&](const bar& b) { return !std::isfinite(b.value) || (ax.log && b.value <= 0); });
  std::erase_if(groups, [](const bar_group& g) { return g.bars.empty(); });
  if (groups.empty()) return "<p class=\"none\">nothing to plot</p>\n";

  double lo = ax.origin, hi = ax.origin;
  auto extend = [&](double v) {
    if (std::isfinite(v) && (!ax.log || v > 0)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  for (const auto& g : groups)
    for (const auto& b : g.bars) {
      extend(b.value);
      if (b.ci) {
        extend(b.ci->low);
        extend(b.ci->high);
      }
    }
  for (const auto& g : groups)
    if (g.roofline) extend(*g.roofline);
  std::vector<double> ticks;
  if (ax.log) {
    lo = std::exp2(std::floor(std::log2(lo)));
    hi = std::exp2(std::ceil(std::log2(hi)));
    if (hi <= lo) hi = lo * 2;
    const double decades = std::log2(hi / lo);
    const double step = std::exp2(std::ceil(decades / 8));  // at most ~8 grid lines
    for (int i = 0; lo * std::pow(step, i) <= hi * 1.0001; ++i)
      ticks.push_back(lo * std::pow(step, i));
  } else {
    if (hi <= lo) hi = lo + 1;
    const double raw = (hi - lo) / 6;
    const double p = std::pow(10, std::floor(std::log10(raw)));
    const double step = raw / p < 2 ? 2 * p : raw / p < 5 ? 5 * p : 10 * p;
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    for (int i = 0; lo + i * step <= hi + step / 2; ++i) {
      const double t = lo + i * step;  // from the index, so no rounding accumulates
      ticks.push_back(std::fabs(t) < step / 1e6 ? 0 : t);
    }
  }

  constexpr double width = 1000, x0 = 250, plot = 560, row = 18, head = 22, top = 8;
  auto x = [&](double v) {
    v = std::clamp(v, lo, hi);
    const double f = ax.log ? std::log2(v / lo) / std::log2(hi / lo) : (v - lo) / (hi - lo);
    return x0 + f * plot;
  };
  double height = top;
  for (const auto& g : groups) height += head + row * double(g.bars.size());
  const double axis_y = height + 4;
  height += 40;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << width
      << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' ' << height << "\">\n";
  for (double t : ticks) {
    svg << "<path class=\"grid\" d=\"M" << x(t) << ' ' << top << "V" << axis_y << "\"/>"
        << "<text class=\"tick\" x=\"" << x(t) << "\" y=\"" << axis_y + 14 << "\">"
        << harness::formatted(ax.log ? "%gx" : "%g", t) << "</text>\n";
  }
  svg << "<text class=\"axis\" x=\"" << x0 + plot / 2 << "\" y=\"" << axis_y + 32 << "\">"
      << html_escape(ax.label) << "</text>\n";
  double y = top;
  for (const auto& g : groups) {
    svg << "<text class=\"group\" x=\"4\" y=\"" << y + 15 << "\">" << html_escape(g.name);
    if (g.roofline)
      svg << "<tspan class=\"roof\"> - - roofline " << harness::formatted("%.3g ", *g.roofline)
          << html_escape(ax.label) << "</tspan>";
    svg << "</text>\n";
    y += head;
    if (g.roofline)
      svg << "<path class=\"roof\" d=\"M" << x(*g.roofline) << ' ' << y << "V"
          << y + row * double(g.bars.size()) << "\"/>\n";
    for (const auto& b : g.bars) {
      const double a = x(ax.origin), e = x(b.value);
      const double cy = y + row / 2;
      svg << "<text class=\"label\" x=\"" << x0 - 8 << "\" y=\"" << cy + 4 << "\">"
          << html_escape(b.label) << "</text>";
      svg << "<rect class=\"" << b.css << "\" x=\"" << std::min(a, e) << "\" y=\"" << y + 3
          << "\" width=\"" << std::max(std::fabs(e - a), 1.0) << "\" height=\"" << row - 6
          << "\"><title>" << html_escape(b.label + ": " + b.value_text) << "</title></rect>";
      if (b.ci) {
        const double l = x(b.ci->low), h = x(b.ci->high);
        svg << "<path class=\"ci\" d=\"M" << l << ' ' << cy << "H" << h << "M" << l << ' ' << cy - 4
            << "V" << cy + 4 << "M" << h << ' ' << cy - 4 << "V" << cy + 4 << "\"/>";
      }
      svg << "<text class=\"value\" x=\"" << std::max({a, e, b.ci ? x(b.ci->high) : 0.0}) + 6
          << "\" y=\"" << cy + 4 << "\">" << html_escape(b.value_text) << "</text>\n";
      y += row;
    }
  }
  svg << "<path class=\"origin\" d=\"M" << x(ax.origin) << ' ' << top << "V" << axis_y
      << "\"/>\n</svg>\n";
  return svg.str();
}

// Groups rows of one kernel by workload, in the order they first appear.
template <class Make>
std::vector<bar_group> by_workload(const std::vector<result_row>& rows, const std::string& kernel,
                                   Make&& make) {
  std::vector<bar_group> groups;
  for (const auto& r : rows) {
    if (r.kernel != kernel) continue;
    std::optional<bar> b = make(r);
    if (!b) continue;
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const bar_group& x) { return x.name == r.workload; });
    if (g == groups.end()) g = groups.insert(groups.end(), bar_group{r.workload, {}, std::nullopt});
    g->bars.push_back(std::move(*b));
  }
  return groups;
}

std::vector<std::string> kernels_of(const bench_run& run) {
  std::vector<std::string> kernels;
  for (const auto& r : run.results)
    if (std::find(kernels.begin(), kernels.end(), r.kernel) == kernels.end())
      kernels.push_back(r.kernel);
  return kernels;
}

std::string html_table(const std::vector<std::string>& head,
                       const std::vector<std::vector<std::string>>& rows) {
  std::ostringstream out;
  out << "<table><thead><tr>";
  for (const auto& h : head) out << "<th>" << html_escape(h) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    out << "<tr>";
    for (const auto& c : row) out << "<td>" << html_escape(c) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  return out.str();
}

std::string run_html(const bench_run& run, const std::string& command) {
  std::ostringstream out;
  out << "<section>\n<h2>" << html_escape(run.source) << "</h2>\n<table class=\"kv\">";
  for (const auto& [k, v] : header_cells(run, command))
    out << "<tr><th>" << html_escape(k) << "</th><td>" << html_escape(v) << "</td></tr>";
  out << "</table>\n";

  out << "<h3>Speed-up over the reference (95% interval)</h3>\n";
  for (const auto& kernel : kernels_of(run)) {
    out << "<h4>" << html_escape(kernel) << "</h4>\n";
    out << bar_chart(
        {true, 1, "speed-up over the reference (log scale)"},
        by_workload(run.results, kernel, [](const result_row& r) -> std::optional<bar> {
          if (!r.speedup || (r.role != "isa" && r.role != "aa")) return std::nullopt;
          return bar{r.variant, r.speedup->median, r.speedup, tone(r.role),
                     fmt_speedup(*r.speedup)};
        }));
  }

  out << "<h3>Time per unit against the roofline</h3>\n<p class=\"note\">The dashed line is "
         "the time per unit the measured memory bandwidth allows for the bytes one call moves."
         "</p>\n";
  for (const auto& kernel : kernels_of(run)) {
    std::string unit;
    std::map<std::string, double> roofline;
    auto groups = by_workload(run.results, kernel, [&](const result_row& r) -> std::optional<bar> {
      if (!r.per_unit) return std::nullopt;
      unit = r.unit;
      // roofline_fraction = roofline time / this time, so every row of a workload gives the same.
      if (r.roofline_fraction) roofline[r.workload] = *r.per_unit * *r.roofline_fraction;
      return bar{r.variant, *r.per_unit, std::nullopt, tone(r.role),
                 harness::formatted("%.3g ", *r.per_unit) + r.unit};
    });
    for (auto& g : groups)
      if (const auto it = roofline.find(g.name); it != roofline.end()) g.roofline = it->second;
    out << "<h4>" << html_escape(kernel) << "</h4>\n" << bar_chart({false, 0, unit}, groups);
  }

  out << "<h3>Peers side by side</h3>\n";
  bool any_peer = false;
  for (const auto& r : run.results) any_peer = any_peer || r.role == "peer";
  if (!any_peer) out << "<p class=\"none\">no peer rows in this run (bench --peers)</p>\n";
  for (const auto& kernel : kernels_of(run)) {
    // Each workload that has a peer: the reference, our best ISA, and every peer.
    std::map<std::string, const result_row*> best;
    std::map<std::string, bool> has_peer;
    for (const auto& r : run.results) {
      if (r.kernel != kernel || !r.speedup) continue;
      has_peer[r.workload] = has_peer[r.workload] || r.role == "peer";
      auto& b = best[r.workload];
      if (r.role == "isa" && (!b || r.speedup->median > b->speedup->median)) b = &r;
    }
    auto groups = by_workload(run.results, kernel, [&](const result_row& r) -> std::optional<bar> {
      if (!has_peer[r.workload] || !r.speedup) return std::nullopt;
      if (r.role != "peer" && r.role != "reference" && best[r.workload] != &r) return std::nullopt;
      return bar{r.variant, r.speedup->median, r.speedup, tone(r.role), fmt_speedup(*r.speedup)};
    });
    if (groups.empty()) continue;
    out << "<h4>" << html_escape(kernel) << "</h4>\n"
        << bar_chart({true, 1, "speed-up over the reference (log scale)"}, groups);
  }

  out << "<h3>Baseline verdicts</h3>\n";
  if (!run.baseline_note) {
    out << "<p class=\"none\">no baseline given (bench --baseline or --against)</p>\n";
  } else {
    out << "<p>" << html_escape(*run.baseline_note) << "</p>\n";
    std::vector<bar_group> groups;
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : run.verdicts) {
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](const bar_group& x) { return x.name == v.workload; });
      if (g == groups.end())
        g = groups.insert(groups.end(), bar_group{v.workload, {}, std::nullopt});
      const interval pct{100 * v.change.median, 100 * v.change.low, 100 * v.change.high};
      g->bars.push_back({v.variant + " (" + v.verdict + ")", pct.median, pct, tone(v.verdict),
                         fmt_change(v.change)});
      rows.push_back({v.workload, v.variant, v.verdict, fmt_change(v.change)});
    }
    out << bar_chart({false, 0, "change against the baseline (%; negative: slower)"}, groups)
        << html_table({"workload", "variant", "verdict", "change [95% CI]"}, rows);
  }

  out << "<h3>All results</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : run.results) rows.push_back(result_cells(r));
  out << html_table(result_head, rows) << "</section>\n";
  return out.str();
}

constexpr const char* style = R"(
body { font: 14px/1.4 sans-serif; margin: 24px; color: #222; max-width: 1040px; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 32px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; font-size: 13px; }
td { white-space: nowrap; } table.kv td { white-space: normal; }
table.kv th { background: #f4f4f4; }
.note, .none { color: #666; }
svg.chart { display: block; margin: 4px 0 12px; }
svg text { font: 12px sans-serif; fill: #222; }
svg text.label { text-anchor: end; }
svg text.group { font-weight: bold; }
svg text.tick, svg text.axis { text-anchor: middle; fill: #555; }
svg .grid { stroke: #e4e4e4; }
svg .origin { stroke: #333; stroke-width: 1.5; }
svg .ci { stroke: #111; stroke-width: 1.2; fill: none; }
svg path.roof { stroke: #d22; stroke-width: 2; stroke-dasharray: 4 3; }
svg tspan.roof { fill: #d22; font-weight: normal; }
.b-isa, .b-pass { fill: #3b6ea8; } .b-aa { fill: #9bb0c8; } .b-reference { fill: #999; }
.b-peer { fill: #d08a2e; } .b-improved { fill: #3a9a4a; } .b-inconclusive { fill: #c9a227; }
.b-regressed { fill: #c83232; } .b-other { fill: #777; }
)";

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bench_run parse_bench_run(const json& doc, const std::string& source) {
  if (!doc.is_object()) bad(source, "not a bench JSON document (expected an object)");
  const json& version = member(doc, "schema_version", source);
  if (!version.is_number_integer() || version.get<int64_t>() != 1)
    bad(source, "unsupported schema_version (this report reads 1)");
  bench_run run;
  run.source = source;
  const std::string m = source + " machine";
  const json& machine = member(doc, "machine", source);
  run.machine_key = text(machine, "key", m);
  run.cpu = text(machine, "cpu", m);
  run.isa = text(machine, "isa", m);
  run.compiler = text(machine, "compiler", m);
  run.flags = text(machine, "flags", m);
  const json& libs = member(machine, "libraries", m);
  if (!libs.is_object()) bad(m, "\"libraries\" must be an object");
  for (const auto& [name, v] : libs.items()) {
    if (!v.is_string()) bad(m, "library versions must be strings");
    run.libraries.emplace_back(name, v.get<std::string>());
  }
  if (const auto c = doc.find("context"); c != doc.end() && c->is_object()) {
    const std::string where = source + " context";
    if (c->contains("date")) run.date = text(*c, "date", where);
    if (c->contains("host_name")) run.host = text(*c, "host_name", where);
  }

  // A `bench --against` document has A/B rows instead of results: they are drawn as the
  // verdicts, their change being old time / new time - 1 (negative: slower now).
  const auto ab = doc.find("against");
  const json no_results = json::array();
  const json& results =
      ab != doc.end() && !doc.contains("results") ? no_results : member(doc, "results", source);
  if (!results.is_array()) bad(source, "\"results\" must be an array");
  for (size_t i = 0; i < results.size(); ++i) {
    const json& r = results[i];
    const std::string where = source + " results[" + std::to_string(i) + "]";
    result_row row;
    row.workload = text(r, "workload", where);
    row.kernel = text(r, "kernel", where);
    row.variant = text(r, "variant", where);
    row.role = text(r, "role", where);
    row.status = text(r, "status", where);
    row.unit = text(r, "unit", where);
    const json& verified = member(r, "verified", where);
    if (!verified.is_boolean()) bad(where, "\"verified\" must be true or false");
    row.verified = verified.get<bool>();
    row.median_ns = number_or_null(r, "median_ns", where);
    row.per_unit = number_or_null(r, "per_unit", where);
    row.roofline_fraction = number_or_null(r, "roofline_fraction", where);
    const json& s = member(r, "speedup_vs_reference", where);
    if (!s.is_null()) row.speedup = to_interval(s, where + " speedup_vs_reference");
    run.results.push_back(std::move(row));
  }

  if (const auto b = doc.find("baseline"); b != doc.end()) {
    const std::string where = source + " baseline";
    run.baseline_note = text(*b, "file", where);
    const std::string note = text(*b, "note", where);
    if (!note.empty()) *run.baseline_note += ": " + note;
  }
  if (ab != doc.end()) {
    const std::string where = source + " against";
    const json& rows = member(*ab, "rows", where);
    if (!rows.is_array()) bad(where, "\"rows\" must be an array");
    run.baseline_note = "A/B against " + text(*ab, "base", where) + " (" +
                        text(*ab, "base_version", where) + "): change = old time / new time - 1";
    for (size_t i = 0; i < rows.size(); ++i) {
      const json& e = rows[i];
      const std::string at = where + " rows[" + std::to_string(i) + "]";
      if (text(e, "status", at) != "timed") continue;
      run.verdicts.push_back({text(e, "workload", at), text(e, "variant", at),
                              text(e, "verdict", at),
                              to_interval(member(e, "change", at), at + " change")});
    }
  }
  if (const auto v = doc.find("verdicts"); v != doc.end()) {
    if (!v->is_array()) bad(source, "\"verdicts\" must be an array");
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      const std::string where = source + " verdicts[" + std::to_string(i) + "]";
      run.verdicts.push_back({text(e, "workload", where), text(e, "variant", where),
                              text(e, "verdict", where),
                              to_interval(member(e, "change", where), where + " change")});
    }
  }
  return run;
}

bench_run load_bench_run(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) bad(path, "cannot read");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    bad(path, std::string("not valid JSON: ") + e.what());
  }
  return parse_bench_run(doc, path);
}

std::string render_html(const std::vector<bench_run>& runs, const std::string& command) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>engram-kern performance report</title>\n<style>" << style
      << "</style>\n</head>\n<body>\n<h1>engram-kern performance report</h1>\n";
  for (const auto& run : runs) out << run_html(run, command);
  out << "</body>\n</html>\n";
  return out.str();
}

std::string render_markdown(const std::vector<bench_run>& runs, const std::string& command) {
  // Cells are HTML-escaped (Markdown renders inline HTML) and keep '|' out of the table syntax.
  auto cell = [](const std::string& s) {
    std::string out;
    for (char c : html_escape(s)) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n' || c == '\r')
        out += ' ';
      else
        out += c;
    }
    return out;
  };
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out.append(" ").append(cell(c)).append(" |");
    return out.append("\n");
  };
  auto table = [&](const std::vector<std::string>& head,
                   const std::vector<std::vector<std::string>>& rows) {
    std::string out = line(head) + "|";
    for (size_t i = 0; i < head.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& row : rows) out += line(row);
    return out + "\n";
  };
  std::string out =
      "# engram-kern performance report\n\nGenerated by `engram-kern report` from `engram-kern "
      "bench --format json` output (scripts/performance_report.sh); never edit it by hand.\n\n";
  for (const auto& run : runs) {
    out += "## " + cell(run.source) + "\n\n";
    std::vector<std::vector<std::string>> kv;
    for (const auto& [k, v] : header_cells(run, command)) kv.push_back({k, v});
    out += table({"", ""}, kv);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : run.results) rows.push_back(result_cells(r));
    out += "### Results\n\n" + table(result_head, rows);
    if (run.baseline_note) {
      out += "### Baseline verdicts\n\n" + cell(*run.baseline_note) + "\n\n";
      rows.clear();
      for (const auto& v : run.verdicts)
        rows.push_back({v.workload, v.variant, v.verdict, fmt_change(v.change)});
      out += table({"workload", "variant", "verdict", "change [95% CI]"}, rows);
    }
  }
  return out;
}

}  // namespace ek::report
