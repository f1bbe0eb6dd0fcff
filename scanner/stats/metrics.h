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
};
inline constexpr size_t kMetricCount = 41;

struct MetricInfo {
  Metric metric;
  absl::string_view key;    // JSON/CSV name (DESIGN.md's contract)
  absl::string_view label;  // a column heading for people
  // In the headline table (md, csv, html) unless --metrics says otherwise;
  // the others appear in their breakdown (and in JSON, export, diff).
  bool headline = true;
};

// Every metric, in report order.
const std::array<MetricInfo, kMetricCount>& Metrics();
// The headline ones, in report order.
std::vector<MetricInfo> HeadlineMetrics();
// The metrics of the breakdown by address family, in report order.
std::vector<MetricInfo> AddressFamilyMetrics();

// The metric named `key`, or nullptr.
const MetricInfo* FindMetric(absl::string_view key);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_METRICS_H_
