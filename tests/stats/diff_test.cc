#include "scanner/stats/diff.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::GoodDomain;
using testing::LastTwoLabels;

DomainSummary Summary(const DomainResult& r) {
  return SummarizeDomain(r, LastTwoLabels);
}

class DiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    diff_.AddOld(Summary(GoodDomain("keeps.example", "s", "mx.p.net")));
    diff_.AddOld(Summary(GoodDomain("loses.example", "s", "mx.p.net")));
    diff_.AddOld(Summary(GoodDomain("gone.example", "t", "mx.p.net")));
    DomainResult weak = GoodDomain("gains.example", "t", "mx.p.net");
    weak.mutable_dmarc()->set_policy("none");
    diff_.AddOld(Summary(weak));

    diff_.AddNew(Summary(GoodDomain("keeps.example", "s", "mx.p.net")));
    DomainResult lost = GoodDomain("loses.example", "s", "mx.p.net");
    lost.mutable_dmarc()->set_policy("quarantine");
    diff_.AddNew(Summary(lost));
    diff_.AddNew(Summary(GoodDomain("gains.example", "t", "mx.p.net")));
    diff_.AddNew(Summary(GoodDomain("new.example", "t", "mx.p.net")));
    diff_.Finish();
  }
  ScanDiff diff_;
};

TEST_F(DiffTest, ListsDomainsThatGainedOrLostEachProperty) {
  EXPECT_THAT(diff_.changes(Metric::kDmarcReject).lost,
              ElementsAre("loses.example"));
  EXPECT_THAT(diff_.changes(Metric::kDmarcReject).gained,
              ElementsAre("gains.example"));
  EXPECT_THAT(diff_.changes(Metric::kDmarcQuarantine).gained,
              ElementsAre("loses.example"));
  EXPECT_THAT(diff_.changes(Metric::kDmarcNone).lost,
              ElementsAre("gains.example"));
  EXPECT_THAT(diff_.changes(Metric::kSpfValid).lost, IsEmpty());
  EXPECT_THAT(diff_.added(), ElementsAre("new.example"));
  EXPECT_THAT(diff_.removed(), ElementsAre("gone.example"));
}

TEST_F(DiffTest, TalliesPerScanAndSector) {
  EXPECT_EQ(diff_.old_scan().overall().Count(Metric::kDmarcReject), 3u);
  EXPECT_EQ(diff_.new_scan().overall().Count(Metric::kDmarcReject), 3u);
  EXPECT_EQ(diff_.old_scan().sectors().at("s").Count(Metric::kDmarcReject), 2u);
  EXPECT_EQ(diff_.new_scan().sectors().at("s").Count(Metric::kDmarcReject), 1u);
}

TEST_F(DiffTest, Renderings) {
  const std::string md = RenderDiffMarkdown(diff_, 10, {});
  EXPECT_THAT(md, HasSubstr("| DMARC reject | 100.0% (2) | 50.0% (1) | -50.0 pp |"));
  EXPECT_THAT(md, HasSubstr("- DMARC reject lost (1): loses.example"));
  EXPECT_THAT(md, HasSubstr("- only in the old scan (1): gone.example"));
  EXPECT_THAT(RenderDiffMarkdown(diff_, 0, {}),
              HasSubstr("- DMARC reject lost (1): , ... and 1 more"));
  const std::string json = RenderDiffJson(diff_, {});
  EXPECT_THAT(json, HasSubstr("\"dmarc_reject\":{\"gained\":[\"gains.example\"],"
                              "\"lost\":[\"loses.example\"]}"));
}

}  // namespace
}  // namespace mxscan::stats
