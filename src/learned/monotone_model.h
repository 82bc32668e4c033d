// monotone_model.h: an error-bounded piecewise-linear model of a monotone map, e.g. key -> row id
// on a table whose rows are stored in key order (the clustered layout, clustered_index.h).
//
// Points arrive in order (x strictly rising, y never falling) and are fitted as they come by the
// shrinking cone: each segment is a line through its first point whose slope keeps every point of
// the segment within `epsilon` of it; a point no slope in the cone can reach starts a new segment.
// Slopes are never negative, so the model is monotone inside a segment. That gives one-sided
// bounds for keys between points as well (see LowerBoundY/UpperBoundY): the model stores no key
// but its segments' ends, so callers turn a key range into a row-id window that holds every
// matching point, plus at most about 2 * epsilon others on each side.
//
// Measured errors: epsilon bounds every point's distance from its segment's line, but most lines
// fit far better (a row every 2 ids: exactly). After a bulk build, Measure() records each
// segment's real largest distance above and below its line, and the bounds use those, so a
// point lookup's window shrinks from ~4 * epsilon rows to the real error plus a row or two. A
// segment that Add() extends afterwards changes its line and goes back to epsilon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace augur::learned {

class MonotoneModel {
 public:
  explicit MonotoneModel(uint64_t epsilon) : epsilon_(epsilon) {}

  // Adds (x, y); x must exceed every x added before and y must be at least every earlier y.
  void Add(uint64_t x, uint64_t y);

  // Records, for every segment, the largest distance of its points above and below its line.
  // `points` must be every point added, in order ((x, y) pairs). Until the last segment is
  // extended again, the bounds below use these distances instead of epsilon.
  void Measure(const std::vector<std::pair<uint64_t, uint64_t>>& points);
  template <typename EachPoint>  // EachPoint(f) calls f(x, y) for every point added, in order
  void MeasureEach(EachPoint each_point);

  // A value no greater than the y of the first point with x >= k; nullopt when no point has
  // x >= k.
  std::optional<uint64_t> LowerBoundY(uint64_t k) const;
  // A value no less than the y of the last point with x <= k; nullopt when no point has x <= k.
  std::optional<uint64_t> UpperBoundY(uint64_t k) const;

  // The model's own guess of the y of a point at x = k, clamped to its segment's ends (no bound:
  // for estimates); nullopt when no point has x <= k.
  std::optional<uint64_t> EstimateY(uint64_t k) const;

  bool empty() const { return segments_.empty(); }
  uint64_t first_x() const { return segments_.front().x_first; }
  uint64_t last_x() const { return segments_.back().x_last; }
  size_t segments() const { return segments_.size(); }
  size_t bytes() const { return segments_.capacity() * sizeof(Segment); }

 private:
  struct Segment {
    uint64_t x_first, x_last;  // the first and last point's x
    uint64_t y_first, y_last;
    double slope;  // the line passes through (x_first, y_first)
    // How far points lie below (over: the line is above them) and above the line: epsilon
    // until measured.
    float over, under;
  };
  double Predict(const Segment& s, uint64_t k) const {
    return static_cast<double>(s.y_first) + s.slope * static_cast<double>(k - s.x_first);
  }
  // The last segment whose first x is <= k, or nullptr.
  const Segment* SegmentFor(uint64_t k) const;

  // Slack for the rounding of doubles, on top of the error bound, when the model answers. The
  // cone's epsilon bound was derived in other arithmetic than Predict's: 2 rows. A measured
  // error came from Predict itself, which is monotone in k in doubles too, so only the rounding
  // of one subtraction and one addition (relative 2^-53 of values below 2^64) remains: a quarter
  // row plus 2^-40 of the prediction covers it with room to spare.
  static constexpr double kRoundingSlack = 2.0;
  static double Slack(bool measured, double predicted) {
    return measured ? 0.25 + predicted * 0x1p-40 : kRoundingSlack;
  }
  bool Measured(const Segment* s) const {
    return static_cast<size_t>(s - segments_.data()) < measured_segments_;
  }
  void BeginMeasure();
  void MeasurePoint(size_t& segment, uint64_t x, uint64_t y);
  uint64_t epsilon_;
  std::vector<Segment> segments_;
  size_t measured_segments_ = 0;      // segments [0, this) have measured errors
  double cone_lo_ = 0, cone_hi_ = 0;  // slopes that keep the open (last) segment's points in
};

template <typename EachPoint>
void MonotoneModel::MeasureEach(EachPoint each_point) {
  BeginMeasure();
  size_t segment = 0;
  each_point([&](uint64_t x, uint64_t y) { MeasurePoint(segment, x, y); });
}

}  // namespace augur::learned
