// The JSON rendering: {"overall": {...}, "sectors": {"<sector>": {...}}}
// (DESIGN.md's contract), each object with `domains`, a count per metric,
// `percent` per metric and the breakdowns.

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scanner/base/json.h"
#include "scanner/stats/report.h"

namespace mxscan::stats {
namespace {

void AppendKey(absl::string_view key, std::string* out) {
  base::AppendJsonString(key, out);
  out->push_back(':');
}

template <typename Map>
void AppendCounts(absl::string_view key, const Map& counts, std::string* out) {
  AppendKey(key, out);
  out->push_back('{');
  bool first = true;
  for (const auto& [name, n] : counts) {
    if (!first) out->push_back(',');
    first = false;
    AppendKey(name, out);
    absl::StrAppend(out, n);
  }
  out->push_back('}');
}

// [{"provider":..,"domains":..},...] without the brackets.
void AppendTop(const std::vector<std::pair<std::string, uint64_t>>& top,
               std::string* out) {
  for (size_t i = 0; i < top.size(); ++i) {
    out->append(i ? ",{\"provider\":" : "{\"provider\":");
    base::AppendJsonString(top[i].first, out);
    absl::StrAppend(out, ",\"domains\":", top[i].second, "}");
  }
}

void AppendTally(const Tally& tally, const ReportOptions& options,
                 std::string* out) {
  absl::StrAppend(out, "{\"domains\":", tally.domains);
  for (const MetricInfo& m : Metrics()) {
    absl::StrAppend(out, ",\"", m.key, "\":", tally.Count(m.metric));
  }
  absl::StrAppend(out, ",\"percent\":{");
  for (size_t i = 0; i < kMetricCount; ++i) {
    const MetricInfo& m = Metrics()[i];
    absl::StrAppend(out, i ? "," : "", "\"", m.key, "\":",
                    absl::StrFormat("%.2f", Percent(tally.Count(m.metric),
                                                    tally.domains)));
  }
  out->append("},\"not_measured\":[");
  bool none_yet = true;
  for (const MetricInfo& m : Metrics()) {
    if (!NotMeasured(tally, m.metric)) continue;
    absl::StrAppend(out, none_yet ? "" : ",", "\"", m.key, "\"");
    none_yet = false;
  }
  out->append("],");
  AppendCounts("tls_categories", tally.tls_categories, out);
  out->push_back(',');
  AppendCounts("strict_sender", tally.strict_sender, out);
  out->push_back(',');
  AppendCounts("dnssec_statuses", tally.dnssec_statuses, out);
  out->push_back(',');
  AppendCounts("cert_problems", tally.cert_problems, out);
  out->push_back(',');
  AppendCounts("verify_errors", tally.verify_errors, out);
  out->push_back(',');
  AppendCounts("software", tally.software, out);
  absl::StrAppend(out, ",\"self_hosted\":", tally.self_hosted,
                  ",\"top_providers\":[");
  AppendTop(tally.TopProviders(options.top_providers), out);
  out->append("],\"dependencies\":{");
  for (size_t k = 0; k < Dependencies().size(); ++k) {
    absl::StrAppend(out, k ? "," : "", "\"", Dependencies()[k].key, "\":[");
    AppendTop(tally.TopDependencies(k, options.top_providers), out);
    out->push_back(']');
  }
  out->append("}}");
}

}  // namespace

std::string RenderJson(const Aggregate& aggregate,
                       const ReportOptions& options) {
  std::string out = "{\"provenance\":[";
  for (size_t i = 0; i < options.provenance.size(); ++i) {
    if (i > 0) out.push_back(',');
    base::AppendJsonString(options.provenance[i], &out);
  }
  out.append("],\"overall\":");
  AppendTally(aggregate.overall(), options, &out);
  absl::StrAppend(&out, ",\"shared_leaf_keys\":{\"keys\":",
                  aggregate.leaf_keys().SharedCount(),
                  ",\"untracked_domains\":", aggregate.leaf_keys().untracked(),
                  ",\"top\":[");
  bool first_key = true;
  for (const SharedKeyRow& row :
       SharedKeyRows(aggregate.leaf_keys(), options.top_providers)) {
    // The key comes from a result file: escaped like any other string.
    out.append(first_key ? "{\"spki_sha256\":" : ",{\"spki_sha256\":");
    base::AppendJsonString(row.key, &out);
    absl::StrAppend(&out, ",\"organisations\":", row.organisation_count,
                    ",\"domains\":", row.domains, "}");
    first_key = false;
  }
  out.append("]},\"sectors\":{");
  if (options.by_sector) {
    bool first = true;
    for (const auto& [name, tally] : aggregate.sectors()) {
      if (!first) out.push_back(',');
      first = false;
      AppendKey(name, &out);
      AppendTally(tally, options, &out);
    }
  }
  out.append("}}\n");
  return out;
}

}  // namespace mxscan::stats
