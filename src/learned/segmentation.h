// segmentation.h: error-bounded piecewise-linear segmentation of a sorted key array.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "learned/segment.h"

namespace augur::learned {

// Splits sorted `keys` (duplicates allowed) into the fewest segments such that, for every
// distinct key, the covering segment predicts the position of the key's first occurrence within
// `epsilon`.
//
// Algorithm: O'Rourke's online line fitting (1981), as the PGM-index uses it (Ferragina and
// Vinciguerra, VLDB 2020): the convex hulls of the points shifted up and down by epsilon bound
// the set of feasible lines; a segment ends when the next point leaves it. O(n) amortized, exact
// integer geometry (128-bit cross products), and optimal: no segmentation with the same bound
// has fewer segments.
std::vector<Segment> SegmentKeys(std::span<const uint64_t> keys, uint64_t epsilon);

// The shrinking cone (FITing-tree, Galakatos et al. 2019): lines through each segment's first
// point only. Simpler and a little faster to build, but up to about twice the segments; kept as
// the baseline the tests and benchmarks compare with.
std::vector<Segment> SegmentKeysCone(std::span<const uint64_t> keys, uint64_t epsilon);

// The shrinking cone fed one key at a time, for callers that produce keys in order and want
// each segment as soon as it is decided (GappedRun::Builder, which lays out a merge's output
// without first storing it densely). SegmentKeysCone is this over an array.
class ConeSegmenter {
 public:
  explicit ConeSegmenter(uint64_t epsilon) : eps_(static_cast<double>(epsilon)) {}

  // Adds the next key (keys come sorted, duplicates allowed) at the next position. True when
  // `key` starts a new segment after the first: Closed() is then the segment before it.
  bool Add(uint64_t key) {
    const uint64_t position = count_++;
    if (position == 0) {
      Start(key, position);
      return false;
    }
    if (key == last_key_) return false;  // only first occurrences are points of the model
    last_key_ = key;
    const double dx = static_cast<double>(key - origin_key_);  // > 0: keys are sorted, distinct
    const double offset = static_cast<double>(position) - origin_position_;
    const double new_lo = std::max(lo_, (offset - eps_) / dx);
    const double new_hi = std::min(hi_, (offset + eps_) / dx);
    if (new_lo <= new_hi) {
      lo_ = new_lo;
      hi_ = new_hi;
      return false;
    }
    closed_ = Current();  // this key would break the bound: it starts the next segment
    Start(key, position);
    return true;
  }
  // The segment that the last true Add() closed.
  const Segment& Closed() const { return closed_; }
  // The segment still open (after the last Add()): the last one once the keys end.
  Segment Current() const {
    // Any slope in [lo, hi] works; the middle keeps the most room for rounding.
    const double slope = hi_ == std::numeric_limits<double>::infinity() ? 0.0 : (lo_ + hi_) / 2;
    return Segment{origin_key_, slope, origin_position_};
  }
  size_t count() const { return count_; }

 private:
  void Start(uint64_t key, uint64_t position) {
    origin_key_ = last_key_ = key;
    origin_position_ = static_cast<double>(position);
    lo_ = 0.0;                                      // smallest slope still allowed
    hi_ = std::numeric_limits<double>::infinity();  // largest slope still allowed
  }

  double eps_;
  uint64_t count_ = 0;
  uint64_t origin_key_ = 0, last_key_ = 0;
  double origin_position_ = 0;
  double lo_ = 0, hi_ = 0;
  Segment closed_{};
};

}  // namespace augur::learned
