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
  // Keys: a few shared by all providers, the rest each provider's own.
  tls->set_leaf_spki_sha256(absl::StrCat("key", (*rng)() % 5));
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

// Key reuse: the same leaf key on MX hosts of different organisations.
TEST(AggregateTest, LeafKeysSharedAcrossOrganisations) {
  auto with_key = [](const std::string& domain, const std::string& mx,
                     const std::string& key) {
    DomainResult r = GoodDomain(domain, "", mx);
    r.mutable_mx(0)
        ->mutable_addresses(0)
        ->mutable_smtp()
        ->mutable_tls()
        ->set_leaf_spki_sha256(key);
    return SummarizeDomain(r, LastTwoLabels);
  };
  Aggregate a;
  // A provider's key on its own hosts, for two customers: one organisation.
  a.Add(with_key("a.example", "mx.big.net", "k-provider"));
  a.Add(with_key("b.example", "mx.big.net", "k-provider"));
  // One key on the self-hosted servers of three organisations.
  a.Add(with_key("c.example", "mx.c.example", "k-default"));
  a.Add(with_key("d.example", "mx.d.example", "k-default"));
  a.Add(with_key("e.example", "mx.e.example", "k-default"));
  EXPECT_EQ(a.leaf_keys().SharedCount(), 1u);
  const std::vector<SharedKeyRow> rows = SharedKeyRows(a.leaf_keys(), 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].key, "k-default");
  EXPECT_EQ(rows[0].organisation_count, 3u);
  EXPECT_EQ(rows[0].domains, 3u);
  EXPECT_EQ(rows[0].organisations, "c.example, d.example, e.example");
  // A key from a hostile result file stays inside its JSON string.
  Aggregate hostile;
  hostile.Add(with_key("c.example", "mx.c.example", "k\"<x>|"));
  hostile.Add(with_key("d.example", "mx.d.example", "k\"<x>|"));
  EXPECT_THAT(Json(hostile),
              ::testing::HasSubstr("\"spki_sha256\":\"k\\\"<x>|\""));
  EXPECT_THAT(Json(a),
              ::testing::HasSubstr("\"shared_leaf_keys\":{\"keys\":1,"
                                   "\"untracked_domains\":0,\"top\":[{"
                                   "\"spki_sha256\":\"k-default\","
                                   "\"organisations\":3,\"domains\":3}]}"));
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
