#include "scanner/stats/trend.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using testing::GoodDomain;
using ::testing::HasSubstr;
using testing::LastTwoLabels;

// A scan of `n` domains of `sector`, `enforced` of them with DMARC reject.
TrendScan Scan(const std::string& label, const std::string& when,
               const std::string& sector, int n, int enforced) {
  TrendScan scan{label, when, {}};
  for (int i = 0; i < n; ++i) {
    DomainResult r =
        GoodDomain("d" + std::to_string(i) + ".example", sector, "mx.big.net");
    if (i >= enforced) r.mutable_dmarc()->set_policy("none");
    scan.aggregate.Add(SummarizeDomain(r, LastTwoLabels));
  }
  return scan;
}

ReportOptions DmarcOnly() {
  ReportOptions options;
  options.metrics = {*FindMetric("dmarc_enforced")};
  return options;
}

TEST(TrendTest, ScansInTimeOrderWithTheChange) {
  std::vector<TrendScan> scans = {
      Scan("dec", "2026-12-01T00:00:00Z", "council", 4, 3),
      Scan("oct", "2026-10-01T00:00:00Z", "council", 4, 1),
      Scan("nov", "2026-11-01T00:00:00Z", "council", 4, 2),
  };
  OrderScans(&scans);
  EXPECT_EQ(scans[0].label, "oct");
  EXPECT_EQ(scans[2].label, "dec");
  const std::string md = RenderTrendMarkdown(scans, DmarcOnly());
  EXPECT_THAT(md, HasSubstr("| overall | 25.0% | 50.0% | 75.0% | +50.0 pts |"));
  EXPECT_THAT(md, HasSubstr("| council | 25.0% | 50.0% | 75.0% | +50.0 pts |"));
  const std::string csv = RenderTrendCsv(scans, DmarcOnly());
  EXPECT_THAT(
      csv,
      HasSubstr("oct,2026-10-01T00:00:00Z,overall,dmarc_enforced,1,4,25.00\n"));
  EXPECT_THAT(
      RenderTrendJson(scans, DmarcOnly()),
      HasSubstr("\"overall\":{\"dmarc_enforced\":[25.00,50.00,75.00]}"));
}

TEST(TrendTest, ASectorMissingFromAScanAndUndatedScans) {
  std::vector<TrendScan> scans = {
      Scan("a", "", "council", 2, 2),
      Scan("b", "2026-11-01T00:00:00Z", "health", 2, 0)};
  OrderScans(&scans);  // one undated: the order given
  EXPECT_EQ(scans[0].label, "a");
  const std::string md = RenderTrendMarkdown(scans, DmarcOnly());
  EXPECT_THAT(md, HasSubstr("| council | 100.0% | — | +0.0 pts |"));
  EXPECT_THAT(md, HasSubstr("| health | — | 0.0% | +0.0 pts |"));
  EXPECT_THAT(RenderTrendJson(scans, DmarcOnly()),
              HasSubstr("\"council\":{\"dmarc_enforced\":[100.00,null]}"));
}

TEST(TrendTest, HtmlHasALineChartAndTheTablePerMetric) {
  std::vector<TrendScan> scans = {
      Scan("oct", "2026-10-01T00:00:00Z", "council", 4, 1),
      Scan("nov", "2026-11-01T00:00:00Z", "council", 4, 2),
  };
  const std::string html = RenderTrendHtml(scans, DmarcOnly());
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("<path d=\"M"));
  EXPECT_THAT(html, HasSubstr("<td>overall</td><td>25.0%</td><td>50.0%</td>"));
  EXPECT_FALSE(absl::StrContains(html, "<script"));
  EXPECT_FALSE(absl::StrContains(html, "https://"));
}

}  // namespace
}  // namespace mxscan::stats
