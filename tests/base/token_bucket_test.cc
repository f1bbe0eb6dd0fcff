// TokenBucket on a simulated millisecond clock.

#include "scanner/base/token_bucket.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace mxscan {
namespace {

// Takes tokens at `now_ms` until refused; returns how many were taken.
int Drain(base::TokenBucket& bucket, int64_t now_ms) {
  int taken = 0;
  while (bucket.TryTake(now_ms)) {
    ++taken;
    if (taken > 1000000) break;  // unlimited
  }
  return taken;
}

TEST(TokenBucketTest, ZeroRateIsUnlimited) {
  base::TokenBucket bucket(0, 1, 0);
  EXPECT_TRUE(bucket.unlimited());
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(bucket.TryTake(0));
  EXPECT_EQ(bucket.MsUntilAvailable(0), 0);
}

TEST(TokenBucketTest, NegativeRateIsUnlimited) {
  base::TokenBucket bucket(-5, 1, 0);
  EXPECT_TRUE(bucket.unlimited());
  EXPECT_TRUE(bucket.TryTake(-100));
  EXPECT_EQ(bucket.MsUntilAvailable(0), 0);
}

TEST(TokenBucketTest, StartsFullWithBurst) {
  base::TokenBucket bucket(10, 5, 1000);
  EXPECT_FALSE(bucket.unlimited());
  EXPECT_EQ(bucket.MsUntilAvailable(1000), 0);
  EXPECT_EQ(Drain(bucket, 1000), 5);
  EXPECT_GT(bucket.MsUntilAvailable(1000), 0);
}

TEST(TokenBucketTest, BurstBelowOneIsOne) {
  base::TokenBucket zero(10, 0, 0);
  EXPECT_EQ(Drain(zero, 0), 1);
  base::TokenBucket negative(10, -3, 0);
  EXPECT_EQ(Drain(negative, 0), 1);
  base::TokenBucket half(10, 0.5, 0);
  EXPECT_EQ(Drain(half, 0), 1);
}

TEST(TokenBucketTest, FractionalBurst) {
  base::TokenBucket bucket(1000, 2.5, 0);
  EXPECT_EQ(Drain(bucket, 0), 2);
  // 0.5 left: half a millisecond at 1/ms completes the next token, so 1 ms.
  EXPECT_EQ(bucket.MsUntilAvailable(0), 1);
}

TEST(TokenBucketTest, RefillsAtTheRate) {
  base::TokenBucket bucket(10, 1, 0);  // one token per 100 ms
  ASSERT_TRUE(bucket.TryTake(0));
  EXPECT_FALSE(bucket.TryTake(0));
  EXPECT_EQ(bucket.MsUntilAvailable(0), 100);
  EXPECT_FALSE(bucket.TryTake(99));
  // Exactly 1 ms; floating-point rounding (0.01 per ms) may add one more,
  // which only errs on the slow side.
  const int64_t wait = bucket.MsUntilAvailable(99);
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, 2);
  EXPECT_TRUE(bucket.TryTake(100));
  EXPECT_FALSE(bucket.TryTake(100));
  EXPECT_EQ(bucket.MsUntilAvailable(150), 50);
  EXPECT_TRUE(bucket.TryTake(200));
}

TEST(TokenBucketTest, RefillIsCappedAtBurst) {
  base::TokenBucket bucket(100, 3, 0);
  EXPECT_EQ(Drain(bucket, 0), 3);
  // An hour idle still only yields `burst` tokens.
  EXPECT_EQ(Drain(bucket, 3600 * 1000), 3);
}

TEST(TokenBucketTest, ClockGoingBackwardsAddsNothing) {
  base::TokenBucket bucket(10, 1, 1000);
  ASSERT_TRUE(bucket.TryTake(1000));
  EXPECT_FALSE(bucket.TryTake(500));
  EXPECT_FALSE(bucket.TryTake(1000));
  // No credit was lost or gained by the detour.
  EXPECT_EQ(bucket.MsUntilAvailable(1000), 100);
  EXPECT_TRUE(bucket.TryTake(1100));
}

TEST(TokenBucketTest, MsUntilAvailableRoundsUp) {
  base::TokenBucket bucket(3, 1, 0);  // one token per 333.33 ms
  ASSERT_TRUE(bucket.TryTake(0));
  const int64_t wait = bucket.MsUntilAvailable(0);
  EXPECT_EQ(wait, 334);
  EXPECT_FALSE(bucket.TryTake(333));
  EXPECT_TRUE(bucket.TryTake(334));
}

TEST(TokenBucketTest, MsUntilAvailableDoesNotConsume) {
  base::TokenBucket bucket(10, 1, 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(bucket.MsUntilAvailable(0), 0);
  EXPECT_TRUE(bucket.TryTake(0));
}

TEST(TokenBucketTest, VerySlowRate) {
  base::TokenBucket bucket(0.001, 1, 0);  // one per 1000 s
  ASSERT_TRUE(bucket.TryTake(0));
  const int64_t wait = bucket.MsUntilAvailable(0);
  EXPECT_NEAR(wait, 1000000, 1);  // floating point may add a millisecond
  EXPECT_FALSE(bucket.TryTake(999000));
  EXPECT_TRUE(bucket.TryTake(wait));
}

TEST(TokenBucketTest, WaitingTheAdvertisedTimeAlwaysSucceeds) {
  // For awkward rates, and with the caller polling in between (which
  // refills in small floating-point steps), the token must be there when
  // MsUntilAvailable said it would be.
  for (double rate = 0.7; rate < 5000; rate *= 1.37) {
    base::TokenBucket bucket(rate, 1, 0);
    int64_t now = 0;
    for (int i = 0; i < 300; ++i) {
      const int64_t wait = bucket.MsUntilAvailable(now);
      ASSERT_GE(wait, 0);
      if (wait > 1) {
        bucket.MsUntilAvailable(now + wait / 3);
        EXPECT_FALSE(bucket.TryTake(now + wait - 1)) << "rate " << rate;
      }
      now += wait;
      ASSERT_TRUE(bucket.TryTake(now)) << "rate " << rate << " i " << i;
    }
  }
}

TEST(TokenBucketTest, LongRunAverageMatchesRate) {
  for (double rate : {1.0, 7.0, 100.0, 333.0, 1000.0, 2500.0}) {
    constexpr double kBurst = 4;
    base::TokenBucket bucket(rate, kBurst, 0);
    int64_t taken = 0;
    constexpr int64_t kDurationMs = 20000;
    for (int64_t now = 0; now <= kDurationMs; ++now) {
      taken += Drain(bucket, now);
    }
    const double expected = rate * kDurationMs / 1000.0 + kBurst;
    EXPECT_LE(taken, expected + 1e-6) << "rate " << rate;
    EXPECT_GE(taken, expected - 1.0) << "rate " << rate;
  }
}

}  // namespace
}  // namespace mxscan
