// segmentation.cpp
#include "learned/segmentation.h"

#include <functional>
#include <limits>

namespace augur::learned {

namespace {

// Points are (key - origin, position +- epsilon): x relative to the segment's first key, so
// every coordinate is an exact integer and every product fits in 128 bits (x < 2^64, |y| < 2^40).
struct Point {
  __int128 x;
  __int128 y;
};

struct Slope {
  __int128 dx;
  __int128 dy;
  // Compares dy/dx; both sides' dx have the same sign wherever the algorithm compares.
  bool operator<(const Slope& other) const { return dy * other.dx < dx * other.dy; }
  bool operator>(const Slope& other) const { return dy * other.dx > dx * other.dy; }
  double Value() const { return static_cast<double>(dy) / static_cast<double>(dx); }
};

Slope operator-(const Point& a, const Point& b) { return {a.x - b.x, a.y - b.y}; }

// Cross product of (a - o) and (b - o): > 0 when o, a, b turn left.
__int128 Cross(const Point& o, const Point& a, const Point& b) {
  Slope oa = a - o, ob = b - o;
  return oa.dx * ob.dy - oa.dy * ob.dx;
}

// The hull point an extreme line pivots on once it touches p: walking the convex `hull` from
// `start`, the last point before the slope to p stops improving (`worse(value, best)`: greater
// for the lower hull's minimum, less for the upper hull's maximum).
template <typename Worse>
size_t SupportPoint(const std::vector<Point>& hull, size_t start, const Point& p, Worse worse) {
  Slope best = hull[start] - p;
  size_t best_i = start;
  for (size_t i = start + 1; i < hull.size(); ++i) {
    Slope value = hull[i] - p;
    if (worse(value, best)) break;
    best = value;
    best_i = i;
  }
  return best_i;
}

// Appends p to a hull (points from `start` on), first dropping the points it makes non-convex:
// the upper hull keeps right turns, the lower hull left turns.
void AppendToHull(std::vector<Point>& hull, size_t start, const Point& p, bool upper) {
  size_t end = hull.size();
  while (end >= start + 2) {
    const __int128 cross = Cross(hull[end - 2], hull[end - 1], p);
    if (upper ? cross > 0 : cross < 0) break;
    --end;
  }
  hull.resize(end);
  hull.push_back(p);
}

// O'Rourke's online algorithm, as the PGM-index uses it: the convex hulls of the upper
// (y + eps) and lower (y - eps) points, and the rectangle of the two extreme feasible lines.
// A point is accepted while some line still passes within eps of every point so far.
class OptimalSegmenter {
 public:
  explicit OptimalSegmenter(int64_t epsilon) : eps_(epsilon) {}

  // Starts a new segment at (key, position).
  void Start(uint64_t key, int64_t position) {
    origin_ = key;
    count_ = 1;
    Point upper{0, __int128{position} + eps_}, lower{0, __int128{position} - eps_};
    rect_[0] = upper;
    rect_[1] = lower;
    upper_.assign(1, upper);
    lower_.assign(1, lower);
    upper_start_ = lower_start_ = 0;
  }

  // Adds the next point (key > every key so far); false when it does not fit the segment.
  bool Add(uint64_t key, int64_t position) {
    Point p1{__int128{key - origin_}, __int128{position} + eps_};  // upper
    Point p2{__int128{key - origin_}, __int128{position} - eps_};  // lower
    if (count_ == 1) {
      rect_[2] = p2;
      rect_[3] = p1;
      upper_.push_back(p1);
      lower_.push_back(p2);
      ++count_;
      return true;
    }
    Slope slope1 = rect_[2] - rect_[0];
    Slope slope2 = rect_[3] - rect_[1];
    if ((p1 - rect_[2]) < slope1 || (p2 - rect_[3]) > slope2) return false;
    if ((p1 - rect_[1]) < slope2) {
      // The steepest feasible line now touches p1: walk the lower hull to its new support.
      lower_start_ = SupportPoint(lower_, lower_start_, p1, std::greater<Slope>());
      rect_[1] = lower_[lower_start_];
      rect_[3] = p1;
      AppendToHull(upper_, upper_start_, p1, /*upper=*/true);
    }
    if ((p2 - rect_[0]) > slope1) {
      // The shallowest feasible line now touches p2: walk the upper hull.
      upper_start_ = SupportPoint(upper_, upper_start_, p2, std::less<Slope>());
      rect_[0] = upper_[upper_start_];
      rect_[2] = p2;
      AppendToHull(lower_, lower_start_, p2, /*upper=*/false);
    }
    ++count_;
    return true;
  }

  // The segment: the line through the intersection of the two extreme lines with the mean of
  // their slopes, which stays within eps of every point accepted.
  Segment Finish(uint64_t first_key) const {
    if (count_ == 1) {
      return Segment{first_key, 0.0, static_cast<double>(rect_[0].y + rect_[1].y) / 2.0};
    }
    const Point &p0 = rect_[0], &p1 = rect_[1], &p2 = rect_[2], &p3 = rect_[3];
    Slope slope1 = p2 - p0, slope2 = p3 - p1;
    double slope = (slope1.Value() + slope2.Value()) / 2;
    __int128 a = slope1.dx * slope2.dy - slope1.dy * slope2.dx;
    double intercept;
    if (a == 0) {  // parallel extremes: the middle line between them
      intercept = (static_cast<double>(p0.y) - slope * static_cast<double>(p0.x) +
                   static_cast<double>(p1.y) - slope * static_cast<double>(p1.x)) /
                  2;
    } else {
      double b =
          static_cast<double>((p1.x - p0.x) * (p3.y - p1.y) - (p1.y - p0.y) * (p3.x - p1.x)) /
          static_cast<double>(a);
      double ix = static_cast<double>(p0.x) + b * static_cast<double>(slope1.dx);
      double iy = static_cast<double>(p0.y) + b * static_cast<double>(slope1.dy);
      intercept = iy - ix * slope;
    }
    return Segment{first_key, slope, intercept};
  }

 private:
  const int64_t eps_;
  uint64_t origin_ = 0;
  size_t count_ = 0;
  Point rect_[4];
  std::vector<Point> upper_, lower_;
  size_t upper_start_ = 0, lower_start_ = 0;
};

}  // namespace

std::vector<Segment> SegmentKeys(std::span<const uint64_t> keys, uint64_t epsilon) {
  std::vector<Segment> segments;
  if (keys.empty()) return segments;
  OptimalSegmenter segmenter(static_cast<int64_t>(epsilon));
  size_t start = 0;
  segmenter.Start(keys[0], 0);
  for (size_t i = 1; i < keys.size(); ++i) {
    if (keys[i] == keys[i - 1]) continue;  // only first occurrences are points of the model
    if (!segmenter.Add(keys[i], static_cast<int64_t>(i))) {
      segments.push_back(segmenter.Finish(keys[start]));
      start = i;
      segmenter.Start(keys[i], static_cast<int64_t>(i));
    }
  }
  segments.push_back(segmenter.Finish(keys[start]));
  return segments;
}

std::vector<Segment> SegmentKeysCone(std::span<const uint64_t> keys, uint64_t epsilon) {
  std::vector<Segment> segments;
  if (keys.empty()) return segments;
  ConeSegmenter segmenter(epsilon);
  for (uint64_t key : keys) {
    if (segmenter.Add(key)) segments.push_back(segmenter.Closed());
  }
  segments.push_back(segmenter.Current());
  return segments;
}

}  // namespace augur::learned
