// baseline.cpp — JSON (de)serialization of baselines, the atomic write and the validating read.
#include "src/bench/baseline.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <utility>

#include "src/harness/files.hpp"
#include "src/harness/json_text.hpp"
#include "src/harness/safetensors.hpp"

namespace ek::bench {

namespace {

using nlohmann::json;

// Field access that names the field in its error instead of nlohmann's generic type message.
template <class T>
T field(const json& j, const char* name) {
  if (!j.is_object() || !j.contains(name))
    throw std::runtime_error(std::string("malformed: missing field '") + name + "'");
  try {
    const json& value = j.at(name);
    if constexpr (std::is_integral_v<T>) {
      // nlohmann turns a floating-point value into an integer with a plain cast, undefined when
      // out of range (found by fuzz_baseline_file): an integer field must be a JSON integer
      // that fits T.
      const bool fits = value.is_number_unsigned()
                            ? std::in_range<T>(value.get<uint64_t>())
                            : value.is_number_integer() && std::in_range<T>(value.get<int64_t>());
      if (!fits)
        throw std::runtime_error(std::string("malformed: field '") + name +
                                 "' is not an integer in range");
    }
    return value.get<T>();
  } catch (const json::exception&) {
    throw std::runtime_error(std::string("malformed: field '") + name + "' has the wrong type");
  }
}

interval interval_from_json(const json& j) {
  return {field<double>(j, "median"), field<double>(j, "low"), field<double>(j, "high")};
}

}  // namespace

json to_json(const interval& i) { return {{"median", i.median}, {"low", i.low}, {"high", i.high}}; }

json to_json(const machine_info& m) {
  return {{"key", m.key},           {"vendor", m.vendor}, {"family", m.family},
          {"model", m.model},       {"cpu", m.cpu},       {"isa", m.isa},
          {"compiler", m.compiler}, {"flags", m.flags},   {"libraries", m.libraries}};
}

machine_info machine_from_json(const json& j) {
  machine_info m;
  m.key = field<std::string>(j, "key");
  m.vendor = field<std::string>(j, "vendor");
  m.family = field<unsigned>(j, "family");
  m.model = field<unsigned>(j, "model");
  m.cpu = field<std::string>(j, "cpu");
  m.isa = field<std::string>(j, "isa");
  m.compiler = field<std::string>(j, "compiler");
  m.flags = field<std::string>(j, "flags");
  m.libraries = field<std::map<std::string, std::string>>(j, "libraries");
  return m;
}

json to_json(const baseline& b) {
  json results = json::array();
  for (const variant_result& r : b.results) {
    json e = {{"workload", r.workload},
              {"kernel", r.kernel},
              {"variant", r.variant},
              {"role", to_string(r.kind)},
              {"median_ns", r.median_ns},
              {"mad_ns", r.mad_ns},
              {"times_ns", r.times_ns},
              {"speedups", r.speedups},
              {"process_speedups", r.process_speedups}};
    if (r.speedup) e["speedup_vs_reference"] = to_json(*r.speedup);
    results.push_back(std::move(e));
  }
  return {{"schema_version", b.schema_version}, {"kind", "engram-kern baseline"},
          {"machine", to_json(b.machine)},      {"repetitions", b.repetitions},
          {"min_time_s", b.min_time_s},         {"processes", b.processes},
          {"results", std::move(results)}};
}

baseline baseline_from_json(const json& j) {
  if (!j.is_object()) throw std::runtime_error("malformed: not a JSON object");
  baseline b;
  b.schema_version = field<int>(j, "schema_version");
  if (b.schema_version > schema_version)
    throw std::runtime_error("future schema: schema_version " + std::to_string(b.schema_version) +
                             " is newer than this tool's " + std::to_string(schema_version) +
                             " (upgrade engram-kern or regenerate the baseline)");
  if (b.schema_version < schema_version)
    throw std::runtime_error("schema_version " + std::to_string(b.schema_version) +
                             " was timed another way (docs/benchmarking.md, baselines): record "
                             "the baseline again");
  b.machine = machine_from_json(field<json>(j, "machine"));
  b.repetitions = field<int>(j, "repetitions");
  b.min_time_s = field<double>(j, "min_time_s");
  b.processes = field<int>(j, "processes");
  const json results = field<json>(j, "results");
  if (!results.is_array()) throw std::runtime_error("malformed: field 'results' is not an array");
  for (const json& e : results) {
    variant_result r;
    r.workload = field<std::string>(e, "workload");
    r.kernel = field<std::string>(e, "kernel");
    r.variant = field<std::string>(e, "variant");
    const auto kind = field<std::string>(e, "role");
    if (kind == "reference")
      r.kind = role::reference;
    else if (kind == "isa")
      r.kind = role::isa;
    else if (kind == "aa")
      r.kind = role::aa;
    else if (kind == "peer")
      r.kind = role::peer;
    else
      throw std::runtime_error("malformed: unknown role '" + kind + "'");
    r.median_ns = field<double>(e, "median_ns");
    r.mad_ns = field<double>(e, "mad_ns");
    r.times_ns = field<std::vector<double>>(e, "times_ns");
    r.speedups = field<std::vector<double>>(e, "speedups");
    r.process_speedups = field<std::vector<double>>(e, "process_speedups");
    for (const auto* list : {&r.speedups, &r.process_speedups})
      for (double s : *list)
        if (!(s > 0) || !std::isfinite(s))
          throw std::runtime_error("malformed: a speed-up of " + r.workload + " " + r.variant +
                                   " is not a positive finite number");
    if (e.contains("speedup_vs_reference"))
      r.speedup = interval_from_json(e.at("speedup_vs_reference"));
    r.status = "verified";
    r.timed = true;
    b.results.push_back(std::move(r));
  }
  return b;
}

void save_baseline(const baseline& b, const std::string& path) {
  const std::string text = harness::json_text(to_json(b), 2) + "\n";
  try {
    harness::write_file_atomically(path, text);
  } catch (const harness::input_error& e) {
    throw baseline_error(e.what());
  }
}

baseline load_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw baseline_error(path + ": cannot open: " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw baseline_error(path + ": read failed");
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw baseline_error(path + ": not valid JSON: " + e.what());
  }
  try {
    return baseline_from_json(j);
  } catch (const std::runtime_error& e) {
    throw baseline_error(path + ": " + e.what());
  }
}

}  // namespace ek::bench
