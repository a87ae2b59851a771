// fuzz_baseline_file.cpp — the baseline-file reader under attack: arbitrary bytes, read-only and
// flush against a guard page, parsed as JSON and read by ek::bench::baseline_from_json (what
// load_baseline runs). A document is refused with std::runtime_error (naming the problem), or it
// loads, and then saves and loads again to the same document.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.hpp"
#include "src/bench/baseline.hpp"
#include "src/harness/json_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ek::fuzz::guarded_input slot(ek::harness::guard_side::after);
  const auto* text = slot.place(std::span<const uint8_t>(data, size));
  const auto document = nlohmann::json::parse(text, text + size, nullptr, false);
  if (document.is_discarded()) return 0;  // load_baseline reports "not valid JSON"
  ek::bench::baseline loaded;
  try {
    loaded = ek::bench::baseline_from_json(document);
  } catch (const std::runtime_error&) {
    return 0;  // refused, naming the problem: what load_baseline turns into a baseline_error
  }
  // What loads must save and load again unchanged (compared as text: NaN never equals itself).
  const std::string saved = ek::harness::json_text(ek::bench::to_json(loaded));
  std::string resaved;
  try {
    resaved = ek::harness::json_text(
        ek::bench::to_json(ek::bench::baseline_from_json(nlohmann::json::parse(saved))));
  } catch (const std::exception& e) {
    ek::fuzz::violation("baseline_from_json", "-",
                        std::string("a loaded baseline fails to load after saving: ") + e.what());
  }
  if (resaved != saved)
    ek::fuzz::violation("baseline_from_json", "-", "a loaded baseline changes after save and load");
  return 0;
}
