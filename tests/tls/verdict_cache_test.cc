#include "scanner/tls/verdict_cache.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::TestPki;

const TestPki& Pki() { return TestPki::Shared(); }

TEST(VerdictCacheTest, SameChainAndNameIsJudgedOnce) {
  VerdictCache cache(Pki().store);
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const auto first = cache.Judge(chain, "mx.example.com", kNow);
  const auto second = cache.Judge(chain, "mx.example.com", kNow);
  EXPECT_EQ(first, second);  // the very same verdict object
  EXPECT_TRUE(first->trusted);
  EXPECT_TRUE(first->hostname_match);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(VerdictCacheTest, NamesAreComparedWithoutCaseAndTrailingDot) {
  VerdictCache cache(Pki().store);
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  cache.Judge(chain, "mx.example.com", kNow);
  EXPECT_TRUE(cache.Judge(chain, "MX.Example.com.", kNow)->hostname_match);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(VerdictCacheTest, OtherNameOrChainIsJudgedAgain) {
  VerdictCache cache(Pki().store);
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  EXPECT_TRUE(cache.Judge(chain, "mx.example.com", kNow)->hostname_match);
  EXPECT_FALSE(cache.Judge(chain, "mx.example.org", kNow)->hostname_match);
  // The leaf alone is another chain (and untrusted).
  EXPECT_FALSE(cache.Judge({chain[0]}, "mx.example.com", kNow)->trusted);
  EXPECT_EQ(cache.misses(), 3u);
  EXPECT_EQ(cache.size(), 3u);
}

TEST(VerdictCacheTest, AnotherScanTimeIsJudgedAgain) {
  VerdictCache cache(Pki().store);
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}, kNow - kDay, kNow + kDay));
  EXPECT_TRUE(cache.Judge(chain, "mx.example.com", kNow)->trusted);
  EXPECT_TRUE(cache.Judge(chain, "mx.example.com", kNow + 2 * kDay)->expired);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(VerdictCacheTest, LeastRecentlyUsedGoesFirst) {
  VerdictCache cache(Pki().store, /*capacity=*/2);
  const std::vector<std::string> a = Pki().Chain(Pki().Leaf({"a.example"}));
  const std::vector<std::string> b = Pki().Chain(Pki().Leaf({"b.example"}));
  const std::vector<std::string> c = Pki().Chain(Pki().Leaf({"c.example"}));
  const auto kept = cache.Judge(a, "a.example", kNow);
  cache.Judge(b, "b.example", kNow);
  cache.Judge(a, "a.example", kNow);  // a is now the most recent
  cache.Judge(c, "c.example", kNow);  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.misses(), 3u);
  cache.Judge(a, "a.example", kNow);
  EXPECT_EQ(cache.misses(), 3u);
  cache.Judge(b, "b.example", kNow);
  EXPECT_EQ(cache.misses(), 4u);
  EXPECT_TRUE(kept->trusted);  // held verdicts outlive eviction
}

TEST(VerdictCacheTest, ZeroCapacityCachesNothing) {
  VerdictCache cache(Pki().store, /*capacity=*/0);
  const std::vector<std::string> chain = Pki().Chain(Pki().Leaf({"a.example"}));
  cache.Judge(chain, "a.example", kNow);
  cache.Judge(chain, "a.example", kNow);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerdictCacheTest, GarbageIsCachedLikeAnythingElse) {
  VerdictCache cache(Pki().store);
  EXPECT_EQ(cache.Judge({}, "a.example", kNow)->verify_error,
            "no certificate presented");
  EXPECT_FALSE(cache.Judge({"junk"}, "a.example", kNow)->trusted);
  EXPECT_FALSE(cache.Judge({"junk"}, "a.example", kNow)->trusted);
  EXPECT_EQ(cache.misses(), 2u);
}

}  // namespace
}  // namespace mxscan::tls
