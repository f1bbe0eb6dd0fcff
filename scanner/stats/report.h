#ifndef MXSCAN_SCANNER_STATS_REPORT_H_
#define MXSCAN_SCANNER_STATS_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scanner/stats/aggregate.h"

namespace mxscan::stats {

struct ReportOptions {
  bool by_sector = true;      // a row per sector besides the overall row
  // The metrics shown by md, csv and html, in this order (JSON always has
  // them all).
  std::vector<MetricInfo> metrics = MetricsOf(MetricGroup::kHeadline);
  size_t top_providers = 10;  // providers listed, by share of domains
  std::string title = "Email security of the sector";
  // Where the figures come from: ProvenanceLines of the scans' manifests.
  std::vector<std::string> provenance;
};

// The rows of a report: "overall" first, then the sectors by name.
std::vector<std::pair<std::string, const Tally*>> ReportRows(
    const Aggregate& aggregate, const ReportOptions& options);

// 100 * part / whole, 0 when whole is 0.
double Percent(uint64_t part, uint64_t whole);
// "57.1%" (one decimal).
std::string PercentText(uint64_t part, uint64_t whole);

// NotMeasured: `metric` rests on DNSSEC validation (dnssec, dane_*), some
// domain of `tally` was scanned through a resolver that does not validate
// and none through one that does: its figure is "not measured", never 0%.
bool NotMeasured(const Tally& tally, Metric metric);

// FigureText: "12.5% (3)", or "not measured".
std::string FigureText(const Tally& tally, Metric metric);

// StrictSenderHeadline: the sentence reports lead with ("Mail to N% of the
// domains would not be delivered by a sender that enforces DANE and
// MTA-STS ...").
std::string StrictSenderHeadline(const Tally& tally);

// A leaf key presented by MX hosts of several organisations, for people.
struct SharedKeyRow {
  std::string key;            // SPKI SHA-256, hex
  std::string organisations;  // "a.example, b.example, c.example and 9 more"
  uint64_t organisation_count = 0;  // at most kMaxKeyOrganisations
  uint64_t domains = 0;
};
// The `n` most shared keys of `keys`, most first.
std::vector<SharedKeyRow> SharedKeyRows(const LeafKeys& keys, size_t n);

std::string RenderMarkdown(const Aggregate& aggregate,
                           const ReportOptions& options);
std::string RenderCsv(const Aggregate& aggregate, const ReportOptions& options);
std::string RenderJson(const Aggregate& aggregate,
                       const ReportOptions& options);
// One self-contained page: tables and inline-SVG charts, no external
// resources and no scripts.
std::string RenderHtml(const Aggregate& aggregate,
                       const ReportOptions& options);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_REPORT_H_
