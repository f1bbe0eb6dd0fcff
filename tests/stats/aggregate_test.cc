#include "scanner/stats/aggregate.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/stats/report.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing::GoodDomain;
using testing::LastTwoLabels;

// A varied record: posture bits drawn from `rng`.
DomainResult RandomDomain(int i, std::mt19937* rng) {
  const char* sectors[] = {"council", "health", "police", ""};
  DomainResult r = GoodDomain(absl::StrCat("d", i, ".example"),
                              sectors[(*rng)() % 4],
                              absl::StrCat("mx.p", (*rng)() % 7, ".net"));
  TlsInfo* tls = r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()
                     ->mutable_tls();
  if ((*rng)() % 3 == 0) tls->set_version("TLSv1.1");
  if ((*rng)() % 4 == 0) tls->set_cert_expired(true);
  if ((*rng)() % 5 == 0) r.mutable_dmarc()->set_policy("none");
  if ((*rng)() % 2 == 0) r.set_dnssec(true);
  if ((*rng)() % 6 == 0) r.mutable_mx(0)->mutable_addresses(0)->clear_smtp();
  return r;
}

std::string Json(const Aggregate& a) {
  return RenderJson(a, ReportOptions());
}

TEST(AggregateTest, PartsMergeIntoTheWhole) {
  std::mt19937 rng(7);
  Aggregate whole, part[3];
  for (int i = 0; i < 3000; ++i) {
    const DomainSummary s = SummarizeDomain(RandomDomain(i, &rng), LastTwoLabels);
    whole.Add(s);
    part[i % 3].Add(s);
  }
  Aggregate merged;
  for (const Aggregate& p : part) merged.Merge(p);
  EXPECT_EQ(Json(merged), Json(whole));
  EXPECT_EQ(merged.overall().domains, 3000u);
  uint64_t by_sector = 0;
  for (const auto& [name, tally] : merged.sectors()) by_sector += tally.domains;
  EXPECT_EQ(by_sector, 3000u);
  EXPECT_TRUE(merged.sectors().count(Aggregate::kNoSector));
}

TEST(AggregateTest, CountsEachDomainOncePerMetric) {
  Aggregate a;
  a.Add(SummarizeDomain(GoodDomain("a.example", "x", "mx.big.net"), LastTwoLabels));
  a.Add(SummarizeDomain(GoodDomain("b.example", "x", "mx.big.net"), LastTwoLabels));
  DomainResult none = GoodDomain("c.example", "y", "mx.small.net");
  none.mutable_dmarc()->set_policy("none");
  a.Add(SummarizeDomain(none, LastTwoLabels));
  const Tally& all = a.overall();
  EXPECT_EQ(all.domains, 3u);
  EXPECT_EQ(all.Count(Metric::kDmarcReject), 2u);
  EXPECT_EQ(all.Count(Metric::kDmarcNone), 1u);
  EXPECT_EQ(all.Count(Metric::kDmarcValid), 3u);
  EXPECT_EQ(a.sectors().at("x").Count(Metric::kDmarcReject), 2u);
  EXPECT_EQ(a.sectors().at("y").Count(Metric::kDmarcReject), 0u);
  EXPECT_THAT(all.TopProviders(5),
              ElementsAre(Pair("big.net", 2u), Pair("small.net", 1u)));
  EXPECT_THAT(all.TopProviders(1), ElementsAre(Pair("big.net", 2u)));
  EXPECT_EQ(all.tls_categories.at("TLSv1.3"), 3u);
}

TEST(AggregateTest, ProvidersBeyondTheCapAreLumpedTogether) {
  Tally t;
  DomainSummary s;
  for (size_t i = 0; i < kMaxProviders + 5; ++i) {
    s.providers = {absl::StrCat("p", i, ".net")};
    t.Add(s);
  }
  EXPECT_EQ(t.providers.size(), kMaxProviders + 1);
  EXPECT_EQ(t.providers.at(kOtherProviders), 5u);
}

}  // namespace
}  // namespace mxscan::stats
