// prng.cpp — xoshiro256** seeded through splitmix64, and the transforms on top of it. Changing
// any line here changes every generated workload: the golden hashes in generators_test.cpp pin it.
#include "src/harness/prng.hpp"

#include <cmath>

namespace ek::harness {

namespace {
constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

prng::prng(uint64_t seed) {
  // splitmix64 never yields four zero words from one seed, so the state is never all zero.
  for (auto& word : s_) word = splitmix64(seed);
}

uint64_t prng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double prng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double prng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

uint64_t prng::below(uint64_t n) {
  if (n == 0) return 0;
  // 2^64 mod n, computed in 64 bits: outputs below it would make the low residues more likely.
  const uint64_t reject_below = (0 - n) % n;
  for (;;) {
    const uint64_t x = next();
    if (x >= reject_below) return x % n;
  }
}

int64_t prng::range(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t offset = span == UINT64_MAX ? next() : below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

bool prng::one_in(uint64_t n) { return below(n) == 0; }

double prng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double x, y, r;
  do {
    x = uniform(-1.0, 1.0);
    y = uniform(-1.0, 1.0);
    r = x * x + y * y;
  } while (r >= 1.0 || r == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r) / r);
  spare_ = y * f;
  has_spare_ = true;
  return x * f;
}

double prng::cauchy() {
  // For (x, y) uniform in the unit disc the angle is uniform, and tan of a uniform angle is
  // Cauchy: x / y needs no tan() and so no libm rounding.
  double x, y;
  do {
    x = uniform(-1.0, 1.0);
    y = uniform(-1.0, 1.0);
  } while (x * x + y * y >= 1.0 || y == 0.0);
  return x / y;
}

double prng::log_uniform(double lo, double hi) {
  return std::exp(uniform(std::log(lo), std::log(hi)));
}

double prng::sign() { return (next() >> 63) != 0 ? -1.0 : 1.0; }

}  // namespace ek::harness
