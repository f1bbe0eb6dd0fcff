// The HTML report: one self-contained page (inline CSS and SVG, no
// scripts, nothing fetched), readable offline and archivable as is.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/stats/report.h"
#include "scanner/stats/strict_sender.h"
#include "scanner/stats/svg_chart.h"

namespace mxscan::stats {
namespace {

constexpr char kStyle[] = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:1400px}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
tr.overall td{font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;margin-top:1.5em}
svg.chart{font-size:12px;background:#fff}
svg .chart-title{font-weight:bold;font-size:13px}
svg .track{fill:#eee}svg .label,svg .value,svg .legend{fill:#222}
p.note{color:#555;font-size:.9em}
)css";

std::string Cell(uint64_t n, uint64_t whole) {
  return absl::StrCat(PercentText(n, whole), " <small>(", n, ")</small>");
}

void AppendMetricTable(
    const char* id,
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    const std::vector<MetricInfo>& metrics, std::string* out) {
  absl::StrAppend(out, "<table id=\"", id,
                  "\"><thead><tr><th>sector</th>"
                  "<th>domains</th>");
  for (const MetricInfo& m : metrics) {
    absl::StrAppend(out, "<th title=\"", m.key, "\">", HtmlEscape(m.label),
                    "</th>");
  }
  absl::StrAppend(out, "</tr></thead><tbody>");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Tally& t = *rows[i].second;
    absl::StrAppend(out, i == 0 ? "<tr class=\"overall\">" : "<tr>", "<td>",
                    HtmlEscape(rows[i].first), "</td><td>", t.domains,
                    "</td>");
    for (const MetricInfo& m : metrics) {
      absl::StrAppend(out, "<td>",
                      NotMeasured(t, m.metric)
                          ? "<small>not measured</small>"
                          : Cell(t.Count(m.metric), t.domains),
                      "</td>");
    }
    absl::StrAppend(out, "</tr>");
  }
  absl::StrAppend(out, "</tbody></table>");
}

// One chart per metric, a bar per sector.
void AppendMetricCharts(
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    const std::vector<MetricInfo>& metrics, std::string* out) {
  absl::StrAppend(out, "<div class=\"charts\" id=\"metric-charts\">");
  for (const MetricInfo& m : metrics) {
    std::vector<Bar> bars;
    for (const auto& [name, tally] : rows) {
      bars.push_back({name, Percent(tally->Count(m.metric), tally->domains),
                      FigureText(*tally, m.metric)});
    }
    absl::StrAppend(out, SvgBarChart(m.label, bars));
  }
  absl::StrAppend(out, "</div>");
}

// One stacked bar per report row of a breakdown (`field`), its segments
// in the order of `categories`; categories the overall row lacks are left
// out.
std::vector<StackedBar> CategoryBars(
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    const std::vector<std::string>& categories,
    const std::map<std::string, uint64_t> Tally::*field) {
  std::vector<StackedBar> bars;
  for (const auto& [name, tally] : rows) {
    StackedBar bar{name, {}};
    for (const std::string& category : categories) {
      const auto& counts = tally->*field;
      auto it = counts.find(category);
      const uint64_t n = it == counts.end() ? 0 : it->second;
      if (!(rows.front().second->*field).count(category)) continue;
      bar.segments.push_back(
          {category, Percent(n, tally->domains),
           absl::StrCat(PercentText(n, tally->domains), " (", n, ")")});
    }
    bars.push_back(std::move(bar));
  }
  return bars;
}

std::vector<Bar> CountBars(const std::map<std::string, uint64_t>& counts,
                           uint64_t whole) {
  std::vector<Bar> bars;
  for (const auto& [name, n] : counts) {
    bars.push_back({name, Percent(n, whole),
                    absl::StrCat(PercentText(n, whole), " (", n, ")")});
  }
  return bars;
}

}  // namespace

std::string RenderHtml(const Aggregate& aggregate,
                       const ReportOptions& options) {
  const auto rows = ReportRows(aggregate, options);
  const Tally& overall = aggregate.overall();
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>",
      HtmlEscape(options.title), "</title><style>", kStyle,
      "</style></head><body><h1>", HtmlEscape(options.title), "</h1>");
  absl::StrAppend(&out, "<p id=\"summary\">", overall.domains, " domains",
                  options.by_sector
                      ? absl::StrCat(" in ", aggregate.sectors().size(),
                                     " sectors")
                      : "",
                  ". Each figure is the share of domains with the property; "
                  "the definitions are in scanner/stats/METRICS.md.</p>");
  absl::StrAppend(
      &out, "<p id=\"strict-sender\"><strong>",
      HtmlEscape(StrictSenderHeadline(overall)),
      "</strong></p><div class=\"charts\">",
      SvgStackedChart(
          "What a sender that enforces DANE and MTA-STS would do",
          CategoryBars(rows, StrictSenderOutcomes(), &Tally::strict_sender)),
      "</div>");

  absl::StrAppend(&out, "<h2>Overall adoption</h2><div class=\"charts\">");
  std::vector<Bar> headline;
  for (const MetricInfo& m : options.metrics) {
    headline.push_back({std::string(m.label),
                        Percent(overall.Count(m.metric), overall.domains),
                        FigureText(overall, m.metric)});
  }
  absl::StrAppend(&out, SvgBarChart("All domains", headline), "</div>");

  absl::StrAppend(&out, "<h2>By sector</h2>");
  AppendMetricTable("metrics", rows, options.metrics, &out);
  if (rows.size() > 1) AppendMetricCharts(rows, options.metrics, &out);

  absl::StrAppend(&out, "<h2>Mail providers</h2><p class=\"note\">Share of "
                        "the domains that publish MX records, by the "
                        "organisational domain of their MX hosts.</p>"
                        "<div class=\"charts\">");
  const uint64_t with_mx = overall.Count(Metric::kMxPresent);
  std::vector<Bar> providers;
  for (const auto& [provider, n] : overall.TopProviders(options.top_providers)) {
    providers.push_back({provider, Percent(n, with_mx),
                         absl::StrCat(PercentText(n, with_mx), " (", n, ")")});
  }
  providers.push_back({"(self-hosted)", Percent(overall.self_hosted, with_mx),
                       absl::StrCat(PercentText(overall.self_hosted, with_mx),
                                    " (", overall.self_hosted, ")")});
  absl::StrAppend(&out, SvgBarChart("Leading providers", providers), "</div>");
  absl::StrAppend(&out,
                  "<h2>Who the sector depends on</h2><p class=\"note\">"
                  "Share of all domains that depend on each "
                  "organisation (its organisational domain).</p>"
                  "<div class=\"charts\">");
  for (size_t k = 0; k < Dependencies().size(); ++k) {
    std::vector<Bar> bars;
    for (const auto& [name, n] :
         overall.TopDependencies(k, options.top_providers)) {
      bars.push_back(
          {name, Percent(n, overall.domains),
           absl::StrCat(PercentText(n, overall.domains), " (", n, ")")});
    }
    absl::StrAppend(&out, SvgBarChart(Dependencies()[k].label, bars));
  }
  absl::StrAppend(&out, "</div>");

  absl::StrAppend(&out, "<h2>TLS</h2><div class=\"charts\">",
                  SvgStackedChart("Weakest TLS of the domain's mail servers",
                                  CategoryBars(rows, TlsVersionCategories(),
                                               &Tally::tls_categories)),
                  "</div>");
  absl::StrAppend(&out,
                  "<h2>Mail servers by address family</h2><p class=\"note\">"
                  "The mail server metrics over the IPv4 and the IPv6 "
                  "addresses of the MX hosts apart (METRICS.md).</p>");
  AppendMetricTable("address-families", rows, AddressFamilyMetrics(), &out);
  absl::StrAppend(&out,
                  "<h2>Certificate and key-exchange facts</h2><p "
                  "class=\"note\">Domains whose every answering mail "
                  "server presents a certificate with Certificate "
                  "Transparency SCTs, staples an OCSP response, or selects "
                  "a hybrid post-quantum key exchange when offered one "
                  "(METRICS.md).</p>");
  AppendMetricTable("certificate-facts", rows,
                    MetricsOf(MetricGroup::kCertificate), &out);
  absl::StrAppend(&out, "<p>", aggregate.leaf_keys().SharedCount(),
                  " leaf keys are presented by the MX hosts of more than one "
                  "organisation.</p>");
  const std::vector<SharedKeyRow> shared =
      SharedKeyRows(aggregate.leaf_keys(), options.top_providers);
  if (!shared.empty()) {
    absl::StrAppend(&out,
                    "<table id=\"shared-keys\"><thead><tr><th>key (SPKI "
                    "SHA-256)</th><th>organisations</th><th>domains</th></tr>"
                    "</thead><tbody>");
    for (const SharedKeyRow& row : shared) {
      absl::StrAppend(&out, "<tr><td><code>", HtmlEscape(row.key.substr(0, 16)),
                      "…</code></td><td>", HtmlEscape(row.organisations),
                      "</td><td>", row.domains, "</td></tr>");
    }
    absl::StrAppend(&out, "</tbody></table>");
  }
  absl::StrAppend(
      &out, "<h2>Certificates</h2><div class=\"charts\">",
      SvgBarChart("Certificate problems (domains)",
                  CountBars(overall.cert_problems, overall.domains)),
      SvgBarChart("Verification errors (domains)",
                  CountBars(overall.verify_errors, overall.domains)),
      "</div><h2>Mail server software</h2><div class=\"charts\">",
      SvgBarChart("As the servers present themselves (domains)",
                  CountBars(overall.software, overall.domains)),
      "</div><h2>Provenance</h2>");
  if (options.provenance.empty()) {
    absl::StrAppend(&out,
                    "<p>No scan manifest: what produced these results "
                    "is not recorded.</p>");
  } else {
    absl::StrAppend(&out, "<ul id=\"provenance\">");
    for (const std::string& line : options.provenance) {
      absl::StrAppend(&out, "<li>", HtmlEscape(line), "</li>");
    }
    absl::StrAppend(&out, "</ul>");
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace mxscan::stats
