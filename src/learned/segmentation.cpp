// segmentation.cpp
#include "learned/segmentation.h"

#include <limits>

namespace augur::learned {

std::vector<Segment> SegmentKeys(std::span<const uint64_t> keys, uint64_t epsilon) {
  std::vector<Segment> segments;
  if (keys.empty()) return segments;
  const double eps = static_cast<double>(epsilon);
  size_t start = 0;
  while (start < keys.size()) {
    const uint64_t origin_key = keys[start];
    const double origin_pos = static_cast<double>(start);
    double lo = 0.0;                                      // smallest slope still allowed
    double hi = std::numeric_limits<double>::infinity();  // largest slope still allowed
    size_t i = start + 1;
    // Skip the origin's duplicates: only first occurrences are points of the model.
    while (i < keys.size() && keys[i] == origin_key) ++i;
    size_t end = i;  // one past the last key covered so far
    while (i < keys.size()) {
      const uint64_t key = keys[i];
      const double dx = static_cast<double>(key - origin_key);  // > 0: keys are sorted, distinct
      const double pos = static_cast<double>(i);
      const double point_lo = (pos - origin_pos - eps) / dx;
      const double point_hi = (pos - origin_pos + eps) / dx;
      const double new_lo = point_lo > lo ? point_lo : lo;
      const double new_hi = point_hi < hi ? point_hi : hi;
      if (new_lo > new_hi) break;  // this key would break the bound: it starts the next segment
      lo = new_lo;
      hi = new_hi;
      ++i;
      while (i < keys.size() && keys[i] == key) ++i;
      end = i;
    }
    // Any slope in [lo, hi] works; the middle keeps the most room for rounding.
    double slope = hi == std::numeric_limits<double>::infinity() ? 0.0 : (lo + hi) / 2;
    segments.push_back(Segment{origin_key, slope, start});
    start = end;
  }
  return segments;
}

}  // namespace augur::learned
