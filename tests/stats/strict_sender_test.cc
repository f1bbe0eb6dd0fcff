// What a sender that enforces DANE and MTA-STS would do (METRICS.md):
// each outcome from a record built for it.

#include "scanner/stats/strict_sender.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::stats {
namespace {

using testing::AddGoodAddress;
using testing::GoodDomain;
using testing::PublishTlsa;

void EnforceMtaSts(DomainResult* r) {
  MtaStsResult* sts = r->mutable_mta_sts();
  sts->set_txt_present(true);
  sts->set_policy_fetched(true);
  sts->set_mode("enforce");
}

MxHost* AddHost(DomainResult* r, const std::string& name, uint32_t pref) {
  MxHost* host = r->add_mx();
  host->set_host(name);
  host->set_preference(pref);
  return host;
}

TEST(StrictSenderTest, NoMailAndNotMeasured) {
  DomainResult parked;
  parked.set_status(DomainResult::OK);
  parked.set_null_mx(true);
  EXPECT_EQ(StrictSenderOutcome(parked), kSenderNoMail);
  DomainResult gone;
  gone.set_status(DomainResult::NXDOMAIN);
  EXPECT_EQ(StrictSenderOutcome(gone), kSenderNoMail);
  DomainResult failed;
  failed.set_status(DomainResult::SERVFAIL);
  EXPECT_EQ(StrictSenderOutcome(failed), kSenderNotMeasured);
  // --no-smtp: addresses, no probes.
  DomainResult dns_only = GoodDomain("a.example", "", "mx.a.example");
  dns_only.mutable_mx(0)->mutable_addresses(0)->clear_smtp();
  EXPECT_EQ(StrictSenderOutcome(dns_only), kSenderNotMeasured);
  // Probed, nobody answered.
  DomainResult silent = GoodDomain("a.example", "", "mx.a.example");
  silent.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->set_connected(
      false);
  EXPECT_EQ(StrictSenderOutcome(silent), kSenderUnreachable);
}

TEST(StrictSenderTest, OpportunisticDelivery) {
  DomainResult r = GoodDomain("a.example", "", "mx.a.example");
  EXPECT_EQ(StrictSenderOutcome(r), kSenderUnauthenticatedTls);
  r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->clear_tls();
  EXPECT_EQ(StrictSenderOutcome(r), kSenderPlaintext);
}

TEST(StrictSenderTest, MtaStsEnforced) {
  DomainResult r = GoodDomain("a.example", "", "mx.a.example");
  EnforceMtaSts(&r);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderMtaSts);
  r.mutable_mta_sts()->add_mx_not_covered("mx.a.example");
  EXPECT_EQ(StrictSenderOutcome(r), kSenderStsMxNotCovered);
  EXPECT_TRUE(WouldNotDeliver(StrictSenderOutcome(r)));
  r.mutable_mta_sts()->clear_mx_not_covered();
  r.mutable_mx(0)
      ->mutable_addresses(0)
      ->mutable_smtp()
      ->mutable_tls()
      ->set_cert_expired(true);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderStsBadCertificate);
  r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->clear_tls();
  EXPECT_EQ(StrictSenderOutcome(r), kSenderStsNoStarttls);
  // testing mode: nothing is enforced.
  r.mutable_mta_sts()->set_mode("testing");
  EXPECT_EQ(StrictSenderOutcome(r), kSenderPlaintext);
}

TEST(StrictSenderTest, AnExpiredCertificateOnOneOfTwoEqualHosts) {
  DomainResult r = GoodDomain("a.example", "", "mx1.a.example");
  EnforceMtaSts(&r);
  AddGoodAddress(AddHost(&r, "mx2.a.example", 10), "192.0.2.2")
      ->mutable_smtp()
      ->mutable_tls()
      ->set_cert_expired(true);
  // The sender refuses mx2 and delivers through mx1.
  EXPECT_EQ(StrictSenderOutcome(r), kSenderMtaSts);
  // With mx1 gone too, nothing delivers: the reason is the first refusal.
  r.mutable_mx(0)
      ->mutable_addresses(0)
      ->mutable_smtp()
      ->mutable_tls()
      ->set_cert_trusted(false);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderStsBadCertificate);
}

TEST(StrictSenderTest, Dane) {
  DomainResult r = GoodDomain("a.example", "", "mx.a.example");
  PublishTlsa(r.mutable_mx(0), 3, /*matched=*/true);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderDane);
  // DANE takes precedence over MTA-STS (RFC 8461 section 2).
  EnforceMtaSts(&r);
  r.mutable_mta_sts()->add_mx_not_covered("mx.a.example");
  EXPECT_EQ(StrictSenderOutcome(r), kSenderDane);
  r.clear_mta_sts();
  r.mutable_mx(0)
      ->mutable_addresses(0)
      ->mutable_smtp()
      ->mutable_tlsa()
      ->set_dane_valid(false);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderTlsaMismatch);
  r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->clear_tls();
  EXPECT_EQ(StrictSenderOutcome(r), kSenderDaneNoStarttls);
  // A PKIX-EE (1) record is not usable for SMTP: no DANE, opportunistic.
  r.mutable_mx(0)->mutable_tlsa()->mutable_records(0)->set_usage(1);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderPlaintext);
}

TEST(StrictSenderTest, DnssecBogus) {
  DomainResult r = GoodDomain("a.example", "", "mx.a.example");
  r.set_dnssec_status(BOGUS);
  r.set_status(DomainResult::SERVFAIL);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderDnssecBogus);
  // A bogus TLSA RRset: the host is not used; a backup may take the mail.
  DomainResult tlsa = GoodDomain("a.example", "", "mx.a.example");
  tlsa.mutable_mx(0)->mutable_tlsa()->set_dnssec_status(BOGUS);
  EXPECT_EQ(StrictSenderOutcome(tlsa), kSenderDnssecBogus);
  AddGoodAddress(AddHost(&tlsa, "backup.a.example", 20), "192.0.2.3");
  EXPECT_EQ(StrictSenderOutcome(tlsa), kSenderUnauthenticatedTls);
}

TEST(StrictSenderTest, ABackupMxTakesWhatThePrimaryRefuses) {
  DomainResult r = GoodDomain("a.example", "", "mx1.a.example");
  PublishTlsa(r.mutable_mx(0), 3, /*matched=*/false);
  MxHost* backup = AddHost(&r, "backup.a.example", 20);
  AddGoodAddress(backup, "192.0.2.9")->mutable_smtp()->clear_tls();
  EXPECT_EQ(StrictSenderOutcome(r), kSenderPlaintext);
  // Preference decides, not the order of the records.
  DomainResult swapped = r;
  swapped.mutable_mx()->SwapElements(0, 1);
  EXPECT_EQ(StrictSenderOutcome(swapped), kSenderPlaintext);
  // A weaker backup does not count while the primary delivers.
  PublishTlsa(r.mutable_mx(0), 3, /*matched=*/true);
  EXPECT_EQ(StrictSenderOutcome(r), kSenderDane);
}

TEST(StrictSenderTest, OutcomesAreListedOnce) {
  const std::vector<std::string>& all = StrictSenderOutcomes();
  EXPECT_EQ(all.size(), 13u);
  int refusals = 0;
  for (const std::string& o : all) refusals += WouldNotDeliver(o) ? 1 : 0;
  EXPECT_EQ(refusals, 6);
}

}  // namespace
}  // namespace mxscan::stats
