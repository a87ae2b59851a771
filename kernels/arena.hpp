// arena.hpp — per-thread scratch memory for kernels (spreading; the aligned query copy of the batch
// and top-k; the row scales of the int8 quantization): grows from the heap on demand, is reused
// across calls, and is released on thread exit or on request.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ek::kern {

struct arena_stats {
  uint64_t bytes_reserved = 0;    // bytes the calling thread's arena holds now
  uint64_t high_water_bytes = 0;  // most bytes in use at once
  uint64_t growths = 0;           // times it had to take more memory from the heap
};

/// The calling thread's statistics; no lock is taken. The high-water mark and the growth count
/// cover the thread's whole life (release_thread_arena does not reset them).
arena_stats thread_arena_stats();

/// Frees the calling thread's arena memory (the next kernel call grows it again). Called while a
/// scope is open on this thread, the memory is freed when the outermost scope ends.
void release_thread_arena();

/// Alignment of every block handed out: a cache line, and a whole AVX-512 vector.
inline constexpr size_t arena_alignment = 64;

/// Scratch for one kernel call on the calling thread's arena. Everything taken through a scope is
/// given back (and stays reserved for the next call) when the scope ends; scopes nest. A call
/// whose sizes were seen before takes no memory from the heap. Not for sharing across threads.
///
/// Two pools: plain memory (uninitialized) and zeroed memory. The arena keeps the zeroed pool all
/// zero between scopes, so a kernel that needs a large zeroed array pays only for the entries it
/// touches: the contract is that the caller writes zeros back to every byte it changed before
/// the scope ends.
class arena_scope {
 public:
  arena_scope() noexcept;
  ~arena_scope();
  arena_scope(const arena_scope&) = delete;
  arena_scope& operator=(const arena_scope&) = delete;

  /// count * size uninitialized bytes, aligned to arena_alignment. Throws std::bad_alloc (also
  /// when count * size overflows). count == 0 gives a valid, unique, unreadable pointer.
  void* take(size_t count, size_t size);
  /// As take, but every byte is zero; the caller must leave it zero (see above).
  void* take_zeroed(size_t count, size_t size);

 private:
  struct pool_mark {
    uint64_t generation;
    size_t offset;
    size_t live;
  };
  pool_mark marks_[2];
};

}  // namespace ek::kern
