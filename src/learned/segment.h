// segment.h: one piece of the piecewise-linear model.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace augur::learned {

// Predicts the position of key k (k >= first_key) as first_position + slope * (k - first_key).
// The builder guarantees |prediction - true position| <= epsilon for every key the segment
// covers, where "true position" is the position of the key's first occurrence. first_position
// is the line's value at first_key: fractional, and slightly negative for a first segment.
struct Segment {
  uint64_t first_key;
  double slope;
  double first_position;

  // Not clamped: callers clamp to their search window.
  double Predict(uint64_t key) const {
    return first_position + slope * static_cast<double>(key - first_key);
  }
};

// The stored form of a Segment: 16 bytes instead of 24, so four share a cache line and a size
// budget buys 1.5x the segments. The position is rounded to an integer (an error of at most 0.5)
// and the slope to a float (an error of at most 2^-24 of the positions the segment spans); the
// index widens its search window by that much (QuantizationSlack). Positions past 2^32 - 1
// saturate: such an index stays exact through the window repair, only slower.
struct PackedSegment {
  uint64_t first_key;
  uint32_t first_position;
  float slope;

  static PackedSegment From(const Segment& s) {
    const double position = std::clamp(std::round(s.first_position), 0.0, 4294967295.0);
    return {s.first_key, static_cast<uint32_t>(position), static_cast<float>(s.slope)};
  }
  double Predict(uint64_t key) const {
    return static_cast<double>(first_position) +
           static_cast<double>(slope) * static_cast<double>(key - first_key);
  }
};
static_assert(sizeof(PackedSegment) == 16);

}  // namespace augur::learned
