// arena_test.cpp — the thread arena: growth from the heap, reuse without growth, the high-water
// mark, release, the zeroed pool's contract, nesting, and independence between threads.
#include "kernels/arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <thread>

namespace {

using ek::kern::arena_scope;
using ek::kern::arena_stats;
using ek::kern::release_thread_arena;
using ek::kern::thread_arena_stats;

// Each test starts from an empty arena; the lifetime counters keep running, so tests compare
// differences.
class arena : public testing::Test {
 protected:
  void SetUp() override { release_thread_arena(); }
  void TearDown() override { release_thread_arena(); }
};

bool aligned(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % ek::kern::arena_alignment == 0;
}

TEST_F(arena, grows_on_demand_and_reuses_without_growth) {
  const arena_stats before = thread_arena_stats();
  EXPECT_EQ(before.bytes_reserved, 0u);
  {
    arena_scope scope;
    void* p = scope.take(1000, sizeof(float));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned(p));
    std::memset(p, 0xab, 1000 * sizeof(float));
  }
  const arena_stats first = thread_arena_stats();
  EXPECT_EQ(first.growths, before.growths + 1);
  EXPECT_GE(first.bytes_reserved, 1000 * sizeof(float));
  for (int call = 0; call < 5; ++call) {
    arena_scope scope;
    EXPECT_TRUE(aligned(scope.take(1000, sizeof(float))));
  }
  EXPECT_EQ(thread_arena_stats().growths, first.growths);
  EXPECT_EQ(thread_arena_stats().bytes_reserved, first.bytes_reserved);
}

// A call that outgrows its block mid-way keeps its earlier blocks alive (pointers stay valid) and,
// at its end, consolidates into one block: the same call then runs without growth.
TEST_F(arena, a_call_that_grew_runs_again_without_growth) {
  const size_t big = size_t{3} << 20;
  auto call = [&] {
    arena_scope scope;
    auto* a = static_cast<unsigned char*>(scope.take(big, 1));
    std::memset(a, 1, big);
    auto* b = static_cast<unsigned char*>(scope.take(2 * big, 1));
    std::memset(b, 2, 2 * big);
    auto* c = static_cast<unsigned char*>(scope.take(big, 1));
    std::memset(c, 3, big);
    EXPECT_EQ(a[big - 1], 1);  // the earlier blocks are still ours
    EXPECT_EQ(b[0], 2);
  };
  const uint64_t start = thread_arena_stats().growths;
  call();
  const arena_stats after_first = thread_arena_stats();
  EXPECT_GT(after_first.growths, start);
  EXPECT_GE(after_first.bytes_reserved, 4 * big);
  call();
  call();
  EXPECT_EQ(thread_arena_stats().growths, after_first.growths);
}

TEST_F(arena, high_water_mark_is_the_most_in_use_at_once) {
  const uint64_t mark = size_t{40} << 20;  // above anything earlier tests held
  {
    arena_scope scope;
    scope.take(mark / 2, 1);
    {
      arena_scope inner;
      inner.take(mark / 2, 1);
    }
    scope.take(mark / 4, 1);  // reuses the inner scope's bytes: not a new maximum
  }
  const arena_stats s = thread_arena_stats();
  EXPECT_GE(s.high_water_bytes, mark);
  EXPECT_LT(s.high_water_bytes, mark + mark / 8);
}

TEST_F(arena, release_frees_everything_and_the_next_call_grows_again) {
  {
    arena_scope scope;
    scope.take(1 << 20, 1);
    scope.take_zeroed(1 << 20, 1);
  }
  EXPECT_GE(thread_arena_stats().bytes_reserved, 2u << 20);
  release_thread_arena();
  EXPECT_EQ(thread_arena_stats().bytes_reserved, 0u);
  const uint64_t growths = thread_arena_stats().growths;
  {
    arena_scope scope;
    scope.take(10, 1);
  }
  EXPECT_EQ(thread_arena_stats().growths, growths + 1);
}

TEST_F(arena, release_inside_a_scope_waits_for_its_end) {
  {
    arena_scope scope;
    auto* p = static_cast<char*>(scope.take(4096, 1));
    release_thread_arena();
    std::memset(p, 7, 4096);  // still ours (ASan would catch a use after free)
    EXPECT_GT(thread_arena_stats().bytes_reserved, 0u);
  }
  EXPECT_EQ(thread_arena_stats().bytes_reserved, 0u);
}

TEST_F(arena, zeroed_memory_is_zero_and_stays_zero_when_callers_restore_it) {
  const size_t n = 100000;
  for (int call = 0; call < 3; ++call) {
    arena_scope scope;
    auto* z = static_cast<uint32_t*>(scope.take_zeroed(n, sizeof(uint32_t)));
    EXPECT_TRUE(aligned(z));
    size_t nonzero = 0;
    for (size_t i = 0; i < n; ++i) nonzero += z[i] != 0;
    EXPECT_EQ(nonzero, 0u) << "call " << call;
    for (size_t i = 0; i < n; i += 97) z[i] = 0xffffffffu;  // dirty, then restore, as promised
    for (size_t i = 0; i < n; i += 97) z[i] = 0;
  }
}

TEST_F(arena, zero_count_gives_distinct_pointers_and_overflow_throws) {
  arena_scope scope;
  void* a = scope.take(0, 8);
  void* b = scope.take(0, 8);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(a, b);
  EXPECT_THROW(scope.take(SIZE_MAX / 2, 4), std::bad_alloc);
  EXPECT_THROW(scope.take_zeroed(SIZE_MAX / 2, 4), std::bad_alloc);
}

TEST_F(arena, each_thread_has_its_own_arena) {
  {
    arena_scope scope;
    scope.take(1 << 20, 1);
  }
  const arena_stats mine = thread_arena_stats();
  arena_stats theirs_fresh, theirs_used;
  std::thread other([&] {
    theirs_fresh = thread_arena_stats();
    {
      arena_scope scope;
      scope.take(5 << 20, 1);
    }
    theirs_used = thread_arena_stats();
  });
  other.join();
  EXPECT_EQ(theirs_fresh.bytes_reserved, 0u);
  EXPECT_EQ(theirs_fresh.growths, 0u);
  EXPECT_EQ(theirs_fresh.high_water_bytes, 0u);
  EXPECT_GE(theirs_used.bytes_reserved, 5u << 20);
  EXPECT_EQ(theirs_used.growths, 1u);
  // The other thread's work changed nothing here (its arena was freed when it exited).
  const arena_stats now = thread_arena_stats();
  EXPECT_EQ(now.bytes_reserved, mine.bytes_reserved);
  EXPECT_EQ(now.growths, mine.growths);
  EXPECT_EQ(now.high_water_bytes, mine.high_water_bytes);
}

}  // namespace
