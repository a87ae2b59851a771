// fuzz_support.cpp — the guard side of an input, guard-page buffers and contract-violation
// reports shared by the harnesses.
#include "fuzz/fuzz_support.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "kernels/dispatch.hpp"

namespace ek::fuzz {

namespace {
constexpr std::byte canary{0xA5};

// A range holds only the canary iff its first byte is the canary and it equals itself shifted by
// one byte: one memcmp instead of a byte loop.
bool all_canary(const std::byte* begin, const std::byte* end) {
  return begin == end || (*begin == canary && std::memcmp(begin, begin + 1, end - begin - 1) == 0);
}

[[noreturn]] void fail(const char* call) {
  throw std::system_error(errno, std::generic_category(), call);
}

}  // namespace

harness::guard_side side_for(const uint8_t* data, size_t size) {
  uint8_t folded = 0;
  for (size_t i = 0; i < size; ++i) folded ^= data[i];
  return std::popcount(folded) % 2 == 0 ? harness::guard_side::after : harness::guard_side::before;
}

guarded_input::~guarded_input() {
  if (region_ != nullptr) munmap(region_, capacity_ + harness::page_size());
  if (alias_ != nullptr) munmap(alias_, capacity_);
  if (fd_ >= 0) close(fd_);
}

size_t guarded_input::reserve(size_t bytes) {
  const size_t page = harness::page_size();
  if (alias_ == nullptr || bytes > capacity_) {
    if (fd_ < 0) fd_ = memfd_create("ek-fuzz-input", MFD_CLOEXEC);
    if (fd_ < 0) fail("memfd_create");
    if (region_ != nullptr) munmap(region_, capacity_ + page);
    if (alias_ != nullptr) munmap(alias_, capacity_);
    region_ = view_ = alias_ = nullptr;
    capacity_ = std::max<size_t>((bytes + page - 1) / page, 1) * page;
    if (ftruncate(fd_, static_cast<off_t>(capacity_)) != 0) fail("ftruncate");
    // Reserve guard + data as PROT_NONE, then map the file read-only over the data pages: the
    // guard stays PROT_NONE, right after the view (guard after) or right before it.
    void* region = mmap(nullptr, capacity_ + page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) fail("mmap");
    region_ = static_cast<std::byte*>(region);
    std::byte* view = side_ == harness::guard_side::after ? region_ : region_ + page;
    if (mmap(view, capacity_, PROT_READ, MAP_SHARED | MAP_FIXED, fd_, 0) == MAP_FAILED)
      fail("mmap");
    view_ = view;
    void* alias = mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (alias == MAP_FAILED) fail("mmap");
    alias_ = static_cast<std::byte*>(alias);
  }
  return side_ == harness::guard_side::after ? capacity_ - bytes : 0;
}

std::byte* guarded_output::reserve(size_t bytes) {
  const size_t page = harness::page_size();
  if (buffer_.data() == nullptr || bytes > buffer_.size()) {
    const size_t capacity = std::max<size_t>((bytes + page - 1) / page, 1) * page;
    buffer_ = harness::guarded_buffer(capacity, side_);
  }
  used_ = bytes;
  // A whole-page capacity puts the mapping's other end on a page boundary, so with the guard
  // after, the values start at data() + size() - bytes and end flush against the guard.
  std::byte* begin = buffer_.data();
  std::byte* p = side_ == harness::guard_side::after ? begin + buffer_.size() - bytes : begin;
  std::fill(begin, p, canary);
  std::fill(p + bytes, begin + buffer_.size(), canary);
  return p;
}

bool guarded_output::outside_intact() const {
  const std::byte* begin = buffer_.data();
  const std::byte* end = begin + buffer_.size();
  const std::byte* p = side_ == harness::guard_side::after ? end - used_ : begin;
  return all_canary(begin, p) && all_canary(p + used_, end);
}

std::vector<kernel_table> runnable_tables() {
  std::vector<kernel_table> tables;
  for (const auto& name : kern::runnable_isas()) tables.push_back(*kern::runnable_table(name));
  return tables;
}

void fold_exponents(std::span<float> values) {
  for (float& v : values) {
    uint32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    const uint32_t exponent = (bits >> 23) & 0xff;
    if (exponent == 0 || exponent == 0xff) continue;
    const uint32_t folded = 127 - 20 + (exponent - 1) % 41;
    bits = (bits & ~(uint32_t{0xff} << 23)) | (folded << 23);
    std::memcpy(&v, &bits, sizeof v);
  }
}

void violation(const char* kernel, const char* isa, const std::string& why) {
  std::fprintf(stderr, "engram-kern fuzz: contract violated: kernel %s, isa %s: %s\n", kernel, isa,
               why.c_str());
  std::abort();
}

void require_contract(const char* kernel, const char* isa, harness::guard_side side,
                      const std::string& reason) {
  if (reason.empty()) return;
  violation(kernel, isa,
            (side == harness::guard_side::after ? "guard after, " : "guard before, ") + reason);
}

}  // namespace ek::fuzz
