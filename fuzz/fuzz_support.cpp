// fuzz_support.cpp — guard-page slots and contract-violation reports shared by the kernel
// harnesses.
#include "fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace ek::fuzz {

namespace {
constexpr std::byte canary{0xA5};

// A range holds only the canary iff its first byte is the canary and it equals itself shifted by
// one byte: one memcmp instead of a byte loop.
bool all_canary(const std::byte* begin, const std::byte* end) {
  return begin == end || (*begin == canary && std::memcmp(begin, begin + 1, end - begin - 1) == 0);
}

}  // namespace

std::byte* guarded_slot::reserve(size_t bytes) {
  set_read_only(false);
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

void guarded_slot::set_read_only(bool read_only) {
  if (read_only == read_only_ || buffer_.data() == nullptr) return;
  if (read_only) {
    buffer_.make_read_only();
  } else {
    buffer_.make_writable();
  }
  read_only_ = read_only;
}

bool guarded_slot::outside_intact() const {
  const std::byte* begin = buffer_.data();
  const std::byte* end = begin + buffer_.size();
  const std::byte* p = side_ == harness::guard_side::after ? end - used_ : begin;
  return all_canary(begin, p) && all_canary(p + used_, end);
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

const char* side_name(harness::guard_side side) {
  return side == harness::guard_side::after ? "guard after" : "guard before";
}

void violation(const char* kernel, const char* isa, harness::guard_side side, size_t index,
               float expected, float actual, const std::string& why) {
  uint32_t e = 0;
  uint32_t a = 0;
  std::memcpy(&e, &expected, sizeof e);
  std::memcpy(&a, &actual, sizeof a);
  std::fprintf(stderr,
               "engram-kern fuzz: contract violated: kernel %s, isa %s, %s, index %zu: expected "
               "%.9g (0x%08x), actual %.9g (0x%08x): %s\n",
               kernel, isa, side_name(side), index, double(expected), e, double(actual), a,
               why.c_str());
  std::abort();
}

void violation(const char* kernel, const char* isa, const std::string& why) {
  std::fprintf(stderr, "engram-kern fuzz: contract violated: kernel %s, isa %s: %s\n", kernel, isa,
               why.c_str());
  std::abort();
}

}  // namespace ek::fuzz
