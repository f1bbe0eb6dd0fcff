#include "scanner/stats/report.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using testing::AddGoodAddress;
using testing::GoodDomain;
using ::testing::HasSubstr;
using testing::LastTwoLabels;

Aggregate Sample() {
  Aggregate a;
  a.Add(SummarizeDomain(GoodDomain("a.example", "council", "mx.big.net"),
                        LastTwoLabels));
  DomainResult weak = GoodDomain("b.example", "health <&>", "mx.big.net");
  weak.mutable_dmarc()->set_present(false);
  weak.mutable_dmarc()->set_valid(false);
  a.Add(SummarizeDomain(weak, LastTwoLabels));
  return a;
}

google::protobuf::Value ParseJson(const std::string& text) {
  google::protobuf::Value value;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &value).ok())
      << text;
  return value;
}

TEST(ReportTest, JsonFollowsTheContract) {
  const google::protobuf::Value v = ParseJson(RenderJson(Sample(), ReportOptions()));
  const auto& overall = v.struct_value().fields().at("overall").struct_value();
  EXPECT_EQ(overall.fields().at("domains").number_value(), 2);
  EXPECT_EQ(overall.fields().at("dmarc_reject").number_value(), 1);
  EXPECT_EQ(overall.fields().at("percent").struct_value().fields()
                .at("dmarc_reject").number_value(), 50);
  for (const MetricInfo& m : Metrics()) {
    EXPECT_TRUE(overall.fields().contains(std::string(m.key))) << m.key;
  }
  const auto& sectors = v.struct_value().fields().at("sectors").struct_value();
  EXPECT_EQ(sectors.fields().at("council").struct_value().fields()
                .at("dmarc_reject").number_value(), 1);
  EXPECT_EQ(sectors.fields().at("health <&>").struct_value().fields()
                .at("dmarc_present").number_value(), 0);
  const auto& top = overall.fields().at("top_providers").list_value();
  ASSERT_EQ(top.values_size(), 1);
  EXPECT_EQ(top.values(0).struct_value().fields().at("provider").string_value(),
            "big.net");
}

TEST(ReportTest, ByNoneHasTheOverallRowOnly) {
  ReportOptions options;
  options.by_sector = false;
  const google::protobuf::Value v = ParseJson(RenderJson(Sample(), options));
  EXPECT_TRUE(v.struct_value().fields().at("sectors").struct_value()
                  .fields().empty());
  const std::vector<std::string> lines =
      absl::StrSplit(RenderCsv(Sample(), options), '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.size(), 2u);
}

TEST(ReportTest, CsvHasARowPerSectorAndAColumnPairPerMetric) {
  const std::vector<std::string> lines =
      absl::StrSplit(RenderCsv(Sample(), ReportOptions()), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);  // header, overall, two sectors
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  EXPECT_EQ(header.size(), 2 + 2 * MetricsOf(MetricGroup::kHeadline).size());
  EXPECT_EQ(header[2], "mx_present");
  EXPECT_THAT(lines[1], ::testing::StartsWith("overall,2,2,100.00,"));
  EXPECT_THAT(lines[3], ::testing::StartsWith("health <&>,1,"));
}

TEST(ReportTest, MarkdownHasTheTableAndBreakdowns) {
  const std::string md = RenderMarkdown(Sample(), ReportOptions());
  EXPECT_THAT(md, HasSubstr("| overall | 2 |"));
  EXPECT_THAT(md, HasSubstr("| council | 1 |"));
  EXPECT_THAT(md, HasSubstr("| big.net | 2 | 100.0% |"));
  EXPECT_THAT(md, HasSubstr("| TLSv1.3 | 2 (100.0%) |"));
}

TEST(ReportTest, HtmlIsSelfContainedAndEscaped) {
  const std::string html = RenderHtml(Sample(), ReportOptions());
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("health &lt;&amp;&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "health <&>"));
  EXPECT_FALSE(absl::StrContains(html, "<script"));
  EXPECT_FALSE(absl::StrContains(html, "http://") &&
               !absl::StrContains(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_FALSE(absl::StrContains(html, "https://"));
  // The strict-sender chart, the overall chart, one per metric (two
  // sectors), providers, one per dependency kind, TLS, two certificate
  // charts and software.
  size_t charts = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 1 + 1 + MetricsOf(MetricGroup::kHeadline).size() + 1 +
                        kDependencyKinds + 1 + 2 + 1);
  EXPECT_TRUE(absl::StrContains(
      html,
      "would not be delivered by a sender that enforces DANE and "
      "MTA-STS"));
}

// A scan through a resolver that does not validate: its DNSSEC and DANE
// figures read "not measured" in every format, never 0%.
TEST(ReportTest, Ipv6NotMeasuredWithoutIpv6Probes) {
  // A scan with --no-ipv6: the MX host's IPv6 address was not probed.
  DomainResult r = GoodDomain("a.example", "council", "mx.provider.net");
  r.mutable_mx(0)->add_addresses()->set_ip("2001:db8::25");
  Aggregate a;
  a.Add(SummarizeDomain(r, LastTwoLabels));
  EXPECT_EQ(FigureText(a.overall(), Metric::kMxIpv6), "100.0% (1)");
  EXPECT_EQ(FigureText(a.overall(), Metric::kSmtpReachableIpv6),
            "not measured");
  EXPECT_EQ(FigureText(a.overall(), Metric::kIpv6WeakerThanIpv4),
            "not measured");
  EXPECT_EQ(FigureText(a.overall(), Metric::kStarttlsAllMxIpv4), "100.0% (1)");
  EXPECT_THAT(RenderMarkdown(a, ReportOptions()),
              HasSubstr("| IPv6: STARTTLS all MX | not measured |"));
  EXPECT_THAT(RenderHtml(a, ReportOptions()), HasSubstr("address-families"));

  // One domain whose IPv6 server was probed makes the row measured.
  DomainResult probed = GoodDomain("b.example", "council", "mx.provider.net");
  AddGoodAddress(probed.mutable_mx(0), "2001:db8::26");
  a.Add(SummarizeDomain(probed, LastTwoLabels));
  EXPECT_EQ(FigureText(a.overall(), Metric::kSmtpReachableIpv6), "50.0% (1)");

  // A sector without IPv6 anywhere: 0%, measured.
  Aggregate v4;
  v4.Add(SummarizeDomain(GoodDomain("c.example", "", "mx.provider.net"),
                         LastTwoLabels));
  EXPECT_EQ(FigureText(v4.overall(), Metric::kSmtpReachableIpv6), "0.0% (0)");
}

TEST(ReportTest, PostQuantumKeyExchangeIsMeasuredOnlyWhereProbed) {
  // A scan without --probe-pq: not measured, never 0%.
  Aggregate a;
  a.Add(SummarizeDomain(GoodDomain("a.example", "council", "mx.provider.net"),
                        LastTwoLabels));
  EXPECT_EQ(FigureText(a.overall(), Metric::kPqHybridAllMx), "not measured");
  // Probed: one server selected X25519MLKEM768, one X25519.
  DomainResult hybrid = GoodDomain("b.example", "council", "mx.provider.net");
  PqSelection* pq = hybrid.mutable_mx(0)
                        ->mutable_addresses(0)
                        ->mutable_smtp()
                        ->mutable_tls()
                        ->mutable_pq_selection();
  pq->set_probed(true);
  pq->set_selected_group("X25519MLKEM768");
  pq->set_hybrid(true);
  DomainResult classic = GoodDomain("c.example", "council", "mx.other.net");
  classic.mutable_mx(0)
      ->mutable_addresses(0)
      ->mutable_smtp()
      ->mutable_tls()
      ->mutable_pq_selection()
      ->set_probed(true);
  Aggregate probed;
  for (const DomainResult& r : {hybrid, classic}) {
    probed.Add(SummarizeDomain(r, LastTwoLabels));
  }
  EXPECT_EQ(FigureText(probed.overall(), Metric::kPqHybridAllMx), "50.0% (1)");
  EXPECT_EQ(FigureText(probed.overall(), Metric::kPqProbed), "100.0% (2)");
  EXPECT_THAT(RenderMarkdown(probed, ReportOptions()),
              HasSubstr("| post-quantum key exchange all MX | 50.0% (1) |"));
}

TEST(ReportTest, DnssecNotMeasuredWithoutAValidatingResolver) {
  Aggregate a;
  for (const char* name : {"a.example", "b.example"}) {
    DomainResult r = GoodDomain(name, "council", "mx.big.net");
    r.set_dnssec_status(NOT_VALIDATED);
    a.Add(SummarizeDomain(r, LastTwoLabels));
  }
  EXPECT_TRUE(NotMeasured(a.overall(), Metric::kDnssec));
  EXPECT_TRUE(NotMeasured(a.overall(), Metric::kDaneValid));
  EXPECT_FALSE(NotMeasured(a.overall(), Metric::kSpfValid));
  EXPECT_EQ(FigureText(a.overall(), Metric::kDnssec), "not measured");
  EXPECT_THAT(RenderMarkdown(a, ReportOptions()), HasSubstr("not measured"));
  EXPECT_THAT(RenderMarkdown(a, ReportOptions()),
              HasSubstr("| NOT_VALIDATED | 2 (100.0%) |"));
  EXPECT_THAT(RenderHtml(a, ReportOptions()), HasSubstr("not measured"));
  ReportOptions dnssec_only;
  dnssec_only.metrics = {*FindMetric("dnssec")};
  EXPECT_THAT(RenderCsv(a, dnssec_only), HasSubstr("overall,2,,\n"));
  const google::protobuf::Value v = ParseJson(RenderJson(a, ReportOptions()));
  const auto& missing = v.struct_value()
                            .fields()
                            .at("overall")
                            .struct_value()
                            .fields()
                            .at("not_measured")
                            .list_value();
  // dnssec, dane_published, dane_valid, dane_effective, DANE over each
  // address family, the post-quantum key exchange (no --probe-pq), the
  // two census classes (no --tls-census) and the old versions accepted
  // (no --probe-tls-versions).
  EXPECT_EQ(missing.values_size(), 11);
  // A domain that asked nothing (an invalid name) changes nothing.
  DomainResult invalid;
  invalid.set_domain("bad..example");
  invalid.set_status(DomainResult::ERROR);
  a.Add(SummarizeDomain(invalid, LastTwoLabels));
  EXPECT_TRUE(NotMeasured(a.overall(), Metric::kDnssec));
  // One domain scanned through a validating resolver: measured.
  DomainResult validated = GoodDomain("c.example", "council", "mx.big.net");
  validated.set_dnssec_status(INSECURE);
  a.Add(SummarizeDomain(validated, LastTwoLabels));
  EXPECT_FALSE(NotMeasured(a.overall(), Metric::kDnssec));
}

}  // namespace
}  // namespace mxscan::stats
