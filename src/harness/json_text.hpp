// json_text.hpp — the one way engram-kern turns JSON into text: stdout documents, baselines,
// workload headers. Strings from outside (arguments, paths, a file's bytes quoted in an error)
// may hold invalid UTF-8, on which nlohmann::json::dump throws; an uncaught throw aborts the tool.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ek::harness {

/// `value` as JSON text (indent < 0: one line); an invalid UTF-8 byte in a string becomes U+FFFD.
inline std::string json_text(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ek::harness
