// arena.hpp — per-thread scratch memory for kernels (spreading): grows from the heap on demand,
// is reused across calls, and is released on thread exit or on request.
#pragma once

#include <cstdint>

namespace ek::kern {

struct arena_stats {
  uint64_t bytes_reserved = 0;    // bytes the calling thread's arena holds now
  uint64_t high_water_bytes = 0;  // most bytes in use at once
  uint64_t growths = 0;           // times it had to take more memory from the heap
};

/// The calling thread's statistics; no lock is taken.
arena_stats thread_arena_stats();

/// Frees the calling thread's arena memory (the next kernel call grows it again).
void release_thread_arena();

}  // namespace ek::kern
