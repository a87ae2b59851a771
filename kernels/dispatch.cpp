// dispatch.cpp — fills the kernel tables once and keeps a pointer to the active one. Compiled
// with baseline flags: it copies the per-ISA tables (constant data), never runs ISA code itself.
#include "kernels/dispatch.hpp"

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "kernels/cpu.hpp"
#include "kernels/isa.hpp"
#include "reference/cosine.hpp"
#include "reference/decay.hpp"
#include "reference/spread.hpp"
#include "reference/topk.hpp"

namespace ek::kern {

#define EK_ISA(name, target, arch, features, flags) \
  extern template struct isa_kernels<isa_id::name>;
#include "kernels/isa/registry.def"
#undef EK_ISA

namespace {

// EK_ISA_TARGET is the processor CMake builds for (cmake/ek_isa.cmake), which built the ISA
// objects of the registry entries with that target, and only those.
constexpr bool built(isa_id isa) { return std::string_view(isa_of(isa).target) == EK_ISA_TARGET; }

template <isa_id Isa>
void add_if_built(std::vector<kernel_table>& tables) {
  // Discarded for the other processors' entries, so their instantiations are never referenced.
  if constexpr (built(Isa)) tables.push_back(isa_kernels<Isa>::table);
}

std::vector<kernel_table> build_tables() {
  std::vector<kernel_table> tables{
      {"reference", &ref::cosine, &ref::decay, &ref::spread, &ref::cosine_batch, &ref::topk}};
#define EK_ISA(name, target, arch, features, flags) add_if_built<isa_id::name>(tables);
#include "kernels/isa/registry.def"
#undef EK_ISA
  return tables;
}

const std::vector<kernel_table>& tables() {
  static const std::vector<kernel_table> all = build_tables();
  return all;
}

// The reference runs everywhere; a registry entry where the CPU has every feature it requires.
bool cpu_runs(std::string_view isa) {
  if (isa == "reference") return true;
  const isa_info* entry = find_isa(isa);
  return entry != nullptr && cpu().features.contains(entry->required);
}

const kernel_table& best_table() {
  const kernel_table* best = &tables().front();
  for (const auto& t : tables())
    if (cpu_runs(t.isa)) best = &t;  // tables are ordered weakest to best
  return *best;
}

// A process-wide choice and how it was made, switchable at run time from any thread: the active
// kernel table, and the gather rule.
template <class T>
struct selection {
  selection(T v, engram_isa_source src) : value(v), source(src) {}
  void set(T v, engram_isa_source src) {
    value.store(v, std::memory_order_release);
    source.store(src);
  }
  std::atomic<T> value;
  std::atomic<engram_isa_source> source;
};

selection<const kernel_table*>& initial_selection() {
  static selection<const kernel_table*> s = [] {
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
    return selection<const kernel_table*>(chosen, source);
  }();
  return s;
}

// A rule (gather, prefetch) every value of which gives the same bits: named by `name_of`, read
// once from `variable`, "auto" or unset for `automatic`. Unlike a bad ENGRAM_KERN_ISA, a bad name
// needs no safe side: the automatic rule runs and the source says the variable was refused.
template <class Rule, size_t N>
std::optional<Rule> rule_named(std::string_view name, const Rule (&all)[N],
                               const char* (*name_of)(Rule)) {
  for (const Rule r : all)
    if (name == name_of(r)) return r;
  return std::nullopt;
}

template <class Rule, size_t N>
std::string rule_names(const Rule (&all)[N], const char* (*name_of)(Rule)) {
  std::string names = "auto";
  for (const Rule r : all) names += std::string(", ") + name_of(r);
  return names;
}

template <class Rule>
selection<Rule> rule_from_env(const char* variable, Rule automatic,
                              std::optional<Rule> (*parse)(std::string_view)) {
  const char* env = std::getenv(variable);
  if (env == nullptr || *env == '\0' || std::string_view(env) == "auto")
    return selection<Rule>(automatic, ENGRAM_ISA_AUTO);
  const std::optional<Rule> forced = parse(env);
  return forced ? selection<Rule>(*forced, ENGRAM_ISA_ENV)
                : selection<Rule>(automatic, ENGRAM_ISA_ENV_BAD);
}

template <class Rule>
engram_status set_rule(selection<Rule>& s, const char* name, Rule automatic,
                       std::optional<Rule> (*parse)(std::string_view)) {
  if (name == nullptr || std::string_view(name) == "auto") {
    s.set(automatic, ENGRAM_ISA_AUTO);
    return ENGRAM_OK;
  }
  const std::optional<Rule> r = parse(name);
  if (!r) return ENGRAM_ERR_INVALID_PARAM;
  s.set(*r, ENGRAM_ISA_API);
  return ENGRAM_OK;
}

selection<gather_rule>& initial_gather_selection() {
  static selection<gather_rule> s =
      rule_from_env("ENGRAM_KERN_GATHER", preferred_gather_rule(cpu()).rule, &parse_gather_rule);
  return s;
}

selection<quotient_rule>& initial_quotient_selection() {
  static selection<quotient_rule> s = rule_from_env(
      "ENGRAM_KERN_QUOTIENT", preferred_quotient_rule(cpu()).rule, &parse_quotient_rule);
  return s;
}

selection<prefetch_rule>& initial_prefetch_selection() {
  static selection<prefetch_rule> s =
      rule_from_env("ENGRAM_KERN_PREFETCH", prefetch_rule::by_size, &parse_prefetch_rule);
  return s;
}

}  // namespace

gather_choice preferred_gather_rule(const cpu_info& c) {
  // Zen cores run vpgatherdd as a microcoded sequence: slower than one scalar load per lane while
  // x sits in L1/L2, faster once the loads miss (measured on Zen 5, kernels/spread.hpp). Hygon's
  // Dhyana is a Zen 1 core. Intel's gather was measured on family 6 model 207 only.
  if (c.vendor == "AuthenticAMD" || c.vendor == "HygonGenuine")
    return {gather_rule::by_size, "AMD Zen: scalar loads while x fits in L2, gathers above"};
  if (c.vendor == "GenuineIntel")
    return {gather_rule::hardware, "Intel: gather instruction (measured on family 6 model 207)"};
  return {gather_rule::by_size, "unknown core: the rule measured on AMD Zen"};
}

std::optional<gather_rule> parse_gather_rule(std::string_view name) {
  return rule_named(name, all_gather_rules, &gather_rule_name);
}

std::string known_gather_rule_names() { return rule_names(all_gather_rules, &gather_rule_name); }

gather_rule active_gather_rule() {
  return initial_gather_selection().value.load(std::memory_order_acquire);
}

engram_isa_source active_gather_source() { return initial_gather_selection().source.load(); }

engram_status set_gather_rule(const char* name) {
  return set_rule(initial_gather_selection(), name, preferred_gather_rule(cpu()).rule,
                  &parse_gather_rule);
}

quotient_choice preferred_quotient_rule(const cpu_info& c) {
  // Measured on Zen 5 (family 26): dividing every vector took 0.89x the time of the multiply and
  // check. Intel's cores divide several times slower than they multiply (Agner Fog's tables),
  // and so, by the same tables, do the older Zen cores; neither was measured here.
  if (c.vendor == "AuthenticAMD" && c.family >= 26)
    return {quotient_rule::divide, "AMD Zen 5: vdivps as fast as the multiply and check"};
  return {quotient_rule::reciprocal, "multiply by 1/scale, divide only near half-integers"};
}

std::optional<quotient_rule> parse_quotient_rule(std::string_view name) {
  return rule_named(name, all_quotient_rules, &quotient_rule_name);
}

std::string known_quotient_rule_names() {
  return rule_names(all_quotient_rules, &quotient_rule_name);
}

quotient_rule active_quotient_rule() {
  return initial_quotient_selection().value.load(std::memory_order_relaxed);
}

engram_isa_source active_quotient_source() { return initial_quotient_selection().source.load(); }

engram_status set_quotient_rule(const char* name) {
  return set_rule(initial_quotient_selection(), name, preferred_quotient_rule(cpu()).rule,
                  &parse_quotient_rule);
}

std::optional<prefetch_rule> parse_prefetch_rule(std::string_view name) {
  return rule_named(name, all_prefetch_rules, &prefetch_rule_name);
}

std::string known_prefetch_rule_names() {
  return rule_names(all_prefetch_rules, &prefetch_rule_name);
}

prefetch_rule active_prefetch_rule() {
  return initial_prefetch_selection().value.load(std::memory_order_relaxed);
}

engram_isa_source active_prefetch_source() { return initial_prefetch_selection().source.load(); }

engram_status set_prefetch_rule(const char* name) {
  return set_rule(initial_prefetch_selection(), name, prefetch_rule::by_size, &parse_prefetch_rule);
}

std::span<const kernel_table> compiled_tables() { return tables(); }

const kernel_table* runnable_table(const std::string& isa, engram_status* why) {
  for (const auto& t : tables()) {
    if (isa != t.isa) continue;
    if (cpu_runs(isa)) return &t;
    if (why != nullptr) *why = ENGRAM_ERR_UNSUPPORTED_ISA;
    return nullptr;
  }
  // Not built here: a registry entry for another processor is known, anything else is not.
  if (why != nullptr)
    *why = find_isa(isa) != nullptr ? ENGRAM_ERR_UNSUPPORTED_ISA : ENGRAM_ERR_UNKNOWN_ISA;
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

std::string refused_isa_message(const std::string& origin, const std::string& isa) {
  engram_status why = ENGRAM_ERR_UNKNOWN_ISA;
  if (runnable_table(isa, &why) != nullptr) return {};
  std::string runnable;
  for (const auto& name : runnable_isas()) runnable += (runnable.empty() ? "" : ", ") + name;
  // The two codes in the C ABI's words (engram_status_string), which sits above this layer.
  const char* reason = why == ENGRAM_ERR_UNKNOWN_ISA ? "unknown ISA" : "unsupported ISA";
  return origin + ": " + reason + " (known: " + known_isa_names() + "; runnable here: " + runnable +
         ")";
}

const kernel_table& active() { return *initial_selection().value.load(std::memory_order_acquire); }

engram_isa_source active_source() { return initial_selection().source.load(); }

engram_status set_isa(const char* isa) {
  if (isa == nullptr || std::string(isa) == "auto") {
    initial_selection().set(&best_table(), ENGRAM_ISA_AUTO);
    return ENGRAM_OK;
  }
  engram_status why = ENGRAM_OK;
  const kernel_table* t = runnable_table(isa, &why);
  if (t == nullptr) return why;
  initial_selection().set(t, ENGRAM_ISA_API);
  return ENGRAM_OK;
}

}  // namespace ek::kern
