// Markdown and JSON renderings of a ScanDiff.

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scanner/base/json.h"
#include "scanner/stats/diff.h"
#include "scanner/stats/report.h"

namespace mxscan::stats {
namespace {

const Tally kEmpty;

const Tally& SectorOf(const Aggregate& a, const std::string& sector) {
  auto it = a.sectors().find(sector);
  return it == a.sectors().end() ? kEmpty : it->second;
}

std::set<std::string> SectorNames(const ScanDiff& diff) {
  std::set<std::string> names;
  for (const auto& [name, t] : diff.old_scan().sectors()) names.insert(name);
  for (const auto& [name, t] : diff.new_scan().sectors()) names.insert(name);
  return names;
}

// Percentage points from old to new.
double PointsChange(const Tally& before, const Tally& after, Metric m) {
  return Percent(after.Count(m), after.domains) -
         Percent(before.Count(m), before.domains);
}

void AppendTable(const std::string& heading, const Tally& before,
                 const Tally& after, std::string* out) {
  absl::StrAppend(out, "\n## ", heading, "\n\n", "domains: ", before.domains,
                  " -> ", after.domains,
                  "\n\n| metric | old | new | change |\n|---|---:|---:|---:|\n");
  for (const MetricInfo& m : Metrics()) {
    absl::StrAppend(
        out, "| ", m.label, " | ",
        PercentText(before.Count(m.metric), before.domains), " (",
        before.Count(m.metric), ") | ",
        PercentText(after.Count(m.metric), after.domains), " (",
        after.Count(m.metric), ") | ",
        absl::StrFormat("%+.1f pp", PointsChange(before, after, m.metric)),
        " |\n");
  }
}

void AppendList(const char* what, const std::vector<std::string>& domains,
                size_t limit, std::string* out) {
  if (domains.empty()) return;
  absl::StrAppend(out, "- ", what, " (", domains.size(), "): ");
  const size_t shown = std::min(limit, domains.size());
  absl::StrAppend(out, absl::StrJoin(domains.begin(), domains.begin() + shown,
                                     ", "));
  if (shown < domains.size()) {
    absl::StrAppend(out, ", ... and ", domains.size() - shown, " more");
  }
  absl::StrAppend(out, "\n");
}

void AppendJsonList(absl::string_view key,
                    const std::vector<std::string>& domains, std::string* out) {
  base::AppendJsonString(key, out);
  out->append(":[");
  for (size_t i = 0; i < domains.size(); ++i) {
    if (i) out->push_back(',');
    base::AppendJsonString(domains[i], out);
  }
  out->push_back(']');
}

void AppendJsonTallies(const Tally& before, const Tally& after,
                       std::string* out) {
  absl::StrAppend(out, "{\"domains\":{\"old\":", before.domains,
                  ",\"new\":", after.domains, "}");
  for (const MetricInfo& m : Metrics()) {
    absl::StrAppend(
        out, ",\"", m.key, "\":{\"old\":", before.Count(m.metric),
        ",\"new\":", after.Count(m.metric), ",\"change_pp\":",
        absl::StrFormat("%.2f", PointsChange(before, after, m.metric)), "}");
  }
  out->push_back('}');
}

}  // namespace

std::string RenderDiffMarkdown(const ScanDiff& diff, size_t list_limit,
                               const std::vector<std::string>& warnings) {
  std::string out = "# Changes between two scans\n";
  for (const std::string& warning : warnings) {
    absl::StrAppend(&out, "\n> **Warning:** ", warning, "\n");
  }
  AppendTable("Overall", diff.old_scan().overall(), diff.new_scan().overall(),
              &out);
  for (const std::string& sector : SectorNames(diff)) {
    AppendTable(absl::StrCat("Sector: ", sector),
                SectorOf(diff.old_scan(), sector),
                SectorOf(diff.new_scan(), sector), &out);
  }
  absl::StrAppend(&out, "\n## Domains that changed\n\n");
  AppendList("only in the new scan", diff.added(), list_limit, &out);
  AppendList("only in the old scan", diff.removed(), list_limit, &out);
  for (const MetricInfo& m : Metrics()) {
    const ScanDiff::Changes& c = diff.changes(m.metric);
    AppendList(absl::StrCat(m.label, " gained").c_str(), c.gained, list_limit,
               &out);
    AppendList(absl::StrCat(m.label, " lost").c_str(), c.lost, list_limit,
               &out);
  }
  return out;
}

std::string RenderDiffJson(const ScanDiff& diff,
                           const std::vector<std::string>& warnings) {
  std::string out = "{\"warnings\":[";
  for (size_t i = 0; i < warnings.size(); ++i) {
    if (i > 0) out.push_back(',');
    base::AppendJsonString(warnings[i], &out);
  }
  out.append("],\"overall\":");
  AppendJsonTallies(diff.old_scan().overall(), diff.new_scan().overall(), &out);
  out.append(",\"sectors\":{");
  bool first = true;
  for (const std::string& sector : SectorNames(diff)) {
    if (!first) out.push_back(',');
    first = false;
    base::AppendJsonString(sector, &out);
    out.push_back(':');
    AppendJsonTallies(SectorOf(diff.old_scan(), sector),
                      SectorOf(diff.new_scan(), sector), &out);
  }
  out.append("},\"domains\":{");
  AppendJsonList("added", diff.added(), &out);
  out.push_back(',');
  AppendJsonList("removed", diff.removed(), &out);
  for (const MetricInfo& m : Metrics()) {
    const ScanDiff::Changes& c = diff.changes(m.metric);
    absl::StrAppend(&out, ",\"", m.key, "\":{");
    AppendJsonList("gained", c.gained, &out);
    out.push_back(',');
    AppendJsonList("lost", c.lost, &out);
    out.push_back('}');
  }
  out.append("}}\n");
  return out;
}

}  // namespace mxscan::stats
