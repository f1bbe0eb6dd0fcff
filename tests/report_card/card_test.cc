// Report cards on borderline records: the failing control is named and the
// derived record is what the RFCs require, checked by parsing it back with
// mxscan's own parsers.

#include "scanner/report_card/card.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/dmarc/record.h"
#include "scanner/checks/spf/record.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::report_card {
namespace {

using stats::testing::AddGoodAddress;
using stats::testing::GoodDomain;
using stats::testing::LastTwoLabels;
using ::testing::HasSubstr;

Card CardOf(const DomainResult& r) {
  return BuildCard(r, stats::SummarizeDomain(r, LastTwoLabels));
}

// A copy: the card is often a temporary.
ControlResult Control(const Card& card, const std::string& key) {
  for (const ControlResult c : card.controls) {
    if (c.key == key) return c;
  }
  ADD_FAILURE() << "no control " << key;
  return ControlResult();
}

// The TXT data of `record` ("name. IN TXT \"data\"").
std::string TxtData(const std::string& record) {
  const size_t open = record.find('"');
  const size_t close = record.rfind('"');
  EXPECT_NE(open, std::string::npos) << record;
  return record.substr(open + 1, close - open - 1);
}

TEST(CardTest, AGoodDomainPassesTheMailControls) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  r.mutable_dmarc()->set_record("v=DMARC1; p=reject");
  const Card card = CardOf(r);
  for (const char* key :
       {"mail_setup", "starttls", "tls12", "certificates", "spf", "dmarc"}) {
    EXPECT_EQ(Control(card, key).state, ControlState::kPass) << key;
  }
  EXPECT_EQ(Control(card, "mta_sts").state, ControlState::kFail);
  EXPECT_GT(card.passed, 0);
  EXPECT_THAT(RenderCardText(card), HasSubstr("[PASS] DMARC enforced"));
}

TEST(CardTest, DmarcNoneWithRuaMovesOnKeepingTheReports) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  DmarcResult* d = r.mutable_dmarc();
  d->set_policy("none");
  d->set_record("v=DMARC1; p=none; pct=10; rua=mailto:agg@a.example");
  d->set_pct_tag(10);
  d->add_rua("mailto:agg@a.example");
  const ControlResult c = Control(CardOf(r), "dmarc");
  EXPECT_EQ(c.state, ControlState::kFail);
  EXPECT_THAT(c.why, HasSubstr("p=none"));
  EXPECT_THAT(c.why, HasSubstr("pct=10"));
  EXPECT_TRUE(absl::StartsWith(c.record, "_dmarc.a.example. IN TXT"))
      << c.record;
  const checks::dmarc::DmarcParse parsed = checks::dmarc::ParseDmarcRecord(
      TxtData(c.record), checks::dmarc::DmarcProfile::kRfc9989);
  EXPECT_TRUE(parsed.valid()) << c.record;
  EXPECT_EQ(parsed.policy, checks::dmarc::DmarcPolicy::kQuarantine);
  ASSERT_EQ(parsed.record.rua.size(), 1u);
  EXPECT_EQ(parsed.record.rua[0].uri, "mailto:agg@a.example");
  EXPECT_FALSE(parsed.record.pct_tag.has_value());
}

TEST(CardTest, DmarcNoneWithoutRuaGetsAReportAddress) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  DmarcResult* d = r.mutable_dmarc();
  d->set_policy("none");
  d->set_record("v=DMARC1; p=none");
  const ControlResult c = Control(CardOf(r), "dmarc");
  EXPECT_EQ(c.state, ControlState::kFail);
  EXPECT_THAT(c.fix, HasSubstr("add a report address"));
  const checks::dmarc::DmarcParse parsed = checks::dmarc::ParseDmarcRecord(
      TxtData(c.record), checks::dmarc::DmarcProfile::kRfc9989);
  EXPECT_TRUE(parsed.valid()) << c.record;
  EXPECT_EQ(parsed.policy, checks::dmarc::DmarcPolicy::kQuarantine);
  ASSERT_EQ(parsed.record.rua.size(), 1u);
  EXPECT_EQ(parsed.record.rua[0].uri, "mailto:dmarc-reports@a.example");
}

TEST(CardTest, SpfSoftfailBecomesHardfail) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  r.mutable_spf()->set_all("~all");
  r.mutable_spf()->set_record(
      "v=spf1 ip4:192.0.2.0/24 include:_spf.big.net ~all");
  const ControlResult c = Control(CardOf(r), "spf");
  EXPECT_EQ(c.state, ControlState::kFail);
  const std::string data = TxtData(c.record);
  EXPECT_EQ(data, "v=spf1 ip4:192.0.2.0/24 include:_spf.big.net -all");
  absl::StatusOr<checks::spf::Record> parsed = checks::spf::ParseRecord(data);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->HasAll());
}

TEST(CardTest, ADomainWithoutMailGetsTheLockRecords) {
  DomainResult r;
  r.set_domain("parked.example");
  r.set_status(DomainResult::OK);
  r.set_implicit_mx(true);
  MxHost* self = r.add_mx();
  self->set_host("parked.example");
  self->set_address_status(NOERROR);
  const Card card = CardOf(r);
  const ControlResult mx = Control(card, "mail_setup");
  EXPECT_EQ(mx.state, ControlState::kFail);
  EXPECT_EQ(mx.record, "parked.example. IN MX 0 .");
  const ControlResult spf = Control(card, "spf");
  EXPECT_EQ(TxtData(spf.record), "v=spf1 -all");
  absl::StatusOr<checks::spf::Record> parsed =
      checks::spf::ParseRecord(TxtData(spf.record));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->PermitsNothing());
  EXPECT_EQ(TxtData(Control(card, "dmarc").record), "v=DMARC1; p=reject");
  EXPECT_EQ(Control(card, "starttls").state, ControlState::kNotApplicable);
  EXPECT_EQ(Control(card, "dkim").state, ControlState::kNotApplicable);
}

TEST(CardTest, NamesTheHostAndItsCertificateProblem) {
  DomainResult r = GoodDomain("a.example", "council", "mx1.a.example");
  MxHost* second = r.add_mx();
  second->set_host("mx2.a.example");
  TlsInfo* tls =
      AddGoodAddress(second, "192.0.2.2")->mutable_smtp()->mutable_tls();
  tls->set_cert_expired(true);
  tls->set_verify_error("certificate has expired");
  const ControlResult c = Control(CardOf(r), "certificates");
  EXPECT_EQ(c.state, ControlState::kFail);
  EXPECT_THAT(c.why,
              HasSubstr("mx2.a.example: expired, certificate has expired"));
  EXPECT_THAT(c.why, ::testing::Not(HasSubstr("mx1.a.example")));
}

TEST(CardTest, MtaStsPolicyDerivedWhenCertificatesAreReady) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  const ControlResult c = Control(CardOf(r), "mta_sts");
  EXPECT_EQ(c.state, ControlState::kFail);
  EXPECT_THAT(c.record, HasSubstr("_mta-sts.a.example. IN TXT \"v=STSv1; id="));
  EXPECT_THAT(c.record,
              HasSubstr("version: STSv1\nmode: testing\nmx: mx.big.net\n"));
  // Testing mode: the fix says to enforce.
  r.mutable_mta_sts()->set_txt_present(true);
  r.mutable_mta_sts()->set_policy_fetched(true);
  r.mutable_mta_sts()->set_mode("testing");
  EXPECT_THAT(Control(CardOf(r), "mta_sts").why, HasSubstr("mode testing"));
}

TEST(CardTest, DnssecNotMeasuredWithoutAValidatingResolver) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  r.set_dnssec_status(NOT_VALIDATED);
  const Card card = CardOf(r);
  EXPECT_EQ(Control(card, "dnssec").state, ControlState::kNotMeasured);
  EXPECT_EQ(Control(card, "dane").state, ControlState::kNotMeasured);
  EXPECT_THAT(RenderCardJson(card), HasSubstr("\"state\":\"not measured\""));
}

TEST(CardTest, ARecordMeantAsSpfIsNamedAndCorrected) {
  DomainResult r = GoodDomain("a.example", "council", "mx.big.net");
  r.clear_spf();
  r.mutable_spf()->add_lookalikes(
      "v=spf1,mx,a,-all: ',' after v=spf1 where RFC 7208 section 4.5 "
      "requires a space (meant: v=spf1 mx a -all)");
  const ControlResult c = Control(CardOf(r), "spf");
  EXPECT_EQ(c.state, ControlState::kFail);
  EXPECT_THAT(c.why, HasSubstr("v=spf1,mx,a,-all"));
  EXPECT_EQ(TxtData(c.record), "v=spf1 mx a -all");
  EXPECT_TRUE(checks::spf::ParseRecord(TxtData(c.record)).ok());
}

}  // namespace
}  // namespace mxscan::report_card
