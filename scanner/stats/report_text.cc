// Markdown and CSV renderings of the statistics.

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "scanner/base/csv_field.h"
#include "scanner/stats/report.h"
#include "scanner/stats/strict_sender.h"

namespace mxscan::stats {
namespace {

std::string MarkdownCell(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
}

// The heading and header rows of a breakdown table: a column per report
// row.
void AppendBreakdownHead(
    const std::string& heading,
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    std::string* out) {
  absl::StrAppend(out, "\n## ", heading, "\n\n| |");
  for (const auto& [name, tally] : rows) {
    absl::StrAppend(out, " ", MarkdownCell(name), " |");
  }
  absl::StrAppend(out, "\n|---|");
  for (size_t i = 0; i < rows.size(); ++i) absl::StrAppend(out, "---:|");
  absl::StrAppend(out, "\n");
}

// A breakdown (name -> domains) as one markdown table with a column per
// report row.
void AppendBreakdown(
    const std::string& heading, const std::vector<std::string>& names,
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    const std::map<std::string, uint64_t> Tally::*field, std::string* out) {
  AppendBreakdownHead(heading, rows, out);
  for (const std::string& category : names) {
    if (!(rows.front().second->*field).count(category)) continue;
    absl::StrAppend(out, "| ", MarkdownCell(category), " |");
    for (const auto& [name, tally] : rows) {
      const auto& counts = tally->*field;
      auto it = counts.find(category);
      const uint64_t n = it == counts.end() ? 0 : it->second;
      absl::StrAppend(out, " ", n, " (", PercentText(n, tally->domains),
                      ") |");
    }
    absl::StrAppend(out, "\n");
  }
}

// A table of `metrics` (a row each) by report row (a column each).
void AppendMetricBreakdown(
    const std::string& heading, const std::vector<MetricInfo>& metrics,
    const std::vector<std::pair<std::string, const Tally*>>& rows,
    std::string* out) {
  AppendBreakdownHead(heading, rows, out);
  for (const MetricInfo& m : metrics) {
    absl::StrAppend(out, "| ", m.label, " |");
    for (const auto& [name, tally] : rows) {
      absl::StrAppend(out, " ", FigureText(*tally, m.metric), " |");
    }
    absl::StrAppend(out, "\n");
  }
}

std::vector<std::string> KeysOf(const std::map<std::string, uint64_t>& m) {
  std::vector<std::string> keys;
  for (const auto& [key, n] : m) keys.push_back(key);
  return keys;
}

}  // namespace

std::vector<std::pair<std::string, const Tally*>> ReportRows(
    const Aggregate& aggregate, const ReportOptions& options) {
  std::vector<std::pair<std::string, const Tally*>> rows;
  rows.emplace_back("overall", &aggregate.overall());
  if (options.by_sector) {
    for (const auto& [name, tally] : aggregate.sectors()) {
      rows.emplace_back(name, &tally);
    }
  }
  return rows;
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0
                    : 100.0 * static_cast<double>(part) /
                          static_cast<double>(whole);
}

std::string PercentText(uint64_t part, uint64_t whole) {
  return absl::StrFormat("%.1f%%", Percent(part, whole));
}

bool NotMeasured(const Tally& tally, Metric metric) {
  // Probes of IPv6 mail servers: none, though MX hosts have IPv6 addresses
  // and IPv4 ones answered (a scanner without IPv6, --no-ipv6).
  const bool needs_ipv6_probes = metric == Metric::kSmtpReachableIpv6 ||
                                 metric == Metric::kStarttlsAllMxIpv6 ||
                                 metric == Metric::kTls12PlusAllMxIpv6 ||
                                 metric == Metric::kValidCertAllMxIpv6 ||
                                 metric == Metric::kDaneValidIpv6 ||
                                 metric == Metric::kIpv6WeakerThanIpv4;
  // The selection probe asked of no server (a scan without --probe-pq).
  if (metric == Metric::kPqHybridAllMx && tally.Count(Metric::kPqProbed) == 0 &&
      tally.Count(Metric::kStarttlsAllMx) > 0) {
    return true;
  }
  // The versions accepted (a scan without --probe-tls-versions).
  if ((metric == Metric::kTls10AcceptedAnyMx ||
       metric == Metric::kTls11AcceptedAnyMx) &&
      tally.Count(Metric::kTlsVersionsProbed) == 0 &&
      tally.Count(Metric::kStarttlsAllMx) > 0) {
    return true;
  }
  // Likewise the census (a scan without --tls-census).
  if ((metric == Metric::kTlsClassGoodAllMx ||
       metric == Metric::kTlsClassSufficientAllMx) &&
      tally.Count(Metric::kTlsCensusProbed) == 0 &&
      tally.Count(Metric::kStarttlsAllMx) > 0) {
    return true;
  }
  if (needs_ipv6_probes && tally.Count(Metric::kIpv6Probed) == 0 &&
      tally.Count(Metric::kMxIpv6) > 0 &&
      tally.Count(Metric::kSmtpReachable) > 0) {
    return true;
  }
  const bool needs_validation =
      metric == Metric::kDnssec || metric == Metric::kDanePublished ||
      metric == Metric::kDaneValid || metric == Metric::kDaneEffective ||
      metric == Metric::kDaneValidIpv4 || metric == Metric::kDaneValidIpv6;
  // Some domain went through a resolver that does not validate, and not
  // one through a validating resolver (domains that asked nothing, such as
  // invalid names, have no status at all).
  if (!needs_validation || tally.dnssec_statuses.count("NOT_VALIDATED") == 0) {
    return false;
  }
  for (const char* validated :
       {"SECURE", "INSECURE", "BOGUS", "INDETERMINATE"}) {
    if (tally.dnssec_statuses.count(validated) > 0) return false;
  }
  return true;
}

std::string FigureText(const Tally& tally, Metric metric) {
  if (NotMeasured(tally, metric)) return "not measured";
  return absl::StrCat(PercentText(tally.Count(metric), tally.domains), " (",
                      tally.Count(metric), ")");
}

std::string StrictSenderHeadline(const Tally& tally) {
  const uint64_t refused = tally.WouldNotDeliverCount();
  auto count = [&tally](const char* outcome) -> uint64_t {
    auto it = tally.strict_sender.find(outcome);
    return it == tally.strict_sender.end() ? 0 : it->second;
  };
  return absl::StrCat(
      "Mail to ", PercentText(refused, tally.domains), " of the domains (",
      refused, " of ", tally.domains,
      ") would not be delivered by a sender that enforces DANE and MTA-STS; ",
      PercentText(count(kSenderDane) + count(kSenderMtaSts), tally.domains),
      " would reach an authenticated server (",
      count(kSenderNotMeasured) + count(kSenderUnreachable),
      " domains not measured or unreachable).");
}

std::vector<SharedKeyRow> SharedKeyRows(const LeafKeys& keys, size_t n) {
  std::vector<SharedKeyRow> rows;
  for (const auto& [key, use] : keys.TopShared(n)) {
    const std::vector<std::string> orgs(use->organisations.begin(),
                                        use->organisations.end());
    const size_t shown = std::min<size_t>(orgs.size(), 3);
    std::string text = absl::StrJoin(orgs.begin(), orgs.begin() + shown, ", ");
    if (orgs.size() > shown) {
      absl::StrAppend(&text, " and ", orgs.size() - shown,
                      orgs.size() >= kMaxKeyOrganisations ? "+" : "", " more");
    }
    rows.push_back({key, std::move(text), orgs.size(), use->domains});
  }
  return rows;
}

std::string RenderMarkdown(const Aggregate& aggregate,
                           const ReportOptions& options) {
  const auto rows = ReportRows(aggregate, options);
  std::string out = absl::StrCat("# ", MarkdownCell(options.title), "\n\n");
  absl::StrAppend(&out, StrictSenderHeadline(aggregate.overall()), "\n\n");
  absl::StrAppend(&out,
                  "Share of domains with each property; definitions in "
                  "scanner/stats/METRICS.md.\n\n| sector | domains |");
  for (const MetricInfo& m : options.metrics) absl::StrAppend(&out, " ", m.label, " |");
  absl::StrAppend(&out, "\n|---|---:|");
  for (size_t i = 0; i < options.metrics.size(); ++i) {
    absl::StrAppend(&out, "---:|");
  }
  absl::StrAppend(&out, "\n");
  for (const auto& [name, tally] : rows) {
    absl::StrAppend(&out, "| ", MarkdownCell(name), " | ", tally->domains,
                    " |");
    for (const MetricInfo& m : options.metrics) {
      absl::StrAppend(&out, " ", FigureText(*tally, m.metric), " |");
    }
    absl::StrAppend(&out, "\n");
  }

  const Tally& overall = aggregate.overall();
  absl::StrAppend(&out, "\n## Mail providers (share of domains with MX)\n\n",
                  "| provider | domains | share |\n|---|---:|---:|\n");
  const uint64_t with_mx = overall.Count(Metric::kMxPresent);
  for (const auto& [provider, n] : overall.TopProviders(options.top_providers)) {
    absl::StrAppend(&out, "| ", MarkdownCell(provider), " | ", n, " | ",
                    PercentText(n, with_mx), " |\n");
  }
  absl::StrAppend(&out, "| (self-hosted) | ", overall.self_hosted, " | ",
                  PercentText(overall.self_hosted, with_mx), " |\n");

  absl::StrAppend(&out,
                  "\n## Who the sector depends on (share of all "
                  "domains)\n\n| dependency | organisations |\n|---|---|\n");
  for (size_t k = 0; k < Dependencies().size(); ++k) {
    std::vector<std::string> top;
    for (const auto& [name, n] :
         overall.TopDependencies(k, options.top_providers)) {
      top.push_back(absl::StrCat(MarkdownCell(name), " ",
                                 PercentText(n, overall.domains)));
    }
    absl::StrAppend(&out, "| ", Dependencies()[k].label, " | ",
                    top.empty() ? "none" : absl::StrJoin(top, ", "), " |\n");
  }
  AppendMetricBreakdown("Mail servers by address family (METRICS.md)",
                        AddressFamilyMetrics(), rows, &out);
  AppendBreakdown("What a sender that enforces DANE and MTA-STS would do",
                  StrictSenderOutcomes(), rows, &Tally::strict_sender, &out);
  AppendBreakdown(
      "DNSSEC status of the MX answer",
      {"SECURE", "INSECURE", "BOGUS", "INDETERMINATE", "NOT_VALIDATED"}, rows,
      &Tally::dnssec_statuses, &out);
  AppendBreakdown("Weakest TLS of the mail servers", TlsVersionCategories(),
                  rows, &Tally::tls_categories, &out);
  AppendMetricBreakdown("Certificate and key-exchange facts (METRICS.md)",
                        MetricsOf(MetricGroup::kCertificate), rows, &out);
  absl::StrAppend(
      &out, "\n## Leaf keys shared across organisations\n\n",
      aggregate.leaf_keys().SharedCount(),
      " leaf keys are presented by the MX hosts of more than one "
      "organisation (a hosting company's shared key, or an appliance's "
      "default one).\n");
  const std::vector<SharedKeyRow> shared =
      SharedKeyRows(aggregate.leaf_keys(), options.top_providers);
  if (!shared.empty()) {
    absl::StrAppend(&out,
                    "\n| key (SPKI SHA-256) | organisations | domains |\n"
                    "|---|---|---:|\n");
    for (const SharedKeyRow& row : shared) {
      absl::StrAppend(&out, "| ", MarkdownCell(row.key.substr(0, 16)), "… | ",
                      MarkdownCell(row.organisations), " | ", row.domains,
                      " |\n");
    }
  }
  AppendBreakdown("Certificate problems", KeysOf(overall.cert_problems), rows,
                  &Tally::cert_problems, &out);
  AppendBreakdown("Certificate verification errors",
                  KeysOf(overall.verify_errors), rows, &Tally::verify_errors,
                  &out);
  AppendBreakdown("Mail server software (as the servers present themselves)",
                  KeysOf(overall.software), rows, &Tally::software, &out);
  absl::StrAppend(&out, "\n## Provenance\n\n");
  if (options.provenance.empty()) {
    absl::StrAppend(&out,
                    "No scan manifest: what produced these results is "
                    "not recorded.\n");
  }
  for (const std::string& line : options.provenance) {
    absl::StrAppend(&out, "- ", MarkdownCell(line), "\n");
  }
  return out;
}

std::string RenderCsv(const Aggregate& aggregate,
                      const ReportOptions& options) {
  std::string out = "sector,domains";
  for (const MetricInfo& m : options.metrics) {
    absl::StrAppend(&out, ",", m.key, ",", m.key, "_pct");
  }
  absl::StrAppend(&out, "\n");
  for (const auto& [name, tally] : ReportRows(aggregate, options)) {
    absl::StrAppend(&out, base::CsvField(name), ",", tally->domains);
    for (const MetricInfo& m : options.metrics) {
      const uint64_t n = tally->Count(m.metric);
      if (NotMeasured(*tally, m.metric)) {
        absl::StrAppend(&out, ",,");  // not measured: no figure
        continue;
      }
      absl::StrAppend(&out, ",", n, ",",
                      absl::StrFormat("%.2f", Percent(n, tally->domains)));
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace mxscan::stats
