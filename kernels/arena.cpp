// arena.cpp — the thread arena: per thread, two bump-allocated pools (plain and zeroed) whose
// blocks grow from the heap on demand and are consolidated, at the end of the outermost scope,
// into one block large enough for the whole call, so the same call never grows again.
#include "kernels/arena.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace ek::kern {

namespace {

constexpr size_t min_block_bytes = size_t{64} << 10;

size_t round_up(size_t bytes, size_t to) { return (bytes + to - 1) / to * to; }

struct block {
  void* raw = nullptr;  // what malloc/calloc returned
  std::byte* base = nullptr;
  size_t size = 0;
};

// A bump allocator over one current block. Blocks outgrown inside a scope are retired, not
// freed: allocations still point into them until the outermost scope ends.
struct pool {
  bool zeroed = false;
  block current;
  size_t offset = 0;        // bytes used in the current block
  uint64_t generation = 0;  // bumped on every new current block, so a scope can tell it moved
  size_t live = 0;          // bytes in use in this pool, retired blocks included
  size_t peak = 0;          // most bytes in use during the current outermost scope
  std::vector<block> retired;

  // calloc, not malloc + memset: large zeroed blocks then come straight from the kernel's zero
  // pages and cost nothing until touched.
  bool acquire(size_t size) {
    void* raw =
        zeroed ? std::calloc(size + arena_alignment, 1) : std::malloc(size + arena_alignment);
    if (raw == nullptr) return false;
    const auto address = reinterpret_cast<uintptr_t>(raw);
    current.raw = raw;
    current.base = static_cast<std::byte*>(raw) + (round_up(address, arena_alignment) - address);
    current.size = size;
    offset = 0;
    ++generation;
    return true;
  }

  void free_current() {
    std::free(current.raw);
    current = block{};
    offset = 0;
  }

  void free_retired() {
    for (const block& b : retired) std::free(b.raw);
    retired.clear();
  }

  size_t reserved() const {
    size_t bytes = current.size;
    for (const block& b : retired) bytes += b.size;
    return bytes;
  }
};

struct thread_arena {
  pool pools[2];  // [0] plain, [1] zeroed
  unsigned depth = 0;
  bool release_pending = false;
  uint64_t high_water = 0;
  uint64_t growths = 0;

  thread_arena() { pools[1].zeroed = true; }
  ~thread_arena() { release(); }

  void release() {
    for (pool& p : pools) {
      p.free_retired();
      p.free_current();
    }
  }

  void* take(pool& p, size_t count, size_t size) {
    if (size != 0 && count > (SIZE_MAX - 2 * arena_alignment) / size) throw std::bad_alloc();
    // Whole cache lines keep every block aligned, and make a 0-byte request a unique pointer.
    const size_t bytes = round_up(std::max<size_t>(count * size, 1), arena_alignment);
    if (p.current.size - p.offset < bytes) grow(p, bytes);
    void* out = p.current.base + p.offset;
    p.offset += bytes;
    p.live += bytes;
    p.peak = std::max(p.peak, p.live);
    high_water = std::max<uint64_t>(high_water, pools[0].live + pools[1].live);
    return out;
  }

  void grow(pool& p, size_t bytes) {
    if (bytes > SIZE_MAX / 4 || p.live > SIZE_MAX / 4 - bytes) throw std::bad_alloc();
    // Enough for everything this scope holds plus the request, so that (after consolidation at
    // scope end) the next identical call fits; doubling bounds the growths of a rising workload.
    const size_t size =
        std::max({min_block_bytes, round_up(p.live + bytes, 4096), 2 * p.current.size});
    p.retired.reserve(p.retired.size() + 1);  // may throw; nothing has changed yet
    const block old = p.current;
    if (!p.acquire(size)) throw std::bad_alloc();
    if (old.raw != nullptr) p.retired.push_back(old);
    ++growths;
  }

  // End of the outermost scope: free retired blocks and make the current block hold the whole
  // peak, so the next identical call takes nothing from the heap. A failed allocation here is not
  // an error (the next call grows instead), so nothing can throw from a destructor.
  void consolidate() {
    for (pool& p : pools) {
      const bool grew = !p.retired.empty();
      p.free_retired();
      if (grew && p.peak > p.current.size) {
        p.free_current();
        p.acquire(round_up(p.peak, 4096));
      }
      p.peak = 0;
    }
    if (release_pending) {
      release();
      release_pending = false;
    }
  }
};

thread_local thread_arena local_arena;

}  // namespace

arena_stats thread_arena_stats() {
  const thread_arena& a = local_arena;
  return {a.pools[0].reserved() + a.pools[1].reserved(), a.high_water, a.growths};
}

void release_thread_arena() {
  thread_arena& a = local_arena;
  if (a.depth == 0)
    a.release();
  else
    a.release_pending = true;
}

arena_scope::arena_scope() noexcept {
  thread_arena& a = local_arena;
  for (int i = 0; i < 2; ++i)
    marks_[i] = {a.pools[i].generation, a.pools[i].offset, a.pools[i].live};
  ++a.depth;
}

arena_scope::~arena_scope() {
  thread_arena& a = local_arena;
  for (int i = 0; i < 2; ++i) {
    pool& p = a.pools[i];
    // If the pool moved to a new block inside this scope, everything in that block is ours.
    p.offset = p.generation == marks_[i].generation ? marks_[i].offset : 0;
    p.live = marks_[i].live;
  }
  if (--a.depth == 0) a.consolidate();
}

void* arena_scope::take(size_t count, size_t size) {
  thread_arena& a = local_arena;
  return a.take(a.pools[0], count, size);
}

void* arena_scope::take_zeroed(size_t count, size_t size) {
  thread_arena& a = local_arena;
  return a.take(a.pools[1], count, size);
}

}  // namespace ek::kern
