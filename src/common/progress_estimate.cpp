// progress_estimate.cpp: see progress_estimate.h.
#include "common/progress_estimate.h"

#include <cmath>

namespace augur {

std::optional<double> EstimateSecondsLeft(double elapsed_seconds, double fraction_done) {
  if (!std::isfinite(elapsed_seconds) || !std::isfinite(fraction_done)) return std::nullopt;
  if (fraction_done >= 1.0) return 0.0;
  if (fraction_done <= 0.0 || elapsed_seconds <= 0.0) return std::nullopt;
  double left = elapsed_seconds * (1.0 - fraction_done) / fraction_done;
  if (!std::isfinite(left)) return std::nullopt;  // a fraction too small to divide by
  return left;
}

}  // namespace augur
