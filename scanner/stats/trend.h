#ifndef MXSCAN_SCANNER_STATS_TREND_H_
#define MXSCAN_SCANNER_STATS_TREND_H_

#include <string>
#include <vector>

#include "scanner/stats/aggregate.h"
#include "scanner/stats/report.h"

namespace mxscan::stats {

// One scan of a trend: its name (the result directory), when it ran (its
// manifest's first start, UTC; "" when unknown) and its figures.
struct TrendScan {
  std::string label;
  std::string when;
  Aggregate aggregate;
};

// OrderScans sorts scans by `when` when every scan has one; otherwise they
// keep the order given.
void OrderScans(std::vector<TrendScan>* scans);

// The metrics of `options.metrics` over the scans, per sector (overall
// first, then every sector any scan has): one table per metric in md, one
// row per (scan, sector, metric) in csv, and in json per row and metric the
// list of percentages in scan order. A sector a scan lacks shows "—" (md),
// an empty cell (csv) or null (json); "not measured" figures likewise.
std::string RenderTrendMarkdown(const std::vector<TrendScan>& scans,
                                const ReportOptions& options);
std::string RenderTrendCsv(const std::vector<TrendScan>& scans,
                           const ReportOptions& options);
std::string RenderTrendJson(const std::vector<TrendScan>& scans,
                            const ReportOptions& options);
// One self-contained page (inline CSS and SVG, nothing fetched): per
// metric a line chart (a line per row) and the same figures as a table.
std::string RenderTrendHtml(const std::vector<TrendScan>& scans,
                            const ReportOptions& options);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_TREND_H_
