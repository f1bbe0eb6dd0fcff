// The split of `mxscan bench`'s options between its event loops.

#include "scanner/bench/bench_run.h"

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

TEST(BenchRunTest, SharesAddUpToTheWhole) {
  BenchDriverOptions options;
  options.concurrency = 11;
  options.rate = 300;
  options.count = 1001;
  options.warmup_max_attempts = 5;
  int concurrency = 0;
  uint64_t count = 0;
  double rate = 0;
  for (int i = 0; i < 3; ++i) {
    const BenchDriverOptions share = SplitOptions(options, 3, i);
    concurrency += share.concurrency;
    count += share.count;
    rate += share.rate;
    EXPECT_GE(share.warmup_max_attempts, 1u);
    EXPECT_EQ(share.duration_s, options.duration_s);
  }
  EXPECT_EQ(concurrency, 11);
  EXPECT_EQ(count, 1001u);
  EXPECT_DOUBLE_EQ(rate, 300);
  EXPECT_EQ(SplitOptions(options, 3, 0).concurrency, 4);
  EXPECT_EQ(SplitOptions(options, 3, 2).concurrency, 3);
}

TEST(BenchRunTest, ADurationRunStaysADurationRun) {
  BenchDriverOptions options;
  options.concurrency = 4;
  options.duration_s = 2;
  const BenchDriverOptions share = SplitOptions(options, 2, 1);
  EXPECT_EQ(share.count, 0u);
  EXPECT_EQ(share.warmup_max_attempts, 0u);
  EXPECT_EQ(share.duration_s, 2);
}

}  // namespace
}  // namespace mxscan::bench
