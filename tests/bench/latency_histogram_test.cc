// LatencyHistogram: bucket bounds, nearest-rank percentiles, merging.

#include "scanner/bench/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

TEST(LatencyHistogramTest, EmptyIsAllZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min_ns(), 0u);
  EXPECT_EQ(h.max_ns(), 0u);
  EXPECT_EQ(h.mean_ns(), 0);
  EXPECT_EQ(h.Percentile(50), 0u);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 10; ++v) h.Add(v);
  EXPECT_EQ(h.count(), 10u);
  EXPECT_EQ(h.Percentile(50), 5u);  // rank 5 of 10
  EXPECT_EQ(h.Percentile(90), 9u);
  EXPECT_EQ(h.Percentile(99), 10u);  // rank ceil(9.9) = 10
  EXPECT_EQ(h.Percentile(100), 10u);
  EXPECT_EQ(h.min_ns(), 1u);
  EXPECT_EQ(h.max_ns(), 10u);
  EXPECT_DOUBLE_EQ(h.mean_ns(), 5.5);
}

TEST(LatencyHistogramTest, BucketsCoverEveryValueOnce) {
  // Every value falls in a bucket whose bounds hold it, and bucket bounds
  // increase: consecutive buckets tile the integers.
  uint64_t previous_upper = 0;
  for (size_t b = 1; b < 64 * 60; ++b) {
    const uint64_t upper = LatencyHistogram::BucketUpperBound(b);
    ASSERT_GT(upper, previous_upper) << b;
    ASSERT_EQ(LatencyHistogram::BucketOf(upper), b) << upper;
    ASSERT_EQ(LatencyHistogram::BucketOf(previous_upper + 1), b) << b;
    previous_upper = upper;
    if (upper == UINT64_MAX) break;
  }
  EXPECT_EQ(LatencyHistogram::BucketUpperBound(
                LatencyHistogram::BucketOf(UINT64_MAX)),
            UINT64_MAX);
}

TEST(LatencyHistogramTest, PercentilesWithinRelativeError) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(14.0, 1.0);  // ~1.2 ms median
  std::vector<uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 20000; ++i) {
    const uint64_t v = static_cast<uint64_t>(latency(random));
    values.push_back(v);
    h.Add(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const size_t rank = static_cast<size_t>(std::ceil(p / 100 * values.size()));
    const uint64_t exact = values[rank - 1];
    const uint64_t got = h.Percentile(p);
    EXPECT_GE(got, exact) << p;
    EXPECT_LE(static_cast<double>(got), exact * (1 + 1.0 / 64) + 1) << p;
  }
  EXPECT_EQ(h.Percentile(100), values.back());
  EXPECT_EQ(h.max_ns(), values.back());
  EXPECT_EQ(h.min_ns(), values.front());
}

TEST(LatencyHistogramTest, PercentileNeverAboveMax) {
  LatencyHistogram h;
  h.Add(1000000);  // a bucket whose upper bound is above the value
  EXPECT_EQ(h.Percentile(50), 1000000u);
  EXPECT_EQ(h.Percentile(99), 1000000u);
}

TEST(LatencyHistogramTest, MergeEqualsAddingEverything) {
  LatencyHistogram a;
  LatencyHistogram b;
  LatencyHistogram all;
  for (uint64_t v = 0; v < 5000; ++v) {
    const uint64_t x = v * v + 3;
    (v % 3 == 0 ? a : b).Add(x);
    all.Add(x);
  }
  LatencyHistogram empty;
  a.Merge(empty);
  empty.Merge(a);
  EXPECT_EQ(empty.count(), a.count());
  EXPECT_EQ(empty.min_ns(), a.min_ns());
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min_ns(), all.min_ns());
  EXPECT_EQ(a.max_ns(), all.max_ns());
  EXPECT_DOUBLE_EQ(a.mean_ns(), all.mean_ns());
  for (double p : {1.0, 50.0, 90.0, 99.0}) {
    EXPECT_EQ(a.Percentile(p), all.Percentile(p)) << p;
  }
}

}  // namespace
}  // namespace mxscan::bench
