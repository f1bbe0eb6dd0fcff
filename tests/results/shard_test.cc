#include "scanner/results/shard.h"

#include <string>

#include "gtest/gtest.h"

namespace mxscan::results {
namespace {

TEST(ShardTest, ParsesAndRejects) {
  EXPECT_EQ(ParseShard("2/5")->index, 2u);
  EXPECT_EQ(ParseShard("2/5")->count, 5u);
  EXPECT_FALSE(ParseShard("5/5").ok());
  EXPECT_FALSE(ParseShard("1/0").ok());
  EXPECT_FALSE(ParseShard("a/b").ok());
  EXPECT_FALSE(ParseShard("1").ok());
}

TEST(ShardTest, EveryDomainIsInExactlyOneShard) {
  for (int i = 0; i < 1000; ++i) {
    const std::string domain = "d" + std::to_string(i) + ".example";
    int owners = 0;
    for (uint32_t s = 0; s < 7; ++s) owners += Shard{s, 7}.Contains(domain);
    EXPECT_EQ(owners, 1) << domain;
  }
}

TEST(ShardTest, HashIsStableAcrossRunsAndMachines) {
  // FNV-1a's published values: fixed forever, so shards stay put.
  EXPECT_EQ(StableHash(""), 14695981039346656037ull);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace mxscan::results
