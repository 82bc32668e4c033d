// monotone_model.cpp: see monotone_model.h.
#include "learned/monotone_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace augur::learned {

void MonotoneModel::Add(uint64_t x, uint64_t y) {
  if (!segments_.empty()) {
    Segment& s = segments_.back();
    const double dx = static_cast<double>(x - s.x_first);
    const double dy = static_cast<double>(y - s.y_first);
    const double eps = static_cast<double>(epsilon_);
    const double lo = std::max(cone_lo_, (dy - eps) / dx);
    const double hi = std::min(cone_hi_, (dy + eps) / dx);
    if (lo <= hi) {
      cone_lo_ = lo;
      cone_hi_ = hi;
      // hi > 0 (y >= y_first), so when the middle is negative 0 lies in the cone.
      s.slope = std::max(0.0, lo / 2 + hi / 2);
      s.x_last = x;
      s.y_last = y;
      s.over = s.under = static_cast<float>(eps);  // the line moved: no measurement holds
      measured_segments_ = std::min(measured_segments_, segments_.size() - 1);
      return;
    }
  }
  const double eps = static_cast<double>(epsilon_);
  segments_.push_back({x, x, y, y, 0.0, static_cast<float>(eps), static_cast<float>(eps)});
  cone_lo_ = -std::numeric_limits<double>::infinity();
  cone_hi_ = std::numeric_limits<double>::infinity();
}

void MonotoneModel::BeginMeasure() {
  for (Segment& s : segments_) s.over = s.under = 0;
  measured_segments_ = segments_.size();
}

void MonotoneModel::MeasurePoint(size_t& segment, uint64_t x, uint64_t y) {
  if (segment > segments_.size()) return;  // an earlier point was not one of the model's
  while (segment < segments_.size() && x > segments_[segment].x_last) ++segment;
  if (segment == segments_.size() || x < segments_[segment].x_first) {
    // Not a point of this model: measuring cannot vouch for anything. Fall back to epsilon.
    for (Segment& s : segments_) s.over = s.under = static_cast<float>(epsilon_);
    measured_segments_ = 0;
    segment = segments_.size() + 1;
    return;
  }
  Segment& s = segments_[segment];
  const double distance = Predict(s, x) - static_cast<double>(y);
  // Stored as floats, rounded up: a bound may be loose, never short.
  auto round_up = [](double d) {
    auto f = static_cast<float>(d);
    return static_cast<double>(f) < d ? std::nextafter(f, std::numeric_limits<float>::infinity())
                                      : f;
  };
  s.over = std::max(s.over, round_up(distance));
  s.under = std::max(s.under, round_up(-distance));
}

void MonotoneModel::Measure(const std::vector<std::pair<uint64_t, uint64_t>>& points) {
  MeasureEach([&](auto&& f) {
    for (const auto& [x, y] : points) f(x, y);
  });
}

const MonotoneModel::Segment* MonotoneModel::SegmentFor(uint64_t k) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), k,
                             [](uint64_t key, const Segment& s) { return key < s.x_first; });
  return it == segments_.begin() ? nullptr : &*(it - 1);
}

std::optional<uint64_t> MonotoneModel::LowerBoundY(uint64_t k) const {
  if (segments_.empty()) return std::nullopt;
  const Segment* s = SegmentFor(k);
  if (s == nullptr) return segments_.front().y_first;  // k precedes every point
  if (k > s->x_last) {
    // The first point at or after k opens the next segment.
    if (s + 1 == segments_.data() + segments_.size()) return std::nullopt;
    return (s + 1)->y_first;
  }
  // The first point j with x_j >= k is in s: Predict(k) <= Predict(x_j) <= y_j + over.
  const double predicted = Predict(*s, k);
  const bool measured = Measured(s);
  const double bound = predicted - s->over - Slack(measured, predicted);
  if (!(bound > static_cast<double>(s->y_first))) return s->y_first;
  // y_j is an integer >= bound: the ceiling holds when the error was measured (the slack covers
  // the rounding of doubles); the cone's bound keeps its older, floored form.
  return std::min(s->y_last,
                  static_cast<uint64_t>(measured ? std::ceil(bound) : std::floor(bound)));
}

std::optional<uint64_t> MonotoneModel::EstimateY(uint64_t k) const {
  const Segment* s = SegmentFor(k);
  if (s == nullptr) return std::nullopt;
  if (k >= s->x_last) return s->y_last;
  double guess = std::round(Predict(*s, k));
  if (!(guess > static_cast<double>(s->y_first))) return s->y_first;
  return std::min(s->y_last, static_cast<uint64_t>(guess));
}

std::optional<uint64_t> MonotoneModel::UpperBoundY(uint64_t k) const {
  const Segment* s = SegmentFor(k);
  if (s == nullptr) return std::nullopt;
  if (k >= s->x_last) return s->y_last;
  // The last point j with x_j <= k is in s: Predict(k) >= Predict(x_j) >= y_j - under.
  const double predicted = Predict(*s, k);
  const bool measured = Measured(s);
  const double bound = predicted + s->under + Slack(measured, predicted);
  if (!(bound < static_cast<double>(s->y_last))) return s->y_last;
  return std::max(s->y_first,
                  static_cast<uint64_t>(measured ? std::floor(bound) : std::ceil(bound)));
}

}  // namespace augur::learned
