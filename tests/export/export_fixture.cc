#include "tests/export/export_fixture.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "scanner/results/result_reader.h"
#include "scanner/results/result_writer.h"

namespace mxscan::db_export::testing {
namespace {

void AddProbe(MxHost* host, const std::string& ip, bool tls,
              const std::string& leaf, const std::string& issuer,
              const std::string& version, bool expired) {
  MxAddress* address = host->add_addresses();
  address->set_ip(ip);
  SmtpProbe* smtp = address->mutable_smtp();
  smtp->set_connected(true);
  smtp->set_banner_code(220);
  smtp->set_banner(kTrickyBanner);
  smtp->set_ehlo_code(250);
  for (const char* ext : {"PIPELINING", "SIZE 10240000", "STARTTLS"}) {
    smtp->add_ehlo_extensions(ext);
  }
  smtp->set_starttls_offered(true);
  smtp->set_starttls_code(220);
  smtp->set_tls_attempted(true);
  smtp->set_duration_ms(42);
  smtp->set_quit_code(221);
  if (host->has_tlsa()) {
    smtp->mutable_tlsa()->set_authenticated(true);
    smtp->mutable_tlsa()->set_dane_valid(tls);
    smtp->mutable_tlsa()->set_matched_record(tls ? 0 : -1);
    smtp->mutable_tlsa()->set_dane_detail(tls ? "matched 3 1 1" : "no TLS");
    smtp->mutable_tlsa()->set_usable_records(1);
  }
  if (!tls) {
    smtp->mutable_error()->set_stage(HANDSHAKE);
    smtp->mutable_error()->set_code(40);
    smtp->mutable_error()->set_kind("handshake_failure");
    smtp->mutable_error()->set_message("alert handshake failure");
    return;
  }
  TlsInfo* t = smtp->mutable_tls();
  t->set_version(version);
  t->set_cipher("TLS_AES_256_GCM_SHA384");
  t->set_group("X25519");
  t->add_cert_chain_sha256(leaf);
  t->add_cert_chain_sha256(issuer);
  t->set_cert_trusted(!expired);
  t->set_hostname_match(true);
  t->set_cert_expired(expired);
  if (expired) t->set_verify_error("certificate has expired");
  t->set_cert_not_before(1700000000);
  t->set_cert_not_after(expired ? 1790000000 : 1796000000);
  t->set_leaf_key_type("EC");
  t->set_leaf_key_bits(256);
  t->set_leaf_key_curve("P-256");
  t->add_leaf_dns_names(host->host());
  t->add_leaf_dns_names(absl::StrCat("*.", host->host()));
  t->add_ehlo_extensions_tls("PIPELINING");
  t->add_ehlo_extensions_tls("AUTH PLAIN LOGIN");
  t->add_versions_accepted("TLSv1.2");
  t->add_versions_accepted("TLSv1.3");
  t->set_oldest_version("TLSv1.2");
}

}  // namespace

DomainResult RichDomain(const std::string& domain, const std::string& sector,
                        int variant, const std::string& leaf_sha256,
                        const std::string& issuer_sha256) {
  const bool strong = variant == 0;
  DomainResult r;
  r.set_domain(domain);
  r.set_sector(sector);
  r.set_status(DomainResult::OK);
  r.set_mx_status(NOERROR);
  r.set_scan_started_at(1795000000000 + variant);
  r.set_scan_duration_ms(1234);
  r.set_dnssec(strong);
  r.add_findings("MX host mail." + domain + " is a CNAME");
  r.add_findings("second finding");
  Error* error = r.add_errors();
  error->set_stage(DNS);
  error->set_code(2);
  error->set_kind("temporary");
  error->set_message("SERVFAIL for _dmarc");

  SpfResult* spf = r.mutable_spf();
  spf->set_present(true);
  spf->set_valid(strong);
  spf->set_record("v=spf1 include:_spf.provider.example -all");
  spf->set_all(strong ? "-all" : "~all");
  spf->set_dns_lookups(3);
  spf->set_void_lookups(1);
  spf->set_dns_status(NOERROR);
  spf->add_errors("too many void lookups");
  spf->add_warnings("ptr mechanism");
  spf->add_chain("_spf.provider.example: v=spf1 ip4:192.0.2.0/24 -all");

  DmarcResult* dmarc = r.mutable_dmarc();
  dmarc->set_present(true);
  dmarc->set_valid(true);
  dmarc->set_policy(strong ? "reject" : "none");
  dmarc->set_record(absl::StrCat("v=DMARC1; p=", dmarc->policy()));
  dmarc->set_subdomain_policy("quarantine");
  dmarc->set_pct(100);
  dmarc->add_rua("mailto:rua@" + domain);
  dmarc->add_rua("mailto:reports@dmarc.example");
  dmarc->add_ruf("mailto:ruf@" + domain);
  dmarc->add_fo("1");
  dmarc->add_fo("d");
  dmarc->set_org_domain(LastTwoLabels(domain));
  dmarc->set_adkim("s");
  dmarc->set_aspf("r");
  dmarc->set_np("reject");
  dmarc->set_psd("n");
  dmarc->set_t("n");
  dmarc->add_unauthorized_destinations("dmarc.example");
  dmarc->set_profile("rfc9989");
  dmarc->set_record_domain("_dmarc." + domain);
  dmarc->set_dns_status(NOERROR);

  MtaStsResult* sts = r.mutable_mta_sts();
  sts->set_txt_present(true);
  sts->set_id("20260101");
  sts->set_record("v=STSv1; id=20260101");
  sts->set_policy_fetched(true);
  sts->set_mode(strong ? "enforce" : "testing");
  sts->add_mx("*.provider.example");
  sts->add_mx("mail." + domain);
  sts->set_max_age(604800);
  sts->add_mx_not_covered("backup." + domain);
  sts->add_warnings("max_age below one week");

  TlsRptResult* rpt = r.mutable_tls_rpt();
  rpt->set_present(true);
  rpt->set_valid(true);
  rpt->set_record("v=TLSRPTv1; rua=mailto:tlsrpt@" + domain);
  rpt->add_rua("mailto:tlsrpt@" + domain);

  BimiResult* bimi = r.mutable_bimi();
  bimi->set_present(strong);
  bimi->set_record("v=BIMI1; l=https://" + domain + "/logo.svg");
  bimi->set_location("https://" + domain + "/logo.svg");
  bimi->add_errors("logo not SVG Tiny PS");

  for (const char* selector : {"selector1", "google"}) {
    DkimKey* key = r.add_dkim();
    key->set_selector(selector);
    key->set_record("v=DKIM1; k=rsa; p=MIIB");
    key->set_key_type("rsa");
    key->set_key_bits(2048);
    key->set_valid(true);
    key->set_dns_status(NOERROR);
    key->add_errors("short key");
  }

  MxHost* provider = r.add_mx();
  provider->set_host("mx1.provider.example");
  provider->set_preference(10);
  provider->set_address_status(NOERROR);
  Tlsa* tlsa = provider->mutable_tlsa();
  tlsa->set_authenticated(true);
  tlsa->set_dns_status(NOERROR);
  tlsa->set_usable_records(1);
  TlsaRecord* record = tlsa->add_records();
  record->set_usage(3);
  record->set_selector(1);
  record->set_matching_type(1);
  record->set_data("ab12cd34");
  AddProbe(provider, "192.0.2.10", true, leaf_sha256, issuer_sha256,
           "TLSv1.3", false);
  AddProbe(provider, "2001:db8::10", strong, leaf_sha256, issuer_sha256,
           "TLSv1.3", false);

  MxHost* own = r.add_mx();
  own->set_host("mail." + domain);
  own->set_preference(20);
  own->set_is_cname(true);
  own->set_address_status(NOERROR);
  AddProbe(own, "198.51.100.7", true, leaf_sha256 + "00", issuer_sha256,
           strong ? "TLSv1.2" : "TLSv1", !strong);
  own->add_addresses()->set_ip("198.51.100.8");  // not probed
  return r;
}

Certificate MakeCertificate(const std::string& sha256, int64_t not_after,
                            const std::string& der) {
  Certificate c;
  c.set_sha256(sha256);
  c.set_der(der);
  c.set_subject("CN=mx1.provider.example");
  c.set_issuer("CN=Test CA, O=mxscan");
  c.set_not_before(1700000000);
  c.set_not_after(not_after);
  c.add_dns_names("mx1.provider.example");
  c.add_dns_names("*.provider.example");
  c.set_key_type("EC");
  c.set_key_bits(256);
  return c;
}

void WriteRecords(
    const std::string& dir, const std::string& prefix,
    const std::vector<const google::protobuf::MessageLite*>& records,
    const std::string& suffix) {
  mkdir(dir.c_str(), 0755);
  auto writer = results::ResultWriter::Open(dir, prefix, 64ull << 20, suffix);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const google::protobuf::MessageLite* r : records) {
    ASSERT_TRUE((*writer)->Write(*r).ok());
  }
  ASSERT_TRUE((*writer)->Close().ok());
}

void GenerateResults(const std::string& dir, int records, int seed,
                     int changed_percent) {
  const char* srcdir = getenv("TEST_SRCDIR");
  const char* workspace = getenv("TEST_WORKSPACE");
  ASSERT_NE(srcdir, nullptr);
  const std::string binary =
      absl::StrCat(srcdir, "/", workspace ? workspace : "mxscan",
                   "/tools/sim/gen_results");
  const std::string command = absl::StrCat(
      binary, " --out ", dir, " --records ", records, " --seed ", seed,
      " --changed ", changed_percent, " > /dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

std::string ReadRunfile(absl::string_view path) {
  const char* srcdir = getenv("TEST_SRCDIR");
  const char* workspace = getenv("TEST_WORKSPACE");
  std::ifstream in(absl::StrCat(srcdir ? srcdir : ".", "/",
                                workspace ? workspace : "mxscan", "/", path));
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string NewTempDir(absl::string_view name) {
  static int counter = 0;
  const char* tmp = getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(tmp ? tmp : "/tmp", "/", name, "-",
                                       getpid(), "-", ++counter);
  mkdir(dir.c_str(), 0755);
  return dir;
}

std::vector<DomainResult> ReadAll(const std::vector<std::string>& dirs) {
  std::vector<DomainResult> out;
  for (const std::string& dir : dirs) {
    auto files = results::ResultFiles(dir, ".pb");
    EXPECT_TRUE(files.ok()) << files.status();
    if (!files.ok()) continue;
    auto read = results::ReadResults(
        *files, [&](const DomainResult& r) { out.push_back(r); });
    EXPECT_TRUE(read.ok()) << read.status();
  }
  return out;
}

}  // namespace mxscan::db_export::testing
