#ifndef MXSCAN_SCANNER_STATS_METRICS_H_
#define MXSCAN_SCANNER_STATS_METRICS_H_

#include <array>
#include <cstddef>

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
};
inline constexpr size_t kMetricCount = 28;

struct MetricInfo {
  Metric metric;
  absl::string_view key;    // JSON/CSV name (DESIGN.md's contract)
  absl::string_view label;  // a column heading for people
};

// Every metric, in report order.
const std::array<MetricInfo, kMetricCount>& Metrics();

// The metric named `key`, or nullptr.
const MetricInfo* FindMetric(absl::string_view key);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_METRICS_H_
