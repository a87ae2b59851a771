// guard_pages.hpp — buffers whose bytes sit flush against a PROT_NONE page, so a kernel that
// reads or writes one byte past the end (or before the start) faults at once instead of reading
// a neighbour's memory. POSIX (mmap/mprotect); used by verify and the fuzz harnesses.
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <stdexcept>

namespace ek::harness {

/// Which end of the buffer touches the guard page.
enum class guard_side {
  after,   // the last byte is followed by the guard page (over-reads fault)
  before,  // the first byte is preceded by the guard page (under-reads fault); data page-aligned
};

/// A mapping of whole pages: the guard page plus enough readable pages for `size` bytes, placed
/// so the bytes touch the guard. With guard_side::after the start address is page_end - size, so
/// its alignment follows size (a float array of n elements is 4-byte aligned). Size 0 is valid:
/// with guard_side::after data() points at the guard itself, so any access faults. Movable, not
/// copyable; a moved-from buffer is empty with data() == nullptr.
class guarded_buffer {
 public:
  guarded_buffer() = default;
  /// Maps the pages (zero-filled); throws std::system_error when mmap/mprotect fail.
  explicit guarded_buffer(size_t bytes, guard_side side = guard_side::after);
  ~guarded_buffer();
  guarded_buffer(guarded_buffer&& other) noexcept;
  guarded_buffer& operator=(guarded_buffer&& other) noexcept;
  guarded_buffer(const guarded_buffer&) = delete;
  guarded_buffer& operator=(const guarded_buffer&) = delete;

  std::byte* data() { return data_; }
  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  guard_side side() const { return side_; }

  /// mprotect the data pages PROT_READ (inputs: a kernel writing into them faults) or back.
  void make_read_only();
  void make_writable();

  /// The bytes as an array of T; throws std::logic_error unless size() is a multiple of
  /// sizeof(T) and data() is aligned for T.
  template <class T>
  std::span<T> as() {
    check_view(sizeof(T), alignof(T));
    return {reinterpret_cast<T*>(data_), size_ / sizeof(T)};
  }
  template <class T>
  std::span<const T> as() const {
    check_view(sizeof(T), alignof(T));
    return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)};
  }

 private:
  void check_view(size_t element_size, size_t alignment) const;
  void protect(int prot);

  std::byte* map_ = nullptr;  // the whole mapping, guard included
  size_t map_size_ = 0;
  std::byte* data_ = nullptr;
  size_t size_ = 0;
  guard_side side_ = guard_side::after;
};

/// A guarded copy of `values` (the trivially copyable elements of an input or output array).
template <class T>
guarded_buffer guarded_copy(std::span<const T> values, guard_side side = guard_side::after,
                            bool read_only = false) {
  guarded_buffer b(values.size_bytes(), side);
  if (!values.empty()) std::memcpy(b.data(), values.data(), values.size_bytes());
  if (read_only) b.make_read_only();
  return b;
}

/// The system page size.
size_t page_size();

}  // namespace ek::harness
