// dispatch.cpp — fills the kernel tables once and keeps a pointer to the active one. Compiled
// with baseline flags: it only names the per-ISA instantiations, never runs ISA code itself.
#include "kernels/dispatch.hpp"

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <xsimd/xsimd.hpp>

#include "kernels/cpu.hpp"
#include "reference/cosine.hpp"
#include "reference/decay.hpp"
#include "reference/spread.hpp"

namespace ek::kern {

#if EK_HAVE_ISA_sse4_2
extern template kernel_table make_kernel_table<xsimd::sse4_2>();
#endif
#if EK_HAVE_ISA_avx2
extern template kernel_table make_kernel_table<xsimd::fma3<xsimd::avx2>>();
#endif
#if EK_HAVE_ISA_avx512
extern template kernel_table make_kernel_table<xsimd::avx512bw>();
#endif
#if EK_HAVE_ISA_neon
extern template kernel_table make_kernel_table<xsimd::neon64>();
#endif

namespace {

std::vector<kernel_table> build_tables() {
  std::vector<kernel_table> tables{{"reference", &ref::cosine, &ref::decay, &ref::spread}};
#if EK_HAVE_ISA_sse4_2
  tables.push_back(make_kernel_table<xsimd::sse4_2>());
#endif
#if EK_HAVE_ISA_avx2
  tables.push_back(make_kernel_table<xsimd::fma3<xsimd::avx2>>());
#endif
#if EK_HAVE_ISA_avx512
  tables.push_back(make_kernel_table<xsimd::avx512bw>());
#endif
#if EK_HAVE_ISA_neon
  tables.push_back(make_kernel_table<xsimd::neon64>());
#endif
  return tables;
}

const std::vector<kernel_table>& tables() {
  static const std::vector<kernel_table> all = build_tables();
  return all;
}

bool cpu_runs(const std::string& isa) {
  std::vector<std::string> required;
  if (!isa_requirements(isa, required)) return false;
  for (const auto& feature : required)
    if (!cpu().has(feature)) return false;
  return true;
}

const kernel_table& best_table() {
  const kernel_table* best = &tables().front();
  for (const auto& t : tables())
    if (cpu_runs(t.isa)) best = &t;  // tables are ordered weakest to best
  return *best;
}

struct selection {
  selection(const kernel_table* t, engram_isa_source src) : table(t), source(src) {}
  std::atomic<const kernel_table*> table;
  std::atomic<engram_isa_source> source;
};

selection& initial_selection() {
  static selection s = [] {
    const char* env = std::getenv("ENGRAM_KERN_ISA");
    const kernel_table* chosen = &best_table();
    engram_isa_source source = ENGRAM_ISA_AUTO;
    if (env != nullptr && *env != '\0' && std::string(env) != "auto") {
      // A name that cannot run falls back to the reference kernels, the safe side: whoever set
      // the variable wanted *less* than the default, and the reference is always correct.
      const kernel_table* forced = runnable_table(env);
      chosen = forced != nullptr ? forced : &tables().front();
      source = forced != nullptr ? ENGRAM_ISA_ENV : ENGRAM_ISA_ENV_BAD;
    }
    return selection(chosen, source);
  }();
  return s;
}

struct gather_selection {
  gather_selection(gather_policy p, engram_isa_source src) : policy(p), source(src) {}
  std::atomic<gather_policy> policy;
  std::atomic<engram_isa_source> source;
};

gather_selection& initial_gather_selection() {
  static gather_selection s = [] {
    const gather_policy preferred = preferred_gather_policy(cpu()).policy;
    const char* env = std::getenv("ENGRAM_KERN_GATHER");
    if (env == nullptr || *env == '\0' || std::string_view(env) == "auto")
      return gather_selection(preferred, ENGRAM_ISA_AUTO);
    // Unlike a bad ENGRAM_KERN_ISA, a bad policy name needs no safe side: both policies give the
    // same bits, so the CPU's preference runs and the source says the variable was refused.
    const std::optional<gather_policy> forced = parse_gather_policy(env);
    return forced ? gather_selection(*forced, ENGRAM_ISA_ENV)
                  : gather_selection(preferred, ENGRAM_ISA_ENV_BAD);
  }();
  return s;
}

}  // namespace

gather_choice preferred_gather_policy(const cpu_info& c) {
  // Zen cores run vpgatherdd as a long microcoded sequence; one scalar load per lane goes through
  // their load ports faster (measured on Zen 5; Zen 2-4 by the published instruction tables).
  // Hygon's Dhyana is a Zen 1 core.
  if (c.vendor == "AuthenticAMD" || c.vendor == "HygonGenuine")
    return {gather_policy::lanes, "AMD Zen: microcoded gathers, scalar loads are faster"};
  if (c.vendor == "GenuineIntel")
    return {gather_policy::hardware, "Intel: gather instruction (measured on family 6 model 207)"};
  return {gather_policy::lanes, "unknown core: scalar loads, the choice that is never slow"};
}

std::optional<gather_policy> parse_gather_policy(std::string_view name) {
  for (uint8_t i = 0; i < gather_policy_count; ++i) {
    const auto p = static_cast<gather_policy>(i);
    if (name == gather_policy_name(p)) return p;
  }
  return std::nullopt;
}

gather_policy active_gather_policy() {
  return initial_gather_selection().policy.load(std::memory_order_relaxed);
}

engram_isa_source active_gather_source() { return initial_gather_selection().source.load(); }

engram_status set_gather_policy(const char* name) {
  gather_selection& s = initial_gather_selection();
  if (name == nullptr || std::string_view(name) == "auto") {
    s.policy.store(preferred_gather_policy(cpu()).policy);
    s.source.store(ENGRAM_ISA_AUTO);
    return ENGRAM_OK;
  }
  const std::optional<gather_policy> p = parse_gather_policy(name);
  if (!p) return ENGRAM_ERR_INVALID_PARAM;
  s.policy.store(*p);
  s.source.store(ENGRAM_ISA_API);
  return ENGRAM_OK;
}

std::span<const kernel_table> compiled_tables() { return tables(); }

const kernel_table* runnable_table(const std::string& isa, engram_status* why) {
  for (const auto& t : tables()) {
    if (isa != t.isa) continue;
    if (cpu_runs(isa)) return &t;
    if (why != nullptr) *why = ENGRAM_ERR_UNSUPPORTED_ISA;
    return nullptr;
  }
  std::vector<std::string> unused;
  if (why != nullptr)
    *why = isa_requirements(isa, unused) ? ENGRAM_ERR_UNSUPPORTED_ISA : ENGRAM_ERR_UNKNOWN_ISA;
  return nullptr;
}

std::vector<std::string> runnable_isas() {
  std::vector<std::string> names;
  for (const auto& t : tables())
    if (cpu_runs(t.isa)) names.emplace_back(t.isa);
  return names;
}

std::string known_isa_names() {
  std::string names;
  for (const auto& t : tables()) names += (names.empty() ? "" : ", ") + std::string(t.isa);
  return names;
}

const kernel_table& active() { return *initial_selection().table.load(std::memory_order_acquire); }

engram_isa_source active_source() { return initial_selection().source.load(); }

engram_status set_isa(const char* isa) {
  selection& s = initial_selection();
  if (isa == nullptr || std::string(isa) == "auto") {
    s.table.store(&best_table(), std::memory_order_release);
    s.source.store(ENGRAM_ISA_AUTO);
    return ENGRAM_OK;
  }
  engram_status why = ENGRAM_OK;
  const kernel_table* t = runnable_table(isa, &why);
  if (t == nullptr) return why;
  s.table.store(t, std::memory_order_release);
  s.source.store(ENGRAM_ISA_API);
  return ENGRAM_OK;
}

}  // namespace ek::kern
