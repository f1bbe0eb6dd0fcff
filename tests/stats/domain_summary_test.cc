#include "scanner/stats/domain_summary.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::AddGoodAddress;
using testing::GoodDomain;
using testing::PublishTlsa;
using testing::LastTwoLabels;

DomainSummary Summarize(const DomainResult& r) {
  return SummarizeDomain(r, LastTwoLabels);
}

TEST(DomainSummaryTest, GoodDomainHasTheHeadlineProperties) {
  const DomainSummary s =
      Summarize(GoodDomain("a.example", "council", "mx.provider.net"));
  EXPECT_EQ(s.domain, "a.example");
  EXPECT_EQ(s.sector, "council");
  for (Metric m : {Metric::kMxPresent, Metric::kSmtpReachable,
                   Metric::kStarttlsAllMx, Metric::kTls12PlusAllMx,
                   Metric::kValidCertAllMx, Metric::kSpfPresent,
                   Metric::kSpfValid, Metric::kSpfHardfail,
                   Metric::kDmarcPresent, Metric::kDmarcValid,
                   Metric::kDmarcReject}) {
    EXPECT_TRUE(s.Has(m)) << Metrics()[static_cast<size_t>(m)].key;
  }
  for (Metric m : {Metric::kNullMx, Metric::kImplicitMx, Metric::kDaneValid,
                   Metric::kDmarcQuarantine, Metric::kMtaStsEnforce,
                   Metric::kDnssec}) {
    EXPECT_FALSE(s.Has(m)) << Metrics()[static_cast<size_t>(m)].key;
  }
  EXPECT_EQ(s.tls_category, "TLSv1.3");
  EXPECT_THAT(s.providers, ElementsAre("provider.net"));
  EXPECT_FALSE(s.self_hosted);
  EXPECT_THAT(s.cert_problems, IsEmpty());
}

// The metrics of each address family apart (METRICS.md "By address family").
TEST(DomainSummaryTest, AddressFamiliesApart) {
  // IPv4 only: no IPv6 figure at all.
  DomainSummary s = Summarize(GoodDomain("a.example", "", "mx.provider.net"));
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMxIpv4));
  EXPECT_TRUE(s.Has(Metric::kValidCertAllMxIpv4));
  for (Metric m :
       {Metric::kMxIpv6, Metric::kSmtpReachableIpv6, Metric::kIpv6Probed,
        Metric::kStarttlsAllMxIpv6, Metric::kIpv6WeakerThanIpv4}) {
    EXPECT_FALSE(s.Has(m)) << Metrics()[static_cast<size_t>(m)].key;
  }

  // Both families, the same TLS: IPv6 on every MX host, nothing weaker.
  DomainResult both = GoodDomain("a.example", "", "mx.provider.net");
  AddGoodAddress(both.mutable_mx(0), "2001:db8::25");
  s = Summarize(both);
  for (Metric m : {Metric::kMxIpv6, Metric::kSmtpReachableIpv6,
                   Metric::kIpv6Probed, Metric::kStarttlsAllMxIpv6,
                   Metric::kTls12PlusAllMxIpv6, Metric::kValidCertAllMxIpv6,
                   Metric::kSmtpReachableIpv4, Metric::kStarttlsAllMxIpv4}) {
    EXPECT_TRUE(s.Has(m)) << Metrics()[static_cast<size_t>(m)].key;
  }
  EXPECT_FALSE(s.Has(Metric::kIpv6WeakerThanIpv4));

  // Both, but the IPv6 server presents an untrusted certificate over TLS
  // 1.0: the domain's all-MX metrics fail, IPv4's hold, IPv6 is weaker.
  DomainResult weaker = GoodDomain("a.example", "", "mx.provider.net");
  AddGoodAddress(weaker.mutable_mx(0), "2001:db8::25", "TLSv1")
      ->mutable_smtp()
      ->mutable_tls()
      ->set_cert_trusted(false);
  s = Summarize(weaker);
  EXPECT_FALSE(s.Has(Metric::kValidCertAllMx));
  EXPECT_FALSE(s.Has(Metric::kTls12PlusAllMx));
  EXPECT_TRUE(s.Has(Metric::kValidCertAllMxIpv4));
  EXPECT_TRUE(s.Has(Metric::kTls12PlusAllMxIpv4));
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMxIpv6));
  EXPECT_FALSE(s.Has(Metric::kValidCertAllMxIpv6));
  EXPECT_FALSE(s.Has(Metric::kTls12PlusAllMxIpv6));
  EXPECT_TRUE(s.Has(Metric::kIpv6WeakerThanIpv4));

  // The IPv6 server does not answer: reachable over IPv4 only, weaker.
  DomainResult v4_only = GoodDomain("a.example", "", "mx.provider.net");
  MxAddress* silent = v4_only.mutable_mx(0)->add_addresses();
  silent->set_ip("2001:db8::25");
  silent->mutable_smtp()->set_connected(false);
  s = Summarize(v4_only);
  EXPECT_TRUE(s.Has(Metric::kMxIpv6));
  EXPECT_TRUE(s.Has(Metric::kIpv6Probed));
  EXPECT_FALSE(s.Has(Metric::kSmtpReachableIpv6));
  EXPECT_TRUE(s.Has(Metric::kIpv6WeakerThanIpv4));
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMx));  // unreachable is not "no TLS"

  // Reachable over IPv6 only (the IPv4 address is silent).
  DomainResult v6_only = GoodDomain("a.example", "", "mx.provider.net");
  v6_only.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->set_connected(
      false);
  AddGoodAddress(v6_only.mutable_mx(0), "2001:db8::25");
  s = Summarize(v6_only);
  EXPECT_FALSE(s.Has(Metric::kSmtpReachableIpv4));
  EXPECT_TRUE(s.Has(Metric::kSmtpReachableIpv6));
  EXPECT_TRUE(s.Has(Metric::kValidCertAllMxIpv6));
  EXPECT_FALSE(s.Has(Metric::kIpv6WeakerThanIpv4));

  // Not probed over IPv6 (--no-ipv6): no IPv6 server metric.
  DomainResult unprobed = GoodDomain("a.example", "", "mx.provider.net");
  unprobed.mutable_mx(0)->add_addresses()->set_ip("2001:db8::25");
  s = Summarize(unprobed);
  EXPECT_TRUE(s.Has(Metric::kMxIpv6));
  EXPECT_FALSE(s.Has(Metric::kIpv6Probed));
  EXPECT_FALSE(s.Has(Metric::kIpv6WeakerThanIpv4));
}

TEST(DomainSummaryTest, CertificateTransparencyAndOcspOnEveryServer) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  EXPECT_FALSE(Summarize(r).Has(Metric::kSctAllMx));
  TlsInfo* first =
      r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->mutable_tls();
  first->set_embedded_sct_count(2);
  first->set_ocsp_stapled(true);
  DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kSctAllMx));
  EXPECT_TRUE(s.Has(Metric::kOcspStapledAllMx));
  // A second server with SCTs in the TLS extension only, no OCSP.
  AddGoodAddress(r.mutable_mx(0), "192.0.2.2")
      ->mutable_smtp()
      ->mutable_tls()
      ->set_tls_sct_count(1);
  s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kSctAllMx));
  EXPECT_FALSE(s.Has(Metric::kOcspStapledAllMx));
}

TEST(DomainSummaryTest, OneMxWithoutTlsFailsTheAllMxMetrics) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  MxHost* second = r.add_mx();
  second->set_host("mx2.a.example");
  MxAddress* plain = second->add_addresses();
  plain->mutable_smtp()->set_connected(true);
  plain->mutable_smtp()->set_banner_code(220);
  const DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kSmtpReachable));
  EXPECT_FALSE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_FALSE(s.Has(Metric::kTls12PlusAllMx));
  EXPECT_FALSE(s.Has(Metric::kValidCertAllMx));
  EXPECT_EQ(s.tls_category, "no TLS");
  EXPECT_THAT(s.providers, ElementsAre("provider.net"));
  EXPECT_TRUE(s.self_hosted);
}

TEST(DomainSummaryTest, UnreachableAddressesDoNotCountAgainstAllMx) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  MxHost* backup = r.add_mx();
  backup->set_host("backup.provider.net");
  backup->add_addresses()->mutable_smtp()->set_connected(false);
  MxAddress* deferred = backup->add_addresses();
  deferred->mutable_smtp()->set_connected(true);
  deferred->mutable_smtp()->set_banner_code(421);
  deferred->mutable_smtp()->set_deferred(true);
  const DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_TRUE(s.Has(Metric::kValidCertAllMx));
}

TEST(DomainSummaryTest, NoAnsweringServerMeansNoSmtpMetric) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->set_connected(false);
  const DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kMxPresent));
  EXPECT_FALSE(s.Has(Metric::kSmtpReachable));
  EXPECT_FALSE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_FALSE(s.Has(Metric::kDaneValid));
  EXPECT_EQ(s.tls_category, "unreachable");
}

TEST(DomainSummaryTest, TlsCategoryIsTheWeakestVersion) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  AddGoodAddress(r.mutable_mx(0), "192.0.2.2", "TLSv1");
  const DomainSummary s = Summarize(r);
  EXPECT_EQ(s.tls_category, "TLSv1");
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_FALSE(s.Has(Metric::kTls12PlusAllMx));
}

TEST(DomainSummaryTest, CertificateProblemsAreCollected) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  TlsInfo* tls = r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()
                     ->mutable_tls();
  tls->set_cert_trusted(false);
  tls->set_cert_expired(true);
  tls->set_verify_error("certificate has expired");
  TlsInfo* other = AddGoodAddress(r.mutable_mx(0), "192.0.2.2")
                       ->mutable_smtp()->mutable_tls();
  other->set_hostname_match(false);
  const DomainSummary s = Summarize(r);
  EXPECT_FALSE(s.Has(Metric::kValidCertAllMx));
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_THAT(s.cert_problems, UnorderedElementsAre("expired", "name_mismatch"));
  EXPECT_THAT(s.verify_errors, ElementsAre("certificate has expired"));
}

TEST(DomainSummaryTest, NotProbedAndNoMailServer) {
  DomainResult not_probed = GoodDomain("a.example", "", "mx.provider.net");
  not_probed.mutable_mx(0)->mutable_addresses(0)->clear_smtp();
  EXPECT_EQ(Summarize(not_probed).tls_category, "not probed");
  EXPECT_FALSE(Summarize(not_probed).Has(Metric::kSmtpReachable));

  DomainResult null_mx;
  null_mx.set_domain("b.example");
  null_mx.set_null_mx(true);
  const DomainSummary s = Summarize(null_mx);
  EXPECT_TRUE(s.Has(Metric::kNullMx));
  EXPECT_FALSE(s.Has(Metric::kMxPresent));
  EXPECT_EQ(s.tls_category, "no mail server");
}

TEST(DomainSummaryTest, ImplicitMxIsNotMxPresentAndNotAProvider) {
  DomainResult r;
  r.set_domain("c.example");
  r.set_implicit_mx(true);
  MxHost* self = r.add_mx();
  self->set_host("c.example");
  AddGoodAddress(self, "192.0.2.3");
  const DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kImplicitMx));
  EXPECT_FALSE(s.Has(Metric::kMxPresent));
  EXPECT_TRUE(s.Has(Metric::kStarttlsAllMx));
  EXPECT_THAT(s.providers, IsEmpty());
  EXPECT_FALSE(s.self_hosted);
}

TEST(DomainSummaryTest, PolicyMetricsFollowTheirDefinitions) {
  DomainResult r;
  r.set_domain("d.example");
  r.mutable_spf()->set_present(true);
  r.mutable_spf()->set_all("-all");  // not valid: no hardfail
  r.mutable_dmarc()->set_present(true);
  r.mutable_dmarc()->set_valid(true);
  r.mutable_dmarc()->set_inherited(true);
  r.mutable_dmarc()->set_policy("Quarantine");
  r.mutable_mta_sts()->set_txt_present(true);
  r.mutable_mta_sts()->set_mode("enforce");  // policy not fetched
  r.mutable_tls_rpt()->set_present(true);
  DkimKey* revoked = r.add_dkim();
  revoked->set_valid(true);
  revoked->set_revoked(true);
  r.set_dnssec(true);
  DomainSummary s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kSpfPresent));
  EXPECT_FALSE(s.Has(Metric::kSpfValid));
  EXPECT_FALSE(s.Has(Metric::kSpfHardfail));
  EXPECT_TRUE(s.Has(Metric::kDmarcQuarantine));
  EXPECT_FALSE(s.Has(Metric::kMtaStsEnforce));
  EXPECT_TRUE(s.Has(Metric::kTlsRptPresent));
  EXPECT_FALSE(s.Has(Metric::kDkimKeyFound));
  EXPECT_TRUE(s.Has(Metric::kDnssec));

  r.mutable_mta_sts()->set_policy_fetched(true);
  r.mutable_dkim(0)->set_revoked(false);
  s = Summarize(r);
  EXPECT_TRUE(s.Has(Metric::kMtaStsEnforce));
  EXPECT_TRUE(s.Has(Metric::kDkimKeyFound));
}

TEST(DomainSummaryTest, DaneValidNeedsEveryAnsweringAddress) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  MxHost* host = r.mutable_mx(0);
  host->mutable_tlsa()->set_authenticated(true);
  host->mutable_tlsa()->add_records()->set_usage(3);
  host->mutable_addresses(0)->mutable_smtp()->mutable_tlsa()->set_dane_valid(true);
  EXPECT_TRUE(Summarize(r).Has(Metric::kDanePublished));
  EXPECT_TRUE(Summarize(r).Has(Metric::kDaneValid));
  AddGoodAddress(host, "192.0.2.9");
  EXPECT_FALSE(Summarize(r).Has(Metric::kDaneValid));
}

// --- Protection that is real (METRICS.md): borderline records ---

bool Has(const DomainResult& r, Metric m) { return Summarize(r).Has(m); }

TEST(EffectiveProtectionTest, DmarcEnforcedNeedsTheWholePolicy) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  EXPECT_TRUE(Has(r, Metric::kDmarcEnforced));
  EXPECT_TRUE(Has(r, Metric::kDmarcRejectFull));
  // pct=0: p=reject applies to no failing mail (either profile).
  r.mutable_dmarc()->set_pct_tag(0);
  EXPECT_TRUE(Has(r, Metric::kDmarcReject));  // the old metric: unchanged
  EXPECT_FALSE(Has(r, Metric::kDmarcEnforced));
  EXPECT_FALSE(Has(r, Metric::kDmarcRejectFull));
  r.mutable_dmarc()->set_pct_tag(100);
  EXPECT_TRUE(Has(r, Metric::kDmarcRejectFull));
  // t=y: testing mode (RFC 9989).
  r.mutable_dmarc()->set_t("y");
  EXPECT_FALSE(Has(r, Metric::kDmarcEnforced));
  r.mutable_dmarc()->set_t("n");
  EXPECT_TRUE(Has(r, Metric::kDmarcEnforced));
  // p=quarantine: enforced, not reject.
  r.mutable_dmarc()->set_policy("quarantine");
  EXPECT_TRUE(Has(r, Metric::kDmarcEnforced));
  EXPECT_FALSE(Has(r, Metric::kDmarcRejectFull));
  r.mutable_dmarc()->set_policy("none");
  EXPECT_FALSE(Has(r, Metric::kDmarcEnforced));
}

TEST(EffectiveProtectionTest, AnOrganisationalDomainsSubdomainPolicyCounts) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  r.mutable_dmarc()->set_org_domain("a.example");
  r.mutable_dmarc()->set_subdomain_policy("none");
  EXPECT_TRUE(Has(r, Metric::kDmarcReject));
  EXPECT_FALSE(Has(r, Metric::kDmarcEnforced));  // sp=none under p=reject
  r.mutable_dmarc()->set_subdomain_policy("quarantine");
  EXPECT_TRUE(Has(r, Metric::kDmarcEnforced));
  EXPECT_FALSE(Has(r, Metric::kDmarcRejectFull));
  // A subdomain: its own record's sp is not its business.
  DomainResult sub = GoodDomain("x.a.example", "", "mx.provider.net");
  sub.mutable_dmarc()->set_org_domain("a.example");
  sub.mutable_dmarc()->set_subdomain_policy("none");
  EXPECT_TRUE(Has(sub, Metric::kDmarcRejectFull));
  // An inherited record: `policy` is already its sp.
  sub.mutable_dmarc()->set_inherited(true);
  sub.mutable_dmarc()->set_policy("none");
  EXPECT_FALSE(Has(sub, Metric::kDmarcEnforced));
}

TEST(EffectiveProtectionTest, AFlawThatLeavesThePolicyStillEnforces) {
  // p=reject with a malformed rua URI: not valid, but receivers apply p.
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  r.mutable_dmarc()->set_valid(false);
  r.mutable_dmarc()->add_errors("invalid rua URI");
  EXPECT_FALSE(Has(r, Metric::kDmarcValid));
  EXPECT_FALSE(Has(r, Metric::kDmarcReject));
  EXPECT_TRUE(Has(r, Metric::kDmarcEnforced));
  EXPECT_TRUE(Has(r, Metric::kDmarcRejectFull));
  // No policy applies at all (no valid p and no usable rua).
  r.mutable_dmarc()->set_policy("");
  EXPECT_FALSE(Has(r, Metric::kDmarcEnforced));
}

TEST(EffectiveProtectionTest, MtaStsEffective) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  MtaStsResult* sts = r.mutable_mta_sts();
  sts->set_txt_present(true);
  sts->set_policy_fetched(true);
  sts->set_mode("enforce");
  EXPECT_TRUE(Has(r, Metric::kMtaStsEffective));
  // An MX host outside the policy's mx patterns: a sender enforcing the
  // policy would not deliver to it.
  sts->add_mx_not_covered("mx.provider.net");
  EXPECT_TRUE(Has(r, Metric::kMtaStsEnforce));
  EXPECT_FALSE(Has(r, Metric::kMtaStsEffective));
  sts->clear_mx_not_covered();
  // An expired certificate on one of two MX hosts.
  MxHost* second = r.add_mx();
  second->set_host("mx2.provider.net");
  AddGoodAddress(second, "192.0.2.2")
      ->mutable_smtp()
      ->mutable_tls()
      ->set_cert_expired(true);
  EXPECT_TRUE(Has(r, Metric::kMtaStsEnforce));
  EXPECT_FALSE(Has(r, Metric::kMtaStsEffective));
  sts->set_mode("testing");
  r.mutable_mx()->RemoveLast();
  EXPECT_FALSE(Has(r, Metric::kMtaStsEffective));
}

TEST(EffectiveProtectionTest, DaneEffectiveNeedsUsableRecordsOnEveryHost) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  PublishTlsa(r.mutable_mx(0), 3, /*matched=*/true);
  EXPECT_TRUE(Has(r, Metric::kDaneValid));
  EXPECT_TRUE(Has(r, Metric::kDaneEffective));
  // A second host whose TLSA is PKIX-EE (1): not usable for SMTP.
  MxHost* second = r.add_mx();
  second->set_host("mx2.provider.net");
  AddGoodAddress(second, "192.0.2.2");
  PublishTlsa(second, 1, /*matched=*/true);
  EXPECT_TRUE(Has(r, Metric::kDaneValid));
  EXPECT_FALSE(Has(r, Metric::kDaneEffective));
  // Usable but not authenticated (an unsigned zone).
  second->mutable_tlsa()->mutable_records(0)->set_usage(2);
  second->mutable_tlsa()->set_authenticated(false);
  EXPECT_FALSE(Has(r, Metric::kDaneEffective));
  second->mutable_tlsa()->set_authenticated(true);
  EXPECT_TRUE(Has(r, Metric::kDaneEffective));
}

TEST(EffectiveProtectionTest, NoMailLocked) {
  DomainResult r;
  r.set_domain("parked.example");
  r.set_status(DomainResult::OK);
  r.set_null_mx(true);
  r.mutable_spf()->set_present(true);
  r.mutable_spf()->set_valid(true);
  r.mutable_spf()->set_all("-all");
  r.mutable_spf()->set_permits_nothing(true);
  r.mutable_dmarc()->set_present(true);
  r.mutable_dmarc()->set_valid(true);
  r.mutable_dmarc()->set_policy("reject");
  EXPECT_TRUE(Has(r, Metric::kNoMailLocked));
  // "v=spf1 a -all": the domain's own address may still send.
  r.mutable_spf()->set_permits_nothing(false);
  EXPECT_FALSE(Has(r, Metric::kNoMailLocked));
  r.mutable_spf()->set_permits_nothing(true);
  r.mutable_dmarc()->set_policy("quarantine");
  EXPECT_FALSE(Has(r, Metric::kNoMailLocked));
  r.mutable_dmarc()->set_policy("reject");
  // No MX and no address: nothing to deliver to, locked too.
  r.set_null_mx(false);
  r.set_implicit_mx(true);
  MxHost* self = r.add_mx();
  self->set_host("parked.example");
  self->set_address_status(NOERROR);
  EXPECT_TRUE(Has(r, Metric::kNoMailLocked));
  // An address question that failed: unknown, not "no mail".
  self->set_address_status(TIMEOUT);
  EXPECT_FALSE(Has(r, Metric::kNoMailLocked));
  // A domain that receives mail is never "no-mail locked".
  DomainResult mail = GoodDomain("a.example", "", "mx.provider.net");
  mail.mutable_spf()->set_permits_nothing(true);
  EXPECT_FALSE(Has(mail, Metric::kNoMailLocked));
}

TEST(DomainSummaryTest, DependenciesByOrganisation) {
  DomainResult r = GoodDomain("a.example", "", "mx.provider.net");
  r.mutable_spf()->add_chain("a.example: v=spf1 include:_spf.sender.net -all");
  r.mutable_spf()->add_chain(
      "_spf.sender.net: v=spf1 include:spf.bulk.org ~all");
  r.mutable_spf()->add_chain("spf.bulk.org: v=spf1 ip4:192.0.2.0/24 -all");
  r.mutable_dmarc()->add_rua("mailto:agg@reports.vendor.com");
  r.mutable_dmarc()->add_rua("mailto:dmarc@a.example");  // its own
  r.mutable_dmarc()->add_ruf("mailto:f@vendor.com!10m");
  r.mutable_tls_rpt()->add_rua("https://tls.collector.io/v1/report");
  DkimKey* hosted = r.add_dkim();
  hosted->set_selector("selector1");
  hosted->set_cname_target("selector1-a._domainkey.mailhost.net");
  r.add_dkim()->set_selector("own");  // published by the domain itself
  r.mutable_mta_sts()->set_policy_host_cname("mta-sts.policies.org");
  const DomainSummary s = Summarize(r);
  EXPECT_THAT(s.dependencies[0], ElementsAre("sender.net", "bulk.org"));
  EXPECT_THAT(s.dependencies[1], ElementsAre("vendor.com"));
  EXPECT_THAT(s.dependencies[2], ElementsAre("collector.io"));
  EXPECT_THAT(s.dependencies[3], ElementsAre("mailhost.net"));
  EXPECT_THAT(s.dependencies[4], ElementsAre("policies.org"));
  EXPECT_EQ(std::string(Dependencies()[1].key), "dmarc_reports");
  EXPECT_EQ(std::string(Dependencies()[3].key), "dkim_keys");
  EXPECT_EQ(std::string(Dependencies()[4].key), "mta_sts_host");
}

}  // namespace
}  // namespace mxscan::stats
