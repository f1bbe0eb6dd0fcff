#ifndef MXSCAN_SCANNER_STATS_METRICS_H_
#define MXSCAN_SCANNER_STATS_METRICS_H_

#include <array>
#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::stats {

// The sector metrics: each is a property a domain has or has not. Their
// exact definitions are in scanner/stats/METRICS.md; the code in
// domain_summary.cc follows them. The order is the report's order.
enum class Metric : int {
  kMxPresent,
  kNullMx,
  kImplicitMx,
  kSmtpReachable,
  kStarttlsAllMx,
  kTls12PlusAllMx,
  kValidCertAllMx,
  kDanePublished,
  kDaneValid,
  kDaneEffective,
  kSpfPresent,
  kSpfValid,
  kSpfHardfail,
  kDmarcPresent,
  kDmarcValid,
  kDmarcReject,
  kDmarcQuarantine,
  kDmarcNone,
  kDmarcEnforced,
  kDmarcRejectFull,
  kMtaStsEnforce,
  kMtaStsTesting,
  kMtaStsEffective,
  kTlsRptPresent,
  kDkimKeyFound,
  kBimiPresent,
  kDnssec,
  kNoMailLocked,
  kMxIpv6,
  kSmtpReachableIpv6,
  // The mail server metrics over one address family: the breakdown by
  // address family, not the headline table.
  kSmtpReachableIpv4,
  kStarttlsAllMxIpv4,
  kTls12PlusAllMxIpv4,
  kValidCertAllMxIpv4,
  kDaneValidIpv4,
  kIpv6Probed,
  kStarttlsAllMxIpv6,
  kTls12PlusAllMxIpv6,
  kValidCertAllMxIpv6,
  kDaneValidIpv6,
  kIpv6WeakerThanIpv4,
  // Certificate facts of the answering servers.
  kSctAllMx,
  kOcspStapledAllMx,
  // Key exchange (the post-quantum selection probe, --probe-pq).
  kPqProbed,
  kPqHybridAllMx,
  // The TLS census (--tls-census), classed after the NCSC-NL guidelines.
  kTlsCensusProbed,
  kTlsClassGoodAllMx,
  kTlsClassSufficientAllMx,
  // Versions accepted (--probe-tls-versions, --tls-census).
  kTlsVersionsProbed,
  kTls10AcceptedAnyMx,
  kTls11AcceptedAnyMx,
};
inline constexpr size_t kMetricCount = 51;

// Where a metric appears in the md and html reports.
enum class MetricGroup {
  kHeadline,       // the headline table (unless --metrics says otherwise)
  kAddressFamily,  // "Mail servers by address family"
  kCertificate,    // "Certificate and key-exchange facts"
};

struct MetricInfo {
  Metric metric;
  absl::string_view key;    // JSON/CSV name (DESIGN.md's contract)
  absl::string_view label;  // a column heading for people
  // Every metric is in JSON, export, diff and the per-domain CSV.
  MetricGroup group = MetricGroup::kHeadline;
};

// Every metric, in report order.
const std::array<MetricInfo, kMetricCount>& Metrics();
// The metrics of one group, in report order.
std::vector<MetricInfo> MetricsOf(MetricGroup group);
// The breakdown by address family: its group, after the two IPv6
// headline metrics it explains.
std::vector<MetricInfo> AddressFamilyMetrics();

// The metric named `key`, or nullptr.
const MetricInfo* FindMetric(absl::string_view key);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_METRICS_H_
