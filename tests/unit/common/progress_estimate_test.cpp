// progress_estimate_test.cpp: the time left from the time so far and the fraction done, and
// the inputs that give no estimate (nothing done yet, NaN, negative figures).
#include "common/progress_estimate.h"

#include <gtest/gtest.h>

#include <limits>

namespace augur {
namespace {

TEST(ProgressEstimate, TheRestGoesAtTheRateSoFar) {
  // A quarter in 3 s: three quarters more take 9 s.
  ASSERT_TRUE(EstimateSecondsLeft(3.0, 0.25).has_value());
  EXPECT_DOUBLE_EQ(*EstimateSecondsLeft(3.0, 0.25), 9.0);
  EXPECT_DOUBLE_EQ(*EstimateSecondsLeft(10.0, 0.5), 10.0);
  EXPECT_DOUBLE_EQ(*EstimateSecondsLeft(1.0, 0.999), 1.0 * 0.001 / 0.999);
}

TEST(ProgressEstimate, DoneMeansNothingLeft) {
  EXPECT_EQ(EstimateSecondsLeft(5.0, 1.0), 0.0);
  EXPECT_EQ(EstimateSecondsLeft(5.0, 1.5), 0.0);  // over 1: clamped
  EXPECT_EQ(EstimateSecondsLeft(0.0, 1.0), 0.0);
}

TEST(ProgressEstimate, NoEstimateWithoutAnythingToGoOn) {
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(EstimateSecondsLeft(3.0, 0.0).has_value());   // nothing done yet
  EXPECT_FALSE(EstimateSecondsLeft(3.0, -0.5).has_value());  // a nonsense fraction
  EXPECT_FALSE(EstimateSecondsLeft(0.0, 0.5).has_value());   // no time has passed
  EXPECT_FALSE(EstimateSecondsLeft(-1.0, 0.5).has_value());  // a clock that went back
  EXPECT_FALSE(EstimateSecondsLeft(kNan, 0.5).has_value());
  EXPECT_FALSE(EstimateSecondsLeft(3.0, kNan).has_value());
  EXPECT_FALSE(EstimateSecondsLeft(kInf, 0.5).has_value());
  EXPECT_FALSE(EstimateSecondsLeft(3.0, 1e-320).has_value());  // would be infinite
}

}  // namespace
}  // namespace augur
