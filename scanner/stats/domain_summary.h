#ifndef MXSCAN_SCANNER_STATS_DOMAIN_SUMMARY_H_
#define MXSCAN_SCANNER_STATS_DOMAIN_SUMMARY_H_

#include <array>
#include <bitset>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/stats/metrics.h"

namespace mxscan::stats {

// The kinds of Dependencies().
inline constexpr size_t kDependencyKinds = 5;

// What the statistics need of one domain's record: its metrics and the
// breakdowns, decided once here (scanner/stats/METRICS.md defines each).
struct DomainSummary {
  std::string domain;
  std::string sector;
  std::bitset<kMetricCount> metrics;
  // The weakest TLS of the domain's mail servers: one of
  // TlsVersionCategories().
  std::string tls_category;
  // What a sender that enforces DANE and MTA-STS would do with mail to the
  // domain: one of StrictSenderOutcomes() (strict_sender.h).
  std::string strict_sender;
  // Certificate problems seen on any answering mail server (a domain may
  // have several): "expired", "untrusted", "name_mismatch".
  std::vector<std::string> cert_problems;
  // The verification errors reported for those certificates, distinct.
  std::vector<std::string> verify_errors;
  // The software families its answering mail servers present, distinct
  // (SmtpProbe.software).
  std::vector<std::string> software;
  // Mail providers: the distinct organisational domains of the MX hosts
  // that are not the domain's own ("" never appears); `self_hosted` when
  // some MX host is under the domain's own organisational domain.
  std::vector<std::string> providers;
  bool self_hosted = false;
  // The organisations the domain depends on beyond its MX hosts, by kind
  // (Dependencies()): the distinct organisational domains of its SPF
  // include/redirect targets, DMARC report destinations, TLS-RPT report
  // destinations, DKIM keys published as CNAMEs to another name and the
  // MTA-STS policy host's CNAME target, its own organisational domain
  // left out.
  std::array<std::vector<std::string>, kDependencyKinds> dependencies;
  // The leaf keys its answering mail servers present, distinct: "SPKI-SHA256
  // ORG", ORG the organisational domain of the MX host that presented it
  // (so that a provider's key on its own hosts is one organisation).
  std::vector<std::string> leaf_keys;
  // DNSSEC status of the domain's MX answer ("SECURE", ..., "" for a record
  // from before the field).
  std::string dnssec_status;

  // Scanned through a resolver that does not validate DNSSEC: its DNSSEC
  // and DANE metrics are not measured.
  bool DnssecNotValidated() const { return dnssec_status == "NOT_VALIDATED"; }

  bool Has(Metric m) const { return metrics.test(static_cast<size_t>(m)); }
  void Set(Metric m) { metrics.set(static_cast<size_t>(m)); }
};

// What a domain can depend on another organisation for, besides receiving
// its mail (the MX providers).
struct DependencyKind {
  const char* key;    // "spf_include"
  const char* label;  // "SPF includes (who may send as the domain)"
};
const std::array<DependencyKind, kDependencyKinds>& Dependencies();

// The TLS categories in report order (best last).
const std::vector<std::string>& TlsVersionCategories();

// Maps a host name to its organisational domain (the PSL's registrable
// domain); "" when it has none.
using OrgDomainOf = std::function<std::string(absl::string_view)>;

DomainSummary SummarizeDomain(const DomainResult& result,
                              const OrgDomainOf& org_domain_of);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_DOMAIN_SUMMARY_H_
