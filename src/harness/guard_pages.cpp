// guard_pages.cpp — mmap-backed guarded buffers: one PROT_NONE page at the chosen end, the data
// placed flush against it.
#include "src/harness/guard_pages.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>
#include <utility>

namespace ek::harness {

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

guarded_buffer::guarded_buffer(size_t bytes, guard_side side) : size_(bytes), side_(side) {
  const size_t page = page_size();
  if (bytes > SIZE_MAX - 2 * page) throw std::bad_alloc();
  // At least one data page, so that even an empty buffer's data() lies inside the mapping.
  const size_t data_pages = bytes == 0 ? page : (bytes + page - 1) / page * page;
  map_size_ = data_pages + page;
  void* p = mmap(nullptr, map_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
  map_ = static_cast<std::byte*>(p);
  std::byte* guard = side == guard_side::after ? map_ + data_pages : map_;
  if (mprotect(guard, page, PROT_NONE) != 0) {
    const int err = errno;
    munmap(map_, map_size_);
    throw std::system_error(err, std::generic_category(), "mprotect");
  }
  data_ = side == guard_side::after ? guard - bytes : guard + page;
}

guarded_buffer::~guarded_buffer() {
  if (map_ != nullptr) munmap(map_, map_size_);
}

guarded_buffer::guarded_buffer(guarded_buffer&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      map_size_(std::exchange(other.map_size_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      side_(other.side_) {}

guarded_buffer& guarded_buffer::operator=(guarded_buffer&& other) noexcept {
  if (this != &other) {
    if (map_ != nullptr) munmap(map_, map_size_);
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    side_ = other.side_;
  }
  return *this;
}

void guarded_buffer::protect(int prot) {
  if (map_ == nullptr) return;
  // Only the data pages: the guard stays PROT_NONE.
  const size_t page = page_size();
  std::byte* first = side_ == guard_side::after ? map_ : map_ + page;
  if (mprotect(first, map_size_ - page, prot) != 0)
    throw std::system_error(errno, std::generic_category(), "mprotect");
}

void guarded_buffer::make_read_only() { protect(PROT_READ); }
void guarded_buffer::make_writable() { protect(PROT_READ | PROT_WRITE); }

void guarded_buffer::check_view(size_t element_size, size_t alignment) const {
  if (size_ % element_size != 0 || reinterpret_cast<uintptr_t>(data_) % alignment != 0)
    throw std::logic_error("guarded_buffer: size or alignment does not fit the element type");
}

}  // namespace ek::harness
