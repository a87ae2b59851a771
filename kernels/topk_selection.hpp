// topk_selection.hpp — the per-query selection state of the fused top-k kernels
// (kernels/topk_impl.hpp): a k-bounded heap kept in the caller's output rows. Free of SIMD code,
// so tests can drive it with scores no cosine kernel produces (NaN).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "reference/topk.hpp"

namespace ek::kern {

namespace topk_detail {

// The k best (score, index) pairs seen so far, kept as a binary heap whose root is the pair that
// ranks last, in the caller's output rows (they hold k >= capacity slots and are written by no
// one else): no allocation, and a candidate that does not beat the root costs one comparison.
// Templated on the ISA's Arch like every function of an ISA object, so no copy of it compiled
// with one ISA's flags can stand in for another's (scripts/odr_check.sh).
template <class Arch>
class selection {
 public:
  /// A selection whose first `size` slots already hold a heap (an earlier tile's state).
  selection(uint32_t* index, float* score, size_t capacity, size_t size = 0)
      : index_(index), score_(score), capacity_(capacity), size_(size) {}

  /// Every slot is taken: from now on a newcomer must beat the root to enter.
  bool full() const { return size_ == capacity_; }
  /// The score of the pair that ranks last; meaningful once full() (capacity >= 1).
  float worst_score() const { return score_[0]; }

  // Candidates arrive in increasing index order: a newcomer never wins a tie against a kept pair.
  void offer(float s, uint32_t j) {
    if (size_ < capacity_) {
      index_[size_] = j;
      score_[size_] = s;
      sift_up(size_++);
    } else if (ref::ranks_before(s, j, score_[0], index_[0])) {
      index_[0] = j;
      score_[0] = s;
      sift_down(0, size_);
    }
  }

  // Sorts the kept pairs best first (heap sort: the last-ranked root goes to the back) and fills
  // the slots past them up to k.
  void finish(size_t k) {
    for (size_t n = size_; n > 1; --n) {
      swap_slots(0, n - 1);
      sift_down(0, n - 1);
    }
    for (size_t r = size_; r < k; ++r) {
      index_[r] = std::numeric_limits<uint32_t>::max();
      score_[r] = -std::numeric_limits<float>::infinity();
    }
  }

 private:
  bool after(size_t a, size_t b) const {  // slot a ranks after slot b
    return ref::ranks_before(score_[b], index_[b], score_[a], index_[a]);
  }
  void swap_slots(size_t a, size_t b) {
    const uint32_t j = index_[a];
    const float s = score_[a];
    index_[a] = index_[b];
    score_[a] = score_[b];
    index_[b] = j;
    score_[b] = s;
  }
  void sift_up(size_t i) {
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!after(i, parent)) return;
      swap_slots(i, parent);
      i = parent;
    }
  }
  void sift_down(size_t i, size_t n) {
    for (;;) {
      size_t worst = i;
      const size_t l = 2 * i + 1, r = l + 1;
      if (l < n && after(l, worst)) worst = l;
      if (r < n && after(r, worst)) worst = r;
      if (worst == i) return;
      swap_slots(i, worst);
      i = worst;
    }
  }

  uint32_t* index_;
  float* score_;
  size_t capacity_;
  size_t size_;
};

}  // namespace topk_detail

}  // namespace ek::kern
