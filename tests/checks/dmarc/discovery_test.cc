#include "scanner/checks/dmarc/discovery.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::checks::dmarc {
namespace {

using ::mxscan::testing::Name;
using ::mxscan::testing::Txt;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint16_t kTxt = dns::rr_type::kTxt;

MATCHER_P(AnyHas, needle, "") {
  for (const std::string& m : arg) {
    if (m.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string Dump(const mxscan::DmarcResult& r) { return r.DebugString(); }

class DmarcDiscoveryTest : public ::testing::Test {
 protected:
  DmarcDiscoveryTest() {
    auto psl =
        org_domain::PublicSuffixList::FromString("com\nnet\norg\nuk\nco.uk\n");
    EXPECT_TRUE(psl.ok());
    psl_.emplace(*std::move(psl));
  }

  void Txt(const std::string& name, const std::string& text) {
    dns_.AddRecord(name, kTxt, mxscan::testing::Txt(text));
  }

  DmarcDiscoveryOptions Options(DmarcProfile profile) {
    DmarcDiscoveryOptions options;
    options.profile = profile;
    options.psl = &*psl_;
    return options;
  }

  mxscan::DmarcResult Discover(const std::string& domain,
                               const DmarcDiscoveryOptions& options) {
    std::optional<mxscan::DmarcResult> result;
    int calls = 0;
    const absl::Status status =
        DiscoverDmarc(dns_, domain, options, [&](mxscan::DmarcResult r) {
          ++calls;
          result = std::move(r);
        });
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(calls, 0) << "done must come later, from a DNS answer";
    dns_.RunUntilIdle();
    EXPECT_EQ(calls, 1);
    // Every distinct question is asked once.
    const std::set<std::string> distinct(dns_.asked().begin(),
                                         dns_.asked().end());
    EXPECT_EQ(distinct.size(), dns_.asked().size())
        << absl::StrJoin(dns_.asked(), "\n");
    return result.value_or(mxscan::DmarcResult());
  }

  mxscan::DmarcResult Discover9989(const std::string& domain) {
    return Discover(domain, Options(DmarcProfile::kRfc9989));
  }
  mxscan::DmarcResult Discover7489(const std::string& domain) {
    return Discover(domain, Options(DmarcProfile::kRfc7489));
  }

  testing::FakeDnsSource dns_;
  std::optional<org_domain::PublicSuffixList> psl_;
};

TEST_F(DmarcDiscoveryTest, OwnRecord) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com");
  Txt("_dmarc.example.com", "some-other-verification=abc");
  const mxscan::DmarcResult r = Discover9989("Example.COM.");
  EXPECT_TRUE(r.present());
  EXPECT_TRUE(r.valid()) << Dump(r);
  EXPECT_EQ(r.record(),
            "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com");
  EXPECT_EQ(r.policy(), "reject");
  EXPECT_EQ(r.subdomain_policy(), "quarantine");
  EXPECT_EQ(r.np(), "");
  EXPECT_EQ(r.adkim(), "r");
  EXPECT_EQ(r.aspf(), "r");
  EXPECT_THAT(r.fo(), ElementsAre("0"));
  EXPECT_EQ(r.psd(), "u");
  EXPECT_EQ(r.t(), "n");
  EXPECT_EQ(r.pct(), 0u);
  EXPECT_THAT(r.rua(), ElementsAre("mailto:d@example.com"));
  EXPECT_FALSE(r.inherited());
  EXPECT_EQ(r.org_domain(), "example.com");
  EXPECT_EQ(r.record_domain(), "example.com");
  EXPECT_EQ(r.profile(), "rfc9989");
  EXPECT_EQ(r.dns_status(), mxscan::NOERROR);
  EXPECT_THAT(r.errors(), IsEmpty());
  EXPECT_THAT(r.unauthorized_destinations(), IsEmpty());
  // The walk goes on past the own record to find the Organizational Domain.
  EXPECT_THAT(dns_.asked(),
              ElementsAre("_dmarc.example.com. TXT", "_dmarc.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, NoRecordAnywhere) {
  const mxscan::DmarcResult r = Discover9989("mail.example.com");
  EXPECT_FALSE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.policy(), "");
  EXPECT_EQ(r.dns_status(), mxscan::NXDOMAIN);
  EXPECT_THAT(r.errors(), IsEmpty());
  EXPECT_EQ(r.org_domain(), "mail.example.com");
  EXPECT_EQ(dns_.asked().size(), 3u);
}

TEST_F(DmarcDiscoveryTest, InheritedFromTheOrganizationalDomain) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com");
  const mxscan::DmarcResult r = Discover9989("a.b.example.com");
  EXPECT_TRUE(r.valid()) << Dump(r);
  EXPECT_TRUE(r.inherited());
  EXPECT_EQ(r.policy(), "quarantine");  // sp for an existing subdomain
  EXPECT_EQ(r.subdomain_policy(), "quarantine");
  EXPECT_EQ(r.record_domain(), "example.com");
  EXPECT_EQ(r.org_domain(), "example.com");
  EXPECT_THAT(
      dns_.asked(),
      ElementsAre("_dmarc.a.b.example.com. TXT", "_dmarc.b.example.com. TXT",
                  "_dmarc.example.com. TXT", "_dmarc.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, NonExistentDomainGetsNp) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:d@example.com");
  DmarcDiscoveryOptions options = Options(DmarcProfile::kRfc9989);
  options.domain_exists = false;
  const mxscan::DmarcResult r = Discover("ghost.example.com", options);
  EXPECT_EQ(r.policy(), "reject");
  EXPECT_EQ(r.np(), "reject");
}

TEST_F(DmarcDiscoveryTest, IntermediateRecordsDoNotApply) {
  Txt("_dmarc.b.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com");
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  const mxscan::DmarcResult r = Discover9989("a.b.example.com");
  EXPECT_EQ(r.org_domain(), "example.com");
  EXPECT_EQ(r.record_domain(), "example.com");
  EXPECT_EQ(r.policy(), "reject");
}

TEST_F(DmarcDiscoveryTest, PsdNoStopsTheWalk) {
  Txt("_dmarc.b.example.com",
      "v=DMARC1; p=none; sp=quarantine; psd=n; rua=mailto:d@example.com");
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  const mxscan::DmarcResult r = Discover9989("a.b.example.com");
  EXPECT_EQ(r.org_domain(), "b.example.com");
  EXPECT_EQ(r.record_domain(), "b.example.com");
  EXPECT_EQ(r.policy(), "quarantine");
  EXPECT_EQ(r.psd(), "n");
  // _dmarc.example.com is asked by the report check (d@example.com is
  // outside b.example.com), never by the walk, which stopped.
  EXPECT_THAT(
      dns_.asked(),
      ElementsAre("_dmarc.a.b.example.com. TXT", "_dmarc.b.example.com. TXT",
                  "b.example.com._report._dmarc.example.com. TXT"));
  EXPECT_THAT(r.unauthorized_destinations(),
              ElementsAre("mailto:d@example.com"));
}

// A PSD (psd=y) at a TLD-like level: its policy applies to names below an
// Organizational Domain that publishes none (RFC 9989 B.4.3's setting).
TEST_F(DmarcDiscoveryTest, PsdPolicyAtATopLevelDomain) {
  Txt("_dmarc.bank", "v=DMARC1; p=reject; sp=quarantine; psd=y");
  const mxscan::DmarcResult r = Discover9989("mail.giant.bank");
  EXPECT_TRUE(r.present());
  EXPECT_TRUE(r.inherited());
  EXPECT_EQ(r.org_domain(), "giant.bank");
  EXPECT_EQ(r.record_domain(), "bank");
  EXPECT_EQ(r.policy(), "quarantine");
  EXPECT_EQ(r.psd(), "y");
}

TEST_F(DmarcDiscoveryTest, PsdReportDestinationsAreExternal) {
  Txt("_dmarc.bank", "v=DMARC1; p=reject; psd=y; rua=mailto:d@nic.bank");
  Txt("bank._report._dmarc.nic.bank", "v=DMARC1");
  const mxscan::DmarcResult r = Discover9989("giant.bank");
  EXPECT_EQ(r.record_domain(), "bank");
  EXPECT_THAT(r.unauthorized_destinations(), IsEmpty());
  EXPECT_THAT(
      dns_.asked(),
      ElementsAre("_dmarc.giant.bank. TXT", "_dmarc.bank. TXT",
                  "_dmarc.nic.bank. TXT", "bank._report._dmarc.nic.bank. TXT"));
}

TEST_F(DmarcDiscoveryTest, OrganizationalDomainBelowAPsd) {
  Txt("_dmarc.giant.bank.example", "v=DMARC1; p=quarantine; sp=reject");
  Txt("_dmarc.bank.example", "v=DMARC1; p=none; psd=y");
  const mxscan::DmarcResult r = Discover9989("mail.giant.bank.example");
  EXPECT_EQ(r.org_domain(), "giant.bank.example");
  EXPECT_EQ(r.record_domain(), "giant.bank.example");
  EXPECT_EQ(r.policy(), "reject");
  // The walk stopped at the PSD: _dmarc.example is never asked.
  EXPECT_EQ(dns_.asked().size(), 3u);
}

// RFC 9989 takes a TLD record without psd=y for an Organizational Domain
// (section 11.8 tells domain owners to add psd=n against it).
TEST_F(DmarcDiscoveryTest, TldRecordWithoutPsdTag) {
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  Txt("_dmarc.com", "v=DMARC1; p=none");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_EQ(r.org_domain(), "com");
  EXPECT_EQ(r.policy(), "reject");  // the own record still applies
}

TEST_F(DmarcDiscoveryTest, LongNamesMakeAtMostEightQueries) {
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  const mxscan::DmarcResult r =
      Discover9989("a.b.c.d.e.f.g.h.i.j.mail.example.com");
  EXPECT_EQ(r.policy(), "reject");
  EXPECT_TRUE(r.inherited());
  EXPECT_THAT(dns_.asked(),
              ElementsAre("_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com. TXT",
                          "_dmarc.g.h.i.j.mail.example.com. TXT",
                          "_dmarc.h.i.j.mail.example.com. TXT",
                          "_dmarc.i.j.mail.example.com. TXT",
                          "_dmarc.j.mail.example.com. TXT",
                          "_dmarc.mail.example.com. TXT",
                          "_dmarc.example.com. TXT", "_dmarc.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, SkippedLabelsAreNeverAsked) {
  // RFC 9989 section 5.1.8: a psd=n record in the skipped part is unseen.
  Txt("_dmarc.b.c.d.e.f.g.example.com", "v=DMARC1; p=none; psd=n");
  Txt("_dmarc.example.com", "v=DMARC1; p=reject");
  const mxscan::DmarcResult r = Discover9989("mail.a.b.c.d.e.f.g.example.com");
  EXPECT_EQ(r.org_domain(), "example.com");
  EXPECT_EQ(r.policy(), "reject");
  EXPECT_EQ(dns_.asked().size(), 8u);
}

TEST_F(DmarcDiscoveryTest, SeveralOwnRecordsAreDiscarded) {
  Txt("_dmarc.a.example.com", "v=DMARC1; p=none");
  Txt("_dmarc.a.example.com", "v=DMARC1; p=reject");
  Txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
  const mxscan::DmarcResult r = Discover9989("a.example.com");
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(), AnyHas("2 DMARC records at _dmarc.a.example.com"));
  // RFC 9989 walks on as if there were none.
  EXPECT_TRUE(r.inherited());
  EXPECT_EQ(r.policy(), "quarantine");
}

TEST_F(DmarcDiscoveryTest, SeveralOwnRecordsStopRfc7489) {
  Txt("_dmarc.a.example.com", "v=DMARC1; p=none");
  Txt("_dmarc.a.example.com", "v=DMARC1; p=reject");
  Txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
  const mxscan::DmarcResult r = Discover7489("a.example.com");
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.policy(), "");
  EXPECT_THAT(r.errors(), AnyHas("DMARC processing does not apply"));
  EXPECT_THAT(dns_.asked(), ElementsAre("_dmarc.a.example.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, LookalikeRecordIsReported) {
  Txt("_dmarc.example.com", "v=dmarc1; p=reject");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_FALSE(r.present());
  EXPECT_THAT(r.errors(), AnyHas("case-sensitive"));
}

TEST_F(DmarcDiscoveryTest, EscapedTabsAreTabs) {
  Txt("_dmarc.example.com", "v=DMARC1;\tp=reject;\t");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_EQ(r.policy(), "reject");
}

TEST_F(DmarcDiscoveryTest, RecordBehindACname) {
  dns_.AddRecord("_dmarc.example.com", dns::rr_type::kCname,
                 Name("example.com._dmarc.provider.net."));
  Txt("example.com._dmarc.provider.net", "v=DMARC1; p=quarantine");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_EQ(r.policy(), "quarantine");
  EXPECT_FALSE(r.inherited());
}

TEST_F(DmarcDiscoveryTest, TimeoutIsNeverNoRecord) {
  for (DmarcProfile profile :
       {DmarcProfile::kRfc9989, DmarcProfile::kRfc7489}) {
    testing::FakeDnsSource fresh;
    std::swap(dns_, fresh);
    Txt("_dmarc.example.com", "v=DMARC1; p=reject");
    dns_.SetStatus("_dmarc.a.example.com", kTxt, dns::LookupStatus::kTimeout);
    const mxscan::DmarcResult r = Discover("a.example.com", Options(profile));
    EXPECT_FALSE(r.present());
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(r.policy(), "");
    EXPECT_EQ(r.dns_status(), mxscan::TIMEOUT);
    EXPECT_THAT(r.errors(), AnyHas("TIMEOUT"));
    EXPECT_THAT(r.errors(), AnyHas("policy is unknown"));
    EXPECT_EQ(dns_.asked().size(), 1u);
  }
}

TEST_F(DmarcDiscoveryTest, ParentFailureWithOwnRecord) {
  Txt("_dmarc.a.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  dns_.SetStatus("_dmarc.example.com", kTxt, dns::LookupStatus::kServFail);
  const mxscan::DmarcResult r = Discover9989("a.example.com");
  EXPECT_TRUE(r.valid()) << Dump(r);  // the policy is known
  EXPECT_EQ(r.policy(), "reject");
  EXPECT_EQ(r.org_domain(), "");
  EXPECT_THAT(r.warnings(), AnyHas("organisational domain is unknown"));
  EXPECT_EQ(r.dns_status(), mxscan::NOERROR);
}

TEST_F(DmarcDiscoveryTest, ParentFailureWithoutOwnRecord) {
  Txt("_dmarc.com", "v=DMARC1; p=reject; psd=y");
  dns_.SetStatus("_dmarc.example.com", kTxt, dns::LookupStatus::kServFail);
  const mxscan::DmarcResult r = Discover9989("a.example.com");
  EXPECT_FALSE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.dns_status(), mxscan::SERVFAIL);
  EXPECT_THAT(r.errors(), AnyHas("inherited DMARC policy is unknown"));
  EXPECT_EQ(dns_.asked().size(), 2u);  // the walk stops at the failure
}

TEST_F(DmarcDiscoveryTest, Rfc7489UsesThePublicSuffixList) {
  Txt("_dmarc.example.co.uk", "v=DMARC1; p=reject; sp=none; pct=50");
  Txt("_dmarc.co.uk", "v=DMARC1; p=quarantine; psd=y");
  const mxscan::DmarcResult r = Discover7489("a.b.example.co.uk");
  EXPECT_TRUE(r.present());
  EXPECT_TRUE(r.inherited());
  EXPECT_EQ(r.org_domain(), "example.co.uk");
  EXPECT_EQ(r.record_domain(), "example.co.uk");
  EXPECT_EQ(r.policy(), "none");
  EXPECT_EQ(r.pct(), 50u);
  EXPECT_EQ(r.profile(), "rfc7489");
  EXPECT_EQ(r.psd(), "");
  EXPECT_THAT(dns_.asked(), ElementsAre("_dmarc.a.b.example.co.uk. TXT",
                                        "_dmarc.example.co.uk. TXT"));
}

TEST_F(DmarcDiscoveryTest, Rfc7489OwnRecordAsksOnce) {
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");
  const mxscan::DmarcResult r = Discover7489("example.com");
  EXPECT_TRUE(r.valid()) << Dump(r);
  EXPECT_EQ(r.pct(), 100u);
  EXPECT_THAT(dns_.asked(), ElementsAre("_dmarc.example.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, Rfc7489OrganizationalDomainFailure) {
  dns_.SetStatus("_dmarc.example.com", kTxt, dns::LookupStatus::kTimeout);
  const mxscan::DmarcResult r = Discover7489("www.example.com");
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.dns_status(), mxscan::TIMEOUT);
  EXPECT_THAT(r.errors(), AnyHas("inherited DMARC policy is unknown"));
}

// The same zone judged by both profiles: psd=n makes b.example.com an
// Organizational Domain for RFC 9989; the PSL knows nothing of it.
TEST_F(DmarcDiscoveryTest, ProfilesDisagreeOnTheOrganizationalDomain) {
  Txt("_dmarc.b.example.com", "v=DMARC1; p=quarantine; psd=n");
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none");
  const mxscan::DmarcResult bis = Discover9989("a.b.example.com");
  EXPECT_EQ(bis.org_domain(), "b.example.com");
  EXPECT_EQ(bis.policy(), "quarantine");
  testing::FakeDnsSource fresh;
  std::swap(dns_, fresh);
  Txt("_dmarc.b.example.com", "v=DMARC1; p=quarantine; psd=n");
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none");
  const mxscan::DmarcResult old = Discover7489("a.b.example.com");
  EXPECT_EQ(old.org_domain(), "example.com");
  EXPECT_EQ(old.policy(), "none");
}

TEST_F(DmarcDiscoveryTest, ReportDestinationsInsideTheOrganization) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=reject; rua=mailto:a@example.com,"
      "mailto:b@reports.example.com; ruf=mailto:c@reports.example.com");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_THAT(r.unauthorized_destinations(), IsEmpty());
  // reports.example.com is walked once (its walk shares _dmarc.example.com
  // and _dmarc.com with the domain's); no authorisation question.
  EXPECT_THAT(dns_.asked(),
              ElementsAre("_dmarc.example.com. TXT", "_dmarc.com. TXT",
                          "_dmarc.reports.example.com. TXT"));
}

TEST_F(DmarcDiscoveryTest, ReportHostThatIsItsOwnOrganizationalDomain) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=reject; rua=mailto:a@dept.example.com");
  Txt("_dmarc.dept.example.com", "v=DMARC1; p=reject; psd=n");
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_THAT(r.unauthorized_destinations(),
              ElementsAre("mailto:a@dept.example.com"));
}

TEST_F(DmarcDiscoveryTest, ExternalReportDestinations) {
  Txt("_dmarc.example.com",
      "v=DMARC1; p=reject; rua=mailto:agg@vendor.net,mailto:x@rogue.net; "
      "ruf=mailto:ruf@vendor.net,mailto:y@slow.net");
  Txt("example.com._report._dmarc.vendor.net", "v=DMARC1");
  Txt("example.com._report._dmarc.rogue.net", "unrelated text");
  dns_.SetStatus("example.com._report._dmarc.slow.net", kTxt,
                 dns::LookupStatus::kTimeout);
  const mxscan::DmarcResult r = Discover9989("example.com");
  EXPECT_THAT(r.unauthorized_destinations(), ElementsAre("mailto:x@rogue.net"));
  EXPECT_THAT(r.warnings(), AnyHas("mailto:x@rogue.net is in another"));
  EXPECT_THAT(r.warnings(), AnyHas("cannot tell whether report host slow.net"));
  EXPECT_TRUE(r.valid()) << Dump(r);
  // vendor.net is asked once for rua and ruf.
  EXPECT_EQ(dns_.asked().size(), 5u) << absl::StrJoin(dns_.asked(), "\n");
}

TEST_F(DmarcDiscoveryTest, InheritedRecordAuthorisesItsOwnDomain) {
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:agg@vendor.net");
  Txt("example.com._report._dmarc.vendor.net", "v=DMARC1;");
  const mxscan::DmarcResult r = Discover9989("www.example.com");
  EXPECT_THAT(r.unauthorized_destinations(), IsEmpty());
  EXPECT_THAT(dns_.asked(), ::testing::Contains(
                                "example.com._report._dmarc.vendor.net. TXT"));
}

TEST_F(DmarcDiscoveryTest, Rfc7489ReportDestinationsUseThePsl) {
  Txt("_dmarc.example.co.uk",
      "v=DMARC1; p=reject; rua=mailto:a@reports.example.co.uk,"
      "mailto:b@other.co.uk");
  const mxscan::DmarcResult r = Discover7489("example.co.uk");
  EXPECT_THAT(r.unauthorized_destinations(),
              ElementsAre("mailto:b@other.co.uk"));
  EXPECT_THAT(dns_.asked(),
              ElementsAre("_dmarc.example.co.uk. TXT",
                          "example.co.uk._report._dmarc.other.co.uk. TXT"));
}

TEST_F(DmarcDiscoveryTest, ReportCheckCanBeTurnedOff) {
  Txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:x@rogue.net");
  DmarcDiscoveryOptions options = Options(DmarcProfile::kRfc9989);
  options.check_report_authorization = false;
  const mxscan::DmarcResult r = Discover("example.com", options);
  EXPECT_THAT(r.unauthorized_destinations(), IsEmpty());
  EXPECT_EQ(dns_.asked().size(), 2u);
}

TEST_F(DmarcDiscoveryTest, InvalidRecordFindingsAreErrors) {
  Txt("_dmarc.example.com", "v=DMARC1; p=bogus");
  const mxscan::DmarcResult r = Discover9989("www.example.com");
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.policy(), "");  // no DMARC processing
  EXPECT_THAT(r.errors(),
              ElementsAre(HasSubstr("_dmarc.example.com: invalid p value")));
}

TEST(DmarcDiscoveryArgumentsTest, RejectsBadArguments) {
  testing::FakeDnsSource dns;
  bool called = false;
  auto done = [&](mxscan::DmarcResult) { called = true; };
  EXPECT_FALSE(DiscoverDmarc(dns, "", {}, done).ok());
  EXPECT_FALSE(DiscoverDmarc(dns, ".", {}, done).ok());
  EXPECT_FALSE(DiscoverDmarc(dns, "a..example", {}, done).ok());
  DmarcDiscoveryOptions no_psl;
  no_psl.profile = DmarcProfile::kRfc7489;
  EXPECT_FALSE(DiscoverDmarc(dns, "example.com", no_psl, done).ok());
  dns.RunUntilIdle();
  EXPECT_FALSE(called);
  EXPECT_THAT(dns.asked(), IsEmpty());
}

}  // namespace
}  // namespace mxscan::checks::dmarc
