#include "scanner/stats/trend.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scanner/base/csv_field.h"
#include "scanner/base/json.h"
#include "scanner/stats/svg_chart.h"

namespace mxscan::stats {
namespace {

// The rows of a trend: "overall", then every sector of any scan.
std::vector<std::string> RowNames(const std::vector<TrendScan>& scans,
                                  bool by_sector) {
  std::vector<std::string> rows = {"overall"};
  if (!by_sector) return rows;
  std::set<std::string> sectors;
  for (const TrendScan& scan : scans) {
    for (const auto& [name, tally] : scan.aggregate.sectors()) {
      sectors.insert(name);
    }
  }
  rows.insert(rows.end(), sectors.begin(), sectors.end());
  return rows;
}

// The tally of `row` in `scan`, or null when the scan has no such sector.
const Tally* RowOf(const TrendScan& scan, const std::string& row) {
  if (row == "overall") return &scan.aggregate.overall();
  auto it = scan.aggregate.sectors().find(row);
  return it == scan.aggregate.sectors().end() ? nullptr : &it->second;
}

// The figure of `metric` in `tally`, or nothing when there is none.
bool Figure(const Tally* tally, Metric metric, double* percent) {
  if (tally == nullptr || tally->domains == 0 || NotMeasured(*tally, metric)) {
    return false;
  }
  *percent = Percent(tally->Count(metric), tally->domains);
  return true;
}

}  // namespace

void OrderScans(std::vector<TrendScan>* scans) {
  const bool all_dated =
      std::all_of(scans->begin(), scans->end(),
                  [](const TrendScan& s) { return !s.when.empty(); });
  if (!all_dated) return;
  std::stable_sort(
      scans->begin(), scans->end(),
      [](const TrendScan& a, const TrendScan& b) { return a.when < b.when; });
}

std::string RenderTrendMarkdown(const std::vector<TrendScan>& scans,
                                const ReportOptions& options) {
  std::string out =
      absl::StrCat("# ", options.title, ": over ", scans.size(), " scans\n\n");
  for (const TrendScan& scan : scans) {
    absl::StrAppend(&out, "- ", scan.label,
                    scan.when.empty() ? "" : absl::StrCat(" (", scan.when, ")"),
                    ": ", scan.aggregate.overall().domains, " domains\n");
  }
  const std::vector<std::string> rows = RowNames(scans, options.by_sector);
  for (const MetricInfo& m : options.metrics) {
    absl::StrAppend(&out, "\n## ", m.label, " (`", m.key, "`)\n\n| |");
    for (const TrendScan& scan : scans) {
      absl::StrAppend(&out, " ", scan.when.empty() ? scan.label : scan.when,
                      " |");
    }
    absl::StrAppend(&out, " change |\n|---|");
    for (size_t i = 0; i <= scans.size(); ++i) absl::StrAppend(&out, "---:|");
    absl::StrAppend(&out, "\n");
    for (const std::string& row : rows) {
      absl::StrAppend(&out, "| ", row, " |");
      double first = 0, last = 0;
      bool have_first = false, have_last = false;
      for (const TrendScan& scan : scans) {
        double p = 0;
        const bool have = Figure(RowOf(scan, row), m.metric, &p);
        absl::StrAppend(&out, " ",
                        have ? absl::StrFormat("%.1f%%", p) : std::string("—"),
                        " |");
        if (have && !have_first) {
          first = p;
          have_first = true;
        }
        if (have) {
          last = p;
          have_last = true;
        }
      }
      absl::StrAppend(&out, " ",
                      have_first && have_last
                          ? absl::StrFormat("%+.1f pts", last - first)
                          : std::string("—"),
                      " |\n");
    }
  }
  return out;
}

std::string RenderTrendCsv(const std::vector<TrendScan>& scans,
                           const ReportOptions& options) {
  std::string out = "scan,when,sector,metric,count,domains,pct\n";
  const std::vector<std::string> rows = RowNames(scans, options.by_sector);
  for (const TrendScan& scan : scans) {
    for (const std::string& row : rows) {
      const Tally* tally = RowOf(scan, row);
      if (tally == nullptr) continue;
      for (const MetricInfo& m : options.metrics) {
        double p = 0;
        const bool have = Figure(tally, m.metric, &p);
        absl::StrAppend(
            &out, base::CsvField(scan.label), ",", base::CsvField(scan.when),
            ",", base::CsvField(row), ",", m.key, ",",
            have ? absl::StrCat(tally->Count(m.metric)) : "", ",",
            tally->domains, ",", have ? absl::StrFormat("%.2f", p) : "", "\n");
      }
    }
  }
  return out;
}

std::string RenderTrendJson(const std::vector<TrendScan>& scans,
                            const ReportOptions& options) {
  std::string out = "{\"scans\":[";
  for (size_t i = 0; i < scans.size(); ++i) {
    absl::StrAppend(&out, i ? "," : "", "{\"label\":");
    base::AppendJsonString(scans[i].label, &out);
    out.append(",\"when\":");
    base::AppendJsonString(scans[i].when, &out);
    absl::StrAppend(&out, ",\"domains\":", scans[i].aggregate.overall().domains,
                    "}");
  }
  out.append("],\"rows\":{");
  const std::vector<std::string> rows = RowNames(scans, options.by_sector);
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) out.push_back(',');
    base::AppendJsonString(rows[r], &out);
    out.append(":{");
    for (size_t k = 0; k < options.metrics.size(); ++k) {
      const MetricInfo& m = options.metrics[k];
      absl::StrAppend(&out, k ? "," : "", "\"", m.key, "\":[");
      for (size_t i = 0; i < scans.size(); ++i) {
        double p = 0;
        absl::StrAppend(&out, i ? "," : "",
                        Figure(RowOf(scans[i], rows[r]), m.metric, &p)
                            ? absl::StrFormat("%.2f", p)
                            : std::string("null"));
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out.append("}}\n");
  return out;
}

std::string RenderTrendHtml(const std::vector<TrendScan>& scans,
                            const ReportOptions& options) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>",
      HtmlEscape(options.title),
      "</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse;margin:.5em 0 2em}"
      "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
      "th:first-child,td:first-child{text-align:left}"
      ".chart-title{font-weight:bold;font-size:13px}"
      ".label{font-size:11px}</style></head><body><h1>",
      HtmlEscape(options.title), ": over ", scans.size(), " scans</h1><ul>");
  std::vector<std::string> x_labels;
  for (const TrendScan& scan : scans) {
    x_labels.push_back(scan.when.empty() ? scan.label
                                         : scan.when.substr(0, 10));
    absl::StrAppend(&out, "<li>", HtmlEscape(scan.label),
                    scan.when.empty() ? "" : absl::StrCat(" (", scan.when, ")"),
                    ": ", scan.aggregate.overall().domains, " domains</li>");
  }
  out.append("</ul>");
  const std::vector<std::string> rows = RowNames(scans, options.by_sector);
  for (const MetricInfo& m : options.metrics) {
    std::vector<Line> lines;
    std::string table = "<table><thead><tr><th scope=\"col\">row</th>";
    for (const std::string& x : x_labels) {
      absl::StrAppend(&table, "<th scope=\"col\">", HtmlEscape(x), "</th>");
    }
    table.append("</tr></thead><tbody>");
    for (const std::string& row : rows) {
      Line line{row, {}};
      absl::StrAppend(&table, "<tr><td>", HtmlEscape(row), "</td>");
      for (const TrendScan& scan : scans) {
        double p = 0;
        const bool have = Figure(RowOf(scan, row), m.metric, &p);
        line.percent.push_back(have ? p : std::nan(""));
        absl::StrAppend(&table, "<td>",
                        have ? absl::StrFormat("%.1f%%", p) : std::string("—"),
                        "</td>");
      }
      table.append("</tr>");
      lines.push_back(std::move(line));
    }
    table.append("</tbody></table>");
    absl::StrAppend(&out, "<h2>", HtmlEscape(m.label), "</h2>",
                    SvgLineChart(m.label, x_labels, lines), table);
  }
  out.append("</body></html>\n");
  return out;
}

}  // namespace mxscan::stats
