// gen_results: writes synthetic scan results (DomainResult records, as
// `mxscan scan` writes them) for the statistics' tests and benchmarks,
// without running a scan. Each domain's posture is drawn from a hash of
// (seed, domain number), so any shard of a seed's records is exactly the
// matching subset of the whole, and --changed re-draws a share of the
// domains to make a later "scan" for `mxscan diff`.
//
//   gen_results --out DIR --records N [--seed S] [--shard I/N]
//               [--files K] [--changed PERCENT]

#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "proto/mxscan.pb.h"
#include "scanner/results/result_writer.h"
#include "scanner/results/shard.h"

ABSL_FLAG(std::string, out, "", "output directory (created)");
ABSL_FLAG(int64_t, records, 1000, "domains to write");
ABSL_FLAG(uint64_t, seed, 1, "posture seed");
ABSL_FLAG(std::string, shard, "0/1", "write only the domains of shard I/N");
ABSL_FLAG(int, files, 2, "writers (as a scan's workers), round robin");
ABSL_FLAG(int, changed, 0, "percent of domains whose posture is re-drawn");

namespace mxscan {
namespace {

// splitmix64: a well-mixed stream from one 64-bit state.
class Draw {
 public:
  explicit Draw(uint64_t state) : state_(state) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  bool Chance(int percent) { return static_cast<int>(Next() % 100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& options) {
    return options[Next() % options.size()];
  }

 private:
  uint64_t state_;
};

const std::vector<std::string> kSectors = {
    "central government", "local government", "health", "education",
    "police", "justice"};
const std::vector<std::string> kProviders = {
    "aspmx.bigmail.example", "mail.protection.msmail.example",
    "mx1.govmail.example", "mx.mailhost.example", "in.smallmail.example"};
const std::vector<std::string> kVersions = {"TLSv1.3", "TLSv1.3", "TLSv1.3",
                                            "TLSv1.2", "TLSv1.2", "TLSv1"};
const std::vector<std::string> kPolicies = {"reject", "quarantine", "none"};

void AddProbe(Draw* d, const std::string& host, MxAddress* address) {
  SmtpProbe* smtp = address->mutable_smtp();
  if (d->Chance(3)) {
    smtp->mutable_error()->set_stage(CONNECT);
    smtp->mutable_error()->set_kind("timeout");
    return;
  }
  smtp->set_connected(true);
  smtp->set_banner_code(220);
  smtp->set_banner(absl::StrCat(host, " ESMTP ready"));
  smtp->set_ehlo_code(250);
  for (const char* ext : {"PIPELINING", "SIZE 52428800", "8BITMIME",
                          "ENHANCEDSTATUSCODES", "SMTPUTF8"}) {
    smtp->add_ehlo_extensions(ext);
  }
  if (d->Chance(12)) return;  // no STARTTLS
  smtp->add_ehlo_extensions("STARTTLS");
  smtp->set_starttls_offered(true);
  smtp->set_starttls_code(220);
  smtp->set_tls_attempted(true);
  TlsInfo* tls = smtp->mutable_tls();
  tls->set_version(d->Pick(kVersions));
  tls->set_cipher("TLS_AES_128_GCM_SHA256");
  tls->set_group("X25519");
  for (int i = 0; i < 2; ++i) {
    tls->add_cert_chain_sha256(absl::StrFormat("%016x%016x%016x%016x",
                                               d->Next(), d->Next(), d->Next(),
                                               d->Next()));
  }
  tls->set_cert_trusted(!d->Chance(8));
  tls->set_hostname_match(!d->Chance(5));
  tls->set_cert_expired(d->Chance(4));
  if (tls->cert_expired()) {
    tls->set_cert_trusted(false);
    tls->set_verify_error("certificate has expired");
  } else if (!tls->cert_trusted()) {
    tls->set_verify_error("self-signed certificate");
  }
  tls->set_leaf_key_type("RSA");
  tls->set_leaf_key_bits(2048);
  tls->set_cert_not_after(1830000000 + static_cast<int64_t>(d->Next() % 90000000));
}

DomainResult MakeDomain(int64_t number, uint64_t seed) {
  Draw d(seed * 0x100000001B3ull + static_cast<uint64_t>(number));
  DomainResult r;
  const std::string& sector = d.Pick(kSectors);
  r.set_domain(absl::StrCat("domain", number, ".example"));
  r.set_sector(sector);
  r.set_status(DomainResult::OK);
  r.set_scan_started_at(1795000000000 + number);
  r.set_scan_duration_ms(static_cast<int64_t>(d.Next() % 3000));
  if (d.Chance(3)) {
    r.set_null_mx(true);
  } else {
    const bool hosted = d.Chance(60);
    const int hosts = 1 + static_cast<int>(d.Next() % 2);
    for (int h = 0; h < hosts; ++h) {
      MxHost* host = r.add_mx();
      host->set_host(hosted ? absl::StrCat("mx", h, ".", d.Pick(kProviders))
                            : absl::StrCat("mail", h, ".", r.domain()));
      host->set_preference(10 * (h + 1));
      if (d.Chance(4)) {
        host->mutable_tlsa()->set_authenticated(true);
        TlsaRecord* tlsa = host->mutable_tlsa()->add_records();
        tlsa->set_usage(3);
        tlsa->set_selector(1);
        tlsa->set_matching_type(1);
      }
      const int addresses = 1 + static_cast<int>(d.Next() % 2);
      for (int a = 0; a < addresses; ++a) {
        MxAddress* address = host->add_addresses();
        address->set_ip(absl::StrFormat("10.%d.%d.%d", d.Next() % 256,
                                        d.Next() % 256, d.Next() % 256));
        AddProbe(&d, host->host(), address);
        if (host->tlsa().authenticated() && address->smtp().has_tls()) {
          address->mutable_smtp()->mutable_tlsa()->set_dane_valid(d.Chance(80));
        }
      }
    }
  }
  SpfResult* spf = r.mutable_spf();
  if (d.Chance(85)) {
    spf->set_present(true);
    spf->set_valid(d.Chance(90));
    spf->set_all(d.Chance(50) ? "-all" : "~all");
    spf->set_record(absl::StrCat("v=spf1 include:_spf.", d.Pick(kProviders),
                                 " ", spf->all()));
    spf->set_dns_lookups(static_cast<uint32_t>(d.Next() % 8));
  }
  DmarcResult* dmarc = r.mutable_dmarc();
  if (d.Chance(75)) {
    dmarc->set_present(true);
    dmarc->set_valid(d.Chance(92));
    dmarc->set_policy(d.Pick(kPolicies));
    dmarc->set_record(absl::StrCat("v=DMARC1; p=", dmarc->policy(),
                                   "; rua=mailto:dmarc@", r.domain()));
    dmarc->add_rua(absl::StrCat("mailto:dmarc@", r.domain()));
  }
  if (d.Chance(12)) {
    r.mutable_mta_sts()->set_txt_present(true);
    r.mutable_mta_sts()->set_policy_fetched(d.Chance(85));
    r.mutable_mta_sts()->set_mode(d.Chance(60) ? "enforce" : "testing");
  }
  if (d.Chance(15)) r.mutable_tls_rpt()->set_present(true);
  if (d.Chance(5)) r.mutable_bimi()->set_present(true);
  if (d.Chance(40)) {
    DkimKey* key = r.add_dkim();
    key->set_selector("selector1");
    key->set_key_type("rsa");
    key->set_key_bits(2048);
    key->set_valid(true);
  }
  r.set_dnssec(d.Chance(10));
  return r;
}

int Run() {
  const std::string out = absl::GetFlag(FLAGS_out);
  absl::StatusOr<results::Shard> shard =
      results::ParseShard(absl::GetFlag(FLAGS_shard));
  if (out.empty() || !shard.ok()) {
    std::fprintf(stderr, "gen_results: --out DIR and a valid --shard I/N\n");
    return 2;
  }
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int changed = absl::GetFlag(FLAGS_changed);
  const int files = std::max(1, absl::GetFlag(FLAGS_files));
  mkdir(out.c_str(), 0755);  // an existing directory is fine
  std::vector<std::unique_ptr<results::ResultWriter>> writers;
  for (int i = 0; i < files; ++i) {
    auto writer = results::ResultWriter::Open(
        out, absl::StrCat("results-gen", seed, "-s", shard->index, "-w", i));
    if (!writer.ok()) {
      std::fprintf(stderr, "gen_results: %s\n",
                   std::string(writer.status().message()).c_str());
      return 1;
    }
    writers.push_back(std::move(*writer));
  }
  int64_t written = 0;
  for (int64_t i = 0; i < absl::GetFlag(FLAGS_records); ++i) {
    const std::string domain = absl::StrCat("domain", i, ".example");
    if (!shard->Contains(domain)) continue;
    const bool redrawn =
        changed > 0 && Draw(0xC0FFEEull + static_cast<uint64_t>(i)).Chance(changed);
    const DomainResult r = MakeDomain(i, redrawn ? seed + 1000003 : seed);
    absl::Status status = writers[written++ % files]->Write(r);
    if (!status.ok()) {
      std::fprintf(stderr, "gen_results: %s\n",
                   std::string(status.message()).c_str());
      return 1;
    }
  }
  for (auto& writer : writers) {
    absl::Status status = writer->Close();
    if (!status.ok()) {
      std::fprintf(stderr, "gen_results: %s\n",
                   std::string(status.message()).c_str());
      return 1;
    }
  }
  std::printf("%lld records in %s\n", static_cast<long long>(written),
              out.c_str());
  return 0;
}

}  // namespace
}  // namespace mxscan

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return mxscan::Run();
}
