// segment.h: one piece of the piecewise-linear model.
#pragma once

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

}  // namespace augur::learned
