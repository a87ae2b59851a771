// guard_pages_test.cpp — guarded buffers: placement flush against the guard, faults one byte
// beyond either end and on writes to read-only inputs (death tests), moves, typed views.
#include "src/harness/guard_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace ek::harness {
namespace {

// volatile: the compiler may not drop or fold the faulting access.
uint8_t read_at(const std::byte* p) { return static_cast<uint8_t>(*(volatile const std::byte*)p); }
void write_at(std::byte* p) { *(volatile std::byte*)p = std::byte{1}; }

TEST(GuardPages, DataTouchesTheGuard) {
  for (size_t n : {size_t{1}, size_t{3}, size_t{4096}, size_t{5000}}) {
    guarded_buffer after(n, guard_side::after);
    ASSERT_EQ(after.size(), n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(after.data() + n) % page_size(), 0u);
    guarded_buffer before(n, guard_side::before);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(before.data()) % page_size(), 0u);
    // Every byte is usable and zero-filled.
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(read_at(after.data() + i), 0);
      write_at(after.data() + i);
      write_at(before.data() + i);
    }
  }
}

TEST(GuardPagesDeathTest, ReadPastTheEndFaults) {
  guarded_buffer b(13, guard_side::after);
  read_at(b.data() + 12);
  EXPECT_DEATH(read_at(b.data() + 13), "");
}

TEST(GuardPagesDeathTest, ReadBeforeTheStartFaults) {
  guarded_buffer b(13, guard_side::before);
  read_at(b.data());
  EXPECT_DEATH(read_at(b.data() - 1), "");
}

TEST(GuardPagesDeathTest, EmptyBufferPointsAtTheGuard) {
  guarded_buffer b(0, guard_side::after);
  EXPECT_DEATH(read_at(b.data()), "");
}

TEST(GuardPagesDeathTest, ReadOnlyInputRejectsWrites) {
  const std::vector<float> values{1, 2, 3};
  guarded_buffer b = guarded_copy(std::span<const float>(values), guard_side::after, true);
  EXPECT_EQ(b.as<const float>()[2], 3.0f);
  EXPECT_DEATH(write_at(b.data()), "");
  b.make_writable();
  b.as<float>()[0] = 5;
  EXPECT_EQ(b.as<float>()[0], 5.0f);
}

TEST(GuardPages, MoveTransfersOwnership) {
  guarded_buffer a(8);
  std::byte* p = a.data();
  guarded_buffer b = std::move(a);
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(b.size(), 8u);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state
  EXPECT_EQ(a.size(), 0u);
  guarded_buffer c(16, guard_side::before);
  c = std::move(b);
  EXPECT_EQ(c.data(), p);
  EXPECT_EQ(c.side(), guard_side::after);
}

TEST(GuardPages, TypedViewsCheckSizeAndAlignment) {
  guarded_buffer b(12);
  EXPECT_EQ(b.as<float>().size(), 3u);
  EXPECT_THROW(b.as<uint64_t>(), std::logic_error);  // 12 is not a multiple of 8
  const std::vector<uint64_t> v{1, 2};
  const auto g = guarded_copy(std::span<const uint64_t>(v));
  EXPECT_EQ(g.as<uint64_t>()[1], 2u);
}

}  // namespace
}  // namespace ek::harness
