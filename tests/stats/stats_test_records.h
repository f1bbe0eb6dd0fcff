#ifndef MXSCAN_TESTS_STATS_STATS_TEST_RECORDS_H_
#define MXSCAN_TESTS_STATS_STATS_TEST_RECORDS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::stats::testing {

// The last two labels: the organisational domain under the PSL's implicit
// "*" rule, which is all these tests need.
inline std::string LastTwoLabels(absl::string_view host) {
  std::vector<absl::string_view> labels = absl::StrSplit(host, '.');
  if (labels.size() < 2) return std::string(host);
  return absl::StrCat(labels[labels.size() - 2], ".", labels.back());
}

// A mail server address that answered 220 and completed TLS.
inline MxAddress* AddGoodAddress(MxHost* host, const std::string& ip,
                                 const std::string& version = "TLSv1.3") {
  MxAddress* address = host->add_addresses();
  address->set_ip(ip);
  SmtpProbe* smtp = address->mutable_smtp();
  smtp->set_connected(true);
  smtp->set_banner_code(220);
  smtp->set_starttls_offered(true);
  TlsInfo* tls = smtp->mutable_tls();
  tls->set_version(version);
  tls->set_cert_trusted(true);
  tls->set_hostname_match(true);
  return address;
}

// Publishes a DNSSEC-authenticated TLSA record of `usage` (selector 1,
// matching type 1) for `host`, and sets whether each of its servers'
// certificates matched it.
inline void PublishTlsa(MxHost* host, uint32_t usage, bool matched) {
  Tlsa* tlsa = host->mutable_tlsa();
  tlsa->set_authenticated(true);
  TlsaRecord* record = tlsa->add_records();
  record->set_usage(usage);
  record->set_selector(1);
  record->set_matching_type(1);
  for (MxAddress& a : *host->mutable_addresses()) {
    a.mutable_smtp()->mutable_tlsa()->set_dane_valid(matched);
  }
}

// A domain of `sector` with one MX host at `provider_host` whose one
// address answers with TLS 1.3 and a valid certificate, valid SPF -all and
// DMARC reject.
inline DomainResult GoodDomain(const std::string& domain,
                               const std::string& sector,
                               const std::string& provider_host) {
  DomainResult r;
  r.set_domain(domain);
  r.set_sector(sector);
  r.set_status(DomainResult::OK);
  MxHost* host = r.add_mx();
  host->set_host(provider_host);
  host->set_preference(10);
  AddGoodAddress(host, "192.0.2.1");
  r.mutable_spf()->set_present(true);
  r.mutable_spf()->set_valid(true);
  r.mutable_spf()->set_all("-all");
  r.mutable_dmarc()->set_present(true);
  r.mutable_dmarc()->set_valid(true);
  r.mutable_dmarc()->set_policy("reject");
  return r;
}

}  // namespace mxscan::stats::testing

#endif  // MXSCAN_TESTS_STATS_STATS_TEST_RECORDS_H_
