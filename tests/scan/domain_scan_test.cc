#include "scanner/scan/domain_scan.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::scan {
namespace {

using ::mxscan::testing::Ip;
using ::mxscan::testing::Mx;
using ::mxscan::testing::Name;
using ::mxscan::testing::Tlsa;
using ::mxscan::testing::Txt;
using ::mxscan::testing::TxtOf;

namespace rr = ::mxscan::dns::rr_type;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class DomainScanTest : public ::testing::Test {
 protected:
  DomainResult Scan(const std::string& domain) {
    DomainInput input;
    input.domain = domain;
    input.sector = "test";
    std::optional<DomainResult> result;
    StartDomainScan(dns_, options_, nullptr, input,
                    [&](DomainResult r) { result = std::move(r); });
    dns_.RunUntilIdle();
    EXPECT_TRUE(result.has_value());
    return result.value_or(DomainResult());
  }

  // "STAGE kind message" of each error.
  static std::vector<std::string> Errors(const DomainResult& r) {
    std::vector<std::string> out;
    for (const Error& e : r.errors()) {
      out.push_back(
          absl::StrCat(Stage_Name(e.stage()), " ", e.kind(), " ", e.message()));
    }
    return out;
  }

  static std::vector<std::string> Ips(const MxHost& mx) {
    std::vector<std::string> ips;
    for (const MxAddress& a : mx.addresses()) ips.push_back(a.ip());
    return ips;
  }

  testing::FakeDnsSource dns_;
  ScanOptions options_;
};

TEST_F(DomainScanTest, SortsMxHostsAndResolvesEach) {
  dns_.AddRecord("a.example", rr::kMx, Mx(20, "mx2.a.example."));
  dns_.AddRecord("a.example", rr::kMx, Mx(10, "mx1.a.example."));
  dns_.AddRecord("a.example", rr::kMx, Mx(10, "mx0.a.example."));
  dns_.AddRecord("mx0.a.example", rr::kA, Ip("192.0.2.10"));
  dns_.AddRecord("mx1.a.example", rr::kA, Ip("192.0.2.1"));
  dns_.AddRecord("mx1.a.example", rr::kAaaa, Ip("2001:db8::1"));
  dns_.AddRecord("mx2.a.example", rr::kA, Ip("192.0.2.2"));
  DomainResult r = Scan("a.example");
  EXPECT_EQ(r.status(), DomainResult::OK);
  EXPECT_EQ(r.domain(), "a.example");
  EXPECT_EQ(r.sector(), "test");
  ASSERT_EQ(r.mx_size(), 3);
  EXPECT_EQ(r.mx(0).host(), "mx0.a.example");
  EXPECT_EQ(r.mx(1).host(), "mx1.a.example");
  EXPECT_EQ(r.mx(2).host(), "mx2.a.example");
  EXPECT_EQ(r.mx(2).preference(), 20u);
  EXPECT_THAT(Ips(r.mx(1)), UnorderedElementsAre("192.0.2.1", "2001:db8::1"));
  EXPECT_EQ(r.mx(1).address_status(), NOERROR);
  EXPECT_FALSE(r.null_mx());
  EXPECT_FALSE(r.implicit_mx());
  EXPECT_TRUE(r.findings().empty());
}

TEST_F(DomainScanTest, NullMx) {
  dns_.AddRecord("b.example", rr::kMx, Mx(0, "."));
  DomainResult r = Scan("b.example");
  EXPECT_TRUE(r.null_mx());
  EXPECT_EQ(r.mx_size(), 0);
  dns_.AddRecord("c.example", rr::kMx, Mx(0, "."));
  dns_.AddRecord("c.example", rr::kMx, Mx(10, "mx.c.example."));
  DomainResult mixed = Scan("c.example");
  EXPECT_TRUE(mixed.null_mx());
  EXPECT_EQ(mixed.mx_size(), 1);
  EXPECT_THAT(mixed.findings(), Contains(HasSubstr("RFC 7505")));
}

TEST_F(DomainScanTest, ImplicitMxUsesTheDomainsAddresses) {
  dns_.AddRecord("d.example", rr::kA, Ip("192.0.2.4"));
  DomainResult r = Scan("d.example");
  EXPECT_TRUE(r.implicit_mx());
  ASSERT_EQ(r.mx_size(), 1);
  EXPECT_EQ(r.mx(0).host(), "d.example");
  EXPECT_EQ(r.mx(0).preference(), 0u);
  EXPECT_THAT(Ips(r.mx(0)), UnorderedElementsAre("192.0.2.4"));
}

TEST_F(DomainScanTest, MxHostsThatAreCnamesOrDoNotResolveAreFindings) {
  dns_.AddRecord("e.example", rr::kMx, Mx(10, "alias.e.example."));
  dns_.AddRecord("e.example", rr::kMx, Mx(20, "gone.e.example."));
  dns_.AddRecord("e.example", rr::kMx, Mx(30, "192.0.2.9."));
  dns_.AddRecord("alias.e.example", rr::kCname, Name("real.e.example."));
  dns_.AddRecord("real.e.example", rr::kA, Ip("192.0.2.5"));
  DomainResult r = Scan("e.example");
  ASSERT_EQ(r.mx_size(), 3);
  EXPECT_TRUE(r.mx(0).is_cname());
  EXPECT_THAT(Ips(r.mx(0)), UnorderedElementsAre("192.0.2.5"));
  EXPECT_EQ(r.mx(1).address_status(), NXDOMAIN);
  EXPECT_EQ(r.mx(1).addresses_size(), 0);
  EXPECT_THAT(r.findings(), Contains(HasSubstr("is a CNAME")));
  EXPECT_THAT(r.findings(), Contains(HasSubstr("gone.e.example has no address")));
  EXPECT_THAT(r.findings(), Contains(HasSubstr("is an IP address")));
}

TEST_F(DomainScanTest, DnsFailuresAreNotMissingRecords) {
  dns_.SetStatus("f.example", rr::kMx, dns::LookupStatus::kTimeout);
  dns_.SetStatus("_dmarc.f.example", rr::kTxt, dns::LookupStatus::kServFail);
  DomainResult r = Scan("f.example");
  EXPECT_EQ(r.status(), DomainResult::TIMEOUT);
  EXPECT_EQ(r.mx_status(), TIMEOUT);
  EXPECT_EQ(r.dmarc().dns_status(), SERVFAIL);
  EXPECT_FALSE(r.implicit_mx());  // a timeout is not "no MX"
  ASSERT_GE(r.errors_size(), 1);
  EXPECT_EQ(r.errors(0).stage(), DNS);
  EXPECT_THAT(Errors(r), Contains("DNS timeout MX f.example: TIMEOUT"));
  EXPECT_THAT(Errors(r),
              Contains("DNS servfail TXT _dmarc.f.example: SERVFAIL"));
}

// A failed question of one family leaves the host's addresses incomplete:
// the address status says so, not NOERROR.
TEST_F(DomainScanTest, OneAddressFamilyFailingIsNotNoError) {
  dns_.AddRecord("h.example", rr::kMx, Mx(10, "mx.h.example."));
  dns_.AddRecord("mx.h.example", rr::kA, Ip("192.0.2.8"));
  dns_.AddRecord("mx.h.example", rr::kAaaa, Ip("2001:db8::8"));
  dns_.SetStatus("mx.h.example", rr::kAaaa, dns::LookupStatus::kServFail);
  DomainResult r = Scan("h.example");
  EXPECT_EQ(r.status(), DomainResult::OK);
  ASSERT_EQ(r.mx_size(), 1);
  EXPECT_THAT(Ips(r.mx(0)), UnorderedElementsAre("192.0.2.8"));
  EXPECT_EQ(r.mx(0).address_status(), SERVFAIL);
  EXPECT_THAT(Errors(r),
              Contains("DNS servfail AAAA mx.h.example: SERVFAIL"));
  EXPECT_THAT(r.findings(), Contains(HasSubstr("may be incomplete")));
}

// Every failed question is in the record's errors once, with its kind,
// whichever check asked it: DKIM's (whose gaps have no status field of
// their own), SPF's includes, DMARC's report authorisation.
TEST_F(DomainScanTest, EveryFailedQuestionIsAnError) {
  dns_.AddRecord("i.example", rr::kMx, Mx(10, "mx.i.example."));
  dns_.AddRecord("mx.i.example", rr::kA, Ip("192.0.2.9"));
  dns_.AddRecord("i.example", rr::kTxt,
                 Txt("v=spf1 include:_spf.provider.example -all"));
  dns_.SetStatus("_spf.provider.example", rr::kTxt,
                 dns::LookupStatus::kTimeout);
  dns_.AddRecord("_dmarc.i.example", rr::kTxt,
                 Txt("v=DMARC1; p=reject; rua=mailto:r@reports.example"));
  dns_.SetStatus("i.example._report._dmarc.reports.example", rr::kTxt,
                 dns::LookupStatus::kError);
  dns_.SetStatus("_domainkey.i.example", rr::kTxt,
                 dns::LookupStatus::kServFail);
  DomainResult r = Scan("i.example");
  EXPECT_EQ(r.status(), DomainResult::OK);
  EXPECT_FALSE(r.dkim_no_keys());  // unknown, not proven
  EXPECT_THAT(Errors(r),
              UnorderedElementsAre(
                  "DNS timeout TXT _spf.provider.example: TIMEOUT",
                  "DNS error TXT i.example._report._dmarc.reports.example: "
                  "ERROR",
                  "DNS servfail TXT _domainkey.i.example: SERVFAIL"));
}

TEST_F(DomainScanTest, NonexistentDomain) {
  DomainResult r = Scan("nx.example");
  EXPECT_EQ(r.status(), DomainResult::NXDOMAIN);
  EXPECT_EQ(r.mx_size(), 0);
  EXPECT_TRUE(r.dkim_no_keys());
}

TEST_F(DomainScanTest, FindsRecordsOfEachCheck) {
  dns_.AddRecord("g.example", rr::kMx, Mx(10, "mx.g.example."));
  dns_.AddRecord("mx.g.example", rr::kA, Ip("192.0.2.7"));
  dns_.AddRecord("g.example", rr::kTxt, Txt("v=spf1 -all"));
  dns_.AddRecord("g.example", rr::kTxt, Txt("google-site-verification=x"));
  dns_.AddRecord("_dmarc.g.example", rr::kTxt, Txt("v=DMARC1; p=reject"));
  dns_.AddRecord("_mta-sts.g.example", rr::kTxt, Txt("v=STSv1; id=1"));
  dns_.AddRecord("_smtp._tls.g.example", rr::kTxt,
                 Txt("v=TLSRPTv1; rua=mailto:r@g.example"));
  dns_.AddRecord("default._bimi.g.example", rr::kTxt,
                 Txt("v=BIMI1; l=https://g.example/logo.svg"));
  dns_.AddRecord("_25._tcp.mx.g.example", rr::kTlsa, Tlsa(3, 1, 1, "abcdef"));
  dns_.SetAuthenticated("_25._tcp.mx.g.example", rr::kTlsa);
  dns_.SetAuthenticated("g.example", rr::kMx);
  DomainResult r = Scan("g.example");
  EXPECT_TRUE(r.dnssec());
  EXPECT_TRUE(r.spf().present());
  EXPECT_EQ(r.spf().record(), "v=spf1 -all");
  EXPECT_TRUE(r.dmarc().present());
  EXPECT_TRUE(r.mta_sts().txt_present());
  EXPECT_TRUE(r.tls_rpt().present());
  EXPECT_TRUE(r.bimi().present());
  ASSERT_EQ(r.mx_size(), 1);
  ASSERT_EQ(r.mx(0).tlsa().records_size(), 1);
  EXPECT_TRUE(r.mx(0).tlsa().authenticated());
  EXPECT_EQ(r.mx(0).tlsa().records(0).usage(), 3u);
  EXPECT_EQ(r.mx(0).tlsa().records(0).data(), "abcdef");
}

// Every check reads a TXT record as its octets, its strings joined: a tab
// is a tab (RFC 8461 and RFC 8460 allow it between fields), whether the
// record came in one string or several.
TEST_F(DomainScanTest, TxtRecordsAreReadAsOctetsByEveryCheck) {
  dns_.AddRecord("t.example", rr::kMx, Mx(0, "."));
  dns_.AddRecord("t.example", rr::kTxt, TxtOf({"v=spf1", " -all"}));
  dns_.AddRecord("_dmarc.t.example", rr::kTxt, Txt("v=DMARC1;\tp=reject"));
  dns_.AddRecord("_mta-sts.t.example", rr::kTxt, Txt("v=STSv1;\tid=20261206"));
  dns_.AddRecord("_smtp._tls.t.example", rr::kTxt,
                 TxtOf({"v=TLSRPTv1;\t", "rua=mailto:r@t.example"}));
  DomainResult r = Scan("t.example");
  EXPECT_EQ(r.spf().record(), "v=spf1 -all");
  EXPECT_TRUE(r.spf().valid());
  EXPECT_EQ(r.dmarc().policy(), "reject");
  EXPECT_TRUE(r.mta_sts().txt_present());
  EXPECT_EQ(r.mta_sts().id(), "20261206");
  EXPECT_TRUE(r.tls_rpt().present());
  EXPECT_TRUE(r.tls_rpt().valid()) << r.tls_rpt().DebugString();
}

TEST_F(DomainScanTest, DkimSelectorsAndProofOfNoKeys) {
  options_.dkim_selectors = {"selector1", "google", "s1"};
  dns_.AddRecord("h.example", rr::kMx, Mx(0, "."));
  dns_.AddRecord("selector1._domainkey.h.example", rr::kTxt,
                 Txt("v=DKIM1; k=rsa; p=MIIB"));
  dns_.AddRecord("google._domainkey.h.example", rr::kTxt,
                 Txt("unrelated text"));
  DomainResult r = Scan("h.example");
  ASSERT_EQ(r.dkim_size(), 1);
  EXPECT_EQ(r.dkim(0).selector(), "selector1");
  EXPECT_FALSE(r.dkim_no_keys());
  dns_.AddRecord("i.example", rr::kMx, Mx(0, "."));
  EXPECT_TRUE(Scan("i.example").dkim_no_keys());
}

// A selector that is a CNAME is a key someone else publishes (the mail
// provider, which rotates it): the record says where it was found.
TEST_F(DomainScanTest, DkimKeysBehindACnameSayWhere) {
  options_.dkim_selectors = {"selector1", "s1"};
  dns_.AddRecord("j.example", rr::kMx, Mx(0, "."));
  dns_.AddRecord("selector1._domainkey.j.example", rr::kCname,
                 Name("selector1-j._domainkey.provider.example."));
  dns_.AddRecord("selector1-j._domainkey.provider.example", rr::kTxt,
                 Txt("v=DKIM1; k=rsa; p=MIIB"));
  dns_.AddRecord("s1._domainkey.j.example", rr::kTxt,
                 Txt("v=DKIM1; k=rsa; p=MIIC"));
  DomainResult r = Scan("j.example");
  ASSERT_EQ(r.dkim_size(), 2);
  for (const DkimKey& key : r.dkim()) {
    EXPECT_EQ(key.cname_target(),
              key.selector() == "selector1"
                  ? "selector1-j._domainkey.provider.example"
                  : "")
        << key.selector();
  }
}

TEST_F(DomainScanTest, InvalidInputGetsARecordWithoutDns) {
  DomainInput input;
  input.domain = "bad..name";
  input.error = absl::InvalidArgumentError("empty label");
  std::optional<DomainResult> result;
  StartDomainScan(dns_, options_, nullptr, input,
                  [&](DomainResult r) { result = std::move(r); });
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status(), DomainResult::ERROR);
  EXPECT_EQ(result->errors(0).stage(), INPUT);
  EXPECT_TRUE(dns_.asked().empty());
}

// DNSSEC status of the MX and TLSA answers through a validating resolver:
// the AD bit, or a SERVFAIL with a DNSSEC Extended DNS Error (RFC 8914).
TEST_F(DomainScanTest, DnssecStatusFromTheAnswers) {
  options_.resolver_validates = true;
  dns_.AddRecord("s.example", rr::kMx, Mx(10, "mx.s.example"));
  dns_.AddRecord("mx.s.example", rr::kA, Ip("192.0.2.5"));
  dns_.SetAuthenticated("s.example", rr::kMx);
  dns_.SetStatus("_25._tcp.mx.s.example", rr::kTlsa,
                 dns::LookupStatus::kServFail);
  dns_.SetEdnsOptions("_25._tcp.mx.s.example", rr::kTlsa,
                      {{15, std::string("\x00\x07"
                                        "expired",
                                        9)}});
  DomainResult r = Scan("s.example");
  EXPECT_EQ(r.dnssec_status(), SECURE);
  EXPECT_EQ(r.mx(0).tlsa().dnssec_status(), BOGUS);
  EXPECT_EQ(r.mx(0).tlsa().dnssec_detail(), "7 (Signature Expired): expired");
  bool found = false;
  for (const Error& e : r.errors()) {
    if (e.stage() != DNS || e.kind() != "dnssec_bogus") continue;
    found = true;
    EXPECT_THAT(e.message(), HasSubstr("TLSA _25._tcp.mx.s.example"));
    EXPECT_THAT(e.extended_errors(),
                ElementsAre("7 (Signature Expired): expired"));
  }
  EXPECT_TRUE(found) << r.DebugString();

  // An unsigned zone; and no validating resolver at all.
  dns_.AddRecord("u.example", rr::kMx, Mx(0, "."));
  EXPECT_EQ(Scan("u.example").dnssec_status(), INSECURE);
  options_.resolver_validates = false;
  EXPECT_EQ(Scan("s.example").dnssec_status(), NOT_VALIDATED);
}

}  // namespace
}  // namespace mxscan::scan
