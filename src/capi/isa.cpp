// isa.cpp — the ISA controls and the thread arena of the C ABI: thin wrappers over
// kernels/dispatch.hpp and kernels/arena.hpp.
#include <string>

#include "engram_kern.h"
#include "kernels/arena.hpp"
#include "kernels/dispatch.hpp"
#include "src/capi/validate.hpp"

extern "C" const char* engram_active_isa(void) {
  try {
    return ek::kern::active().isa;
  } catch (...) {
    // Only the first call can throw (building the tables); it is retried on the next call.
    return "unknown";
  }
}

extern "C" engram_isa_source engram_active_isa_source(void) {
  try {
    return ek::kern::active_source();
  } catch (...) {
    return ENGRAM_ISA_AUTO;
  }
}

extern "C" engram_status engram_runnable_isas(const char** names, size_t capacity, size_t* count) {
  using namespace ek::capi;
  return guarded([&] {
    if (count == nullptr || (names == nullptr && capacity != 0)) return ENGRAM_ERR_NULL_POINTER;
    const auto name_bytes = checked_mul(capacity, sizeof(const char*));
    if (!name_bytes) return ENGRAM_ERR_SIZE_OVERFLOW;
    if (overlaps(names, *name_bytes, count, sizeof(size_t))) return ENGRAM_ERR_OVERLAP;
    // The tables' names are static strings, unlike the std::strings of runnable_isas(), so they
    // can be handed to C. Tables are ordered weakest to best, as the header promises.
    size_t runnable = 0;
    for (const ek::kernel_table& t : ek::kern::compiled_tables()) {
      if (ek::kern::runnable_table(t.isa) == nullptr) continue;
      if (runnable < capacity) names[runnable] = t.isa;
      ++runnable;
    }
    *count = runnable;
    return ENGRAM_OK;
  });
}

extern "C" engram_status engram_set_isa(const char* name) {
  return ek::capi::guarded([&] { return ek::kern::set_isa(name); });
}

extern "C" const char* engram_active_gather_policy(void) {
  try {
    return ek::kern::gather_rule_name(ek::kern::active_gather_rule());
  } catch (...) {
    return "unknown";  // as engram_active_isa: only a first call that fails to detect can throw
  }
}

extern "C" engram_isa_source engram_active_gather_policy_source(void) {
  try {
    return ek::kern::active_gather_source();
  } catch (...) {
    return ENGRAM_ISA_AUTO;
  }
}

extern "C" engram_status engram_set_gather_policy(const char* name) {
  return ek::capi::guarded([&] { return ek::kern::set_gather_rule(name); });
}

extern "C" engram_status engram_arena_get_stats(engram_arena_stats* stats) {
  return ek::capi::guarded([&] {
    if (stats == nullptr) return ENGRAM_ERR_NULL_POINTER;
    if (stats->struct_size < sizeof(engram_arena_stats)) return ENGRAM_ERR_INVALID_PARAM;
    const ek::kern::arena_stats s = ek::kern::thread_arena_stats();
    stats->bytes_reserved = s.bytes_reserved;
    stats->high_water_bytes = s.high_water_bytes;
    stats->growths = s.growths;
    return ENGRAM_OK;
  });
}

extern "C" void engram_arena_release(void) {
  try {
    ek::kern::release_thread_arena();
  } catch (...) {
    // Releasing only frees memory; nothing here can be reported through a void C function.
  }
}
