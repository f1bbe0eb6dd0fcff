#include "scanner/base/rtt_estimate.h"

#include "gtest/gtest.h"

namespace mxscan::base {
namespace {

TEST(RttEstimateTest, NothingBeforeTheFirstSample) {
  RttEstimate rtt;
  EXPECT_FALSE(rtt.has_samples());
  EXPECT_EQ(rtt.TimeoutMs(), 0);
}

// RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 3R.
TEST(RttEstimateTest, FirstSample) {
  RttEstimate rtt;
  rtt.Sample(100);
  EXPECT_TRUE(rtt.has_samples());
  EXPECT_EQ(rtt.smoothed_ms(), 100);
  EXPECT_EQ(rtt.TimeoutMs(), 300);
}

// RFC 6298 2.3, by hand: after 100, a sample of 500 gives RTTVAR =
// 3/4 x 50 + 1/4 x 400 = 137 (137.5, integer), SRTT = 7/8 x 100 + 1/8 x
// 500 = 150, RTO = 150 + 4 x 137 = 698.
TEST(RttEstimateTest, LaterSamplesAreSmoothed) {
  RttEstimate rtt;
  rtt.Sample(100);
  rtt.Sample(500);
  EXPECT_EQ(rtt.smoothed_ms(), 150);
  EXPECT_EQ(rtt.TimeoutMs(), 698);
}

TEST(RttEstimateTest, SteadySamplesConvergeAndTheVarianceDecays) {
  RttEstimate rtt;
  rtt.Sample(2000);
  for (int i = 0; i < 100; ++i) rtt.Sample(50);
  EXPECT_LE(rtt.smoothed_ms(), 60);
  EXPECT_LE(rtt.TimeoutMs(), 70);
}

TEST(RttEstimateTest, ABacklogRaisesTheTimeoutAboveItsSamples) {
  RttEstimate rtt;
  for (int i = 0; i < 50; ++i) rtt.Sample(50);
  for (int i = 0; i < 5; ++i) rtt.Sample(3000);
  EXPECT_GT(rtt.TimeoutMs(), 3000);
}

TEST(RttEstimateTest, NegativeSamplesCountAsZero) {
  RttEstimate rtt;
  rtt.Sample(-5);
  EXPECT_EQ(rtt.TimeoutMs(), 0);
  EXPECT_TRUE(rtt.has_samples());
}

}  // namespace
}  // namespace mxscan::base
