#include "scanner/cli/stats_command.h"

#include <cstdio>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "scanner/base/output_sink.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/cli/scan_source.h"
#include "scanner/stats/diff.h"
#include "scanner/stats/provenance.h"
#include "scanner/stats/report.h"
#include "scanner/stats/trend.h"

ABSL_FLAG(std::string, by, "sector",
          "group rows by \"sector\", or \"none\" for the overall row "
          "only");
ABSL_FLAG(int, top_providers, 10, "mail providers listed");
ABSL_FLAG(std::string, title, "Email security of the sector",
          "the report's title");
ABSL_FLAG(std::vector<std::string>, metrics, {},
          "the metrics shown in md, csv and html, comma-separated "
          "keys (default all; json always has all)");
ABSL_FLAG(std::string, from, "",
          "read the domains of an exported scan from a database "
          "(sqlite:PATH or postgresql://...) instead of result directories");
ABSL_FLAG(std::string, scan_id, "", "the scan to read (default: the latest)");
ABSL_FLAG(int, list_limit, 100,
          "domains listed per metric and direction in md (0 = all)");

namespace mxscan::cli {
namespace {

// `--format` is shared with `dns`/`dump`, whose default is jsonl; for
// stats and diff that default means their own default, markdown.
std::string ReportFormat() {
  const std::string format = absl::GetFlag(FLAGS_format);
  return format == "jsonl" ? "md" : format;
}

int Fail(const char* command, const absl::Status& status) {
  std::fprintf(stderr, "mxscan %s: %s\n", command,
               std::string(status.message()).c_str());
  return 1;
}

int Write(const char* command, const std::string& text) {
  absl::StatusOr<std::unique_ptr<base::OutputSink>> sink =
      base::OutputSink::Open(absl::GetFlag(FLAGS_output), /*durable=*/true);
  if (!sink.ok()) return Fail(command, sink.status());
  absl::Status written = (*sink)->Write(text);
  if (written.ok()) written = (*sink)->Close();
  return written.ok() ? 0 : Fail(command, written);
}

void ReportTorn(const char* command, uint64_t torn) {
  if (torn == 0) return;
  std::fprintf(stderr,
               "mxscan %s: %llu torn record(s) at the end of a file dropped "
               "(interrupted write)\n",
               command, static_cast<unsigned long long>(torn));
}

// ReadMetricsFlag puts the metrics --metrics names into `options` (all of
// them when it names none); false, after saying which, for an unknown one.
bool ReadMetricsFlag(const char* command, stats::ReportOptions* options) {
  const std::vector<std::string> chosen = absl::GetFlag(FLAGS_metrics);
  if (!chosen.empty()) options->metrics.clear();
  for (const std::string& key : chosen) {
    const stats::MetricInfo* metric = stats::FindMetric(key);
    if (metric == nullptr) {
      std::fprintf(stderr, "mxscan %s: unknown metric \"%s\" in --metrics\n",
                   command, key.c_str());
      return false;
    }
    options->metrics.push_back(*metric);
  }
  return true;
}

}  // namespace

int RunStatsCommand(const std::vector<std::string>& paths) {
  const std::string format = ReportFormat();
  const std::string by = absl::GetFlag(FLAGS_by);
  if (format != "md" && format != "csv" && format != "json" &&
      format != "html") {
    std::fprintf(stderr, "mxscan stats: --format must be md, csv, json or html\n");
    return 2;
  }
  if (by != "sector" && by != "none") {
    std::fprintf(stderr, "mxscan stats: --by must be sector or none\n");
    return 2;
  }
  const std::string from = absl::GetFlag(FLAGS_from);
  if (paths.empty() == from.empty()) {
    std::fprintf(stderr,
                 "mxscan stats: name one or more result directories, or "
                 "--from a database\n");
    return 2;
  }
  stats::ReportOptions options;
  options.by_sector = by == "sector";
  options.top_providers = std::max(0, absl::GetFlag(FLAGS_top_providers));
  options.title = absl::GetFlag(FLAGS_title);
  if (!ReadMetricsFlag("stats", &options)) return 2;
  absl::StatusOr<ScanSource> scan = ScanSource{paths};
  if (!from.empty()) scan = DatabaseScan(from, absl::GetFlag(FLAGS_scan_id));
  if (!scan.ok()) return Fail("stats", scan.status());
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return Fail("stats", org_of.status());
  absl::StatusOr<stats::Collected> collected =
      CollectScan(*scan, *org_of, WorkerCount());
  if (!collected.ok()) return Fail("stats", collected.status());
  absl::StatusOr<std::vector<ScanManifest>> manifests = ManifestsOf(*scan);
  if (!manifests.ok()) return Fail("stats", manifests.status());
  options.provenance = stats::ProvenanceLines(*manifests);
  ReportTorn("stats", collected->torn);

  const stats::Aggregate& aggregate = collected->aggregate;
  std::string text;
  if (format == "md") text = stats::RenderMarkdown(aggregate, options);
  if (format == "csv") text = stats::RenderCsv(aggregate, options);
  if (format == "json") text = stats::RenderJson(aggregate, options);
  if (format == "html") text = stats::RenderHtml(aggregate, options);
  return Write("stats", text);
}

int RunDiffCommand(const std::vector<std::string>& paths) {
  const std::string format = ReportFormat();
  if (format != "md" && format != "json") {
    std::fprintf(stderr, "mxscan diff: --format must be md or json\n");
    return 2;
  }
  if (paths.size() != 2) {
    std::fprintf(stderr, "mxscan diff: name two result directories, OLD NEW\n");
    return 2;
  }
  absl::StatusOr<stats::OrgDomainOf> org_of_flag = OrgDomainOfFromFlags();
  if (!org_of_flag.ok()) return Fail("diff", org_of_flag.status());
  const stats::OrgDomainOf& org_of = *org_of_flag;

  const ScanSource old_scan{{paths[0]}};
  const ScanSource new_scan{{paths[1]}};
  stats::ScanDiff diff;
  uint64_t torn = 0;
  absl::Status read = ForEachRecord(
      old_scan,
      [&](const DomainResult& r) {
        diff.AddOld(stats::SummarizeDomain(r, org_of));
      },
      &torn);
  if (!read.ok()) return Fail("diff", read);
  read = ForEachRecord(
      new_scan,
      [&](const DomainResult& r) {
        diff.AddNew(stats::SummarizeDomain(r, org_of));
      },
      &torn);
  if (!read.ok()) return Fail("diff", read);
  diff.Finish();
  ReportTorn("diff", torn);
  absl::StatusOr<std::vector<ScanManifest>> old_manifests =
      ManifestsOf(old_scan);
  if (!old_manifests.ok()) return Fail("diff", old_manifests.status());
  absl::StatusOr<std::vector<ScanManifest>> new_manifests =
      ManifestsOf(new_scan);
  if (!new_manifests.ok()) return Fail("diff", new_manifests.status());
  const std::vector<std::string> warnings =
      stats::ComparabilityWarnings(*old_manifests, *new_manifests);
  for (const std::string& warning : warnings) {
    std::fprintf(stderr, "mxscan diff: warning: %s\n", warning.c_str());
  }
  const int limit = absl::GetFlag(FLAGS_list_limit);
  return Write(
      "diff",
      format == "json"
          ? stats::RenderDiffJson(diff, warnings)
          : stats::RenderDiffMarkdown(
                diff, limit <= 0 ? SIZE_MAX : static_cast<size_t>(limit),
                warnings));
}

int RunTrendCommand(const std::vector<std::string>& paths) {
  const std::string format = ReportFormat();
  if (format != "md" && format != "csv" && format != "json" &&
      format != "html") {
    std::fprintf(stderr,
                 "mxscan trend: --format must be md, csv, json or html\n");
    return 2;
  }
  const std::string from = absl::GetFlag(FLAGS_from);
  if (!from.empty() && !paths.empty()) {
    std::fprintf(stderr,
                 "mxscan trend: name result directories or --from a "
                 "database, not both\n");
    return 2;
  }
  std::vector<ScanSource> sources;
  if (from.empty()) {
    for (const std::string& path : paths) sources.push_back(ScanSource{{path}});
  } else {
    absl::StatusOr<std::vector<ScanSource>> all = DatabaseScans(from);
    if (!all.ok()) return Fail("trend", all.status());
    sources = *std::move(all);
  }
  if (sources.size() < 2) {
    std::fprintf(stderr,
                 "mxscan trend: name the result directories of two or more "
                 "scans, or --from a database that holds two or more\n");
    return 2;
  }
  stats::ReportOptions options;
  options.by_sector = absl::GetFlag(FLAGS_by) != "none";
  options.title = absl::GetFlag(FLAGS_title);
  if (!ReadMetricsFlag("trend", &options)) return 2;
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return Fail("trend", org_of.status());
  std::vector<stats::TrendScan> scans;
  for (const ScanSource& source : sources) {
    uint64_t torn = 0;
    absl::StatusOr<stats::TrendScan> scan =
        TrendScanOf(source, *org_of, WorkerCount(), &torn);
    if (!scan.ok()) return Fail("trend", scan.status());
    ReportTorn("trend", torn);
    scans.push_back(*std::move(scan));
  }
  stats::OrderScans(&scans);
  if (format == "csv")
    return Write("trend", stats::RenderTrendCsv(scans, options));
  if (format == "json") {
    return Write("trend", stats::RenderTrendJson(scans, options));
  }
  if (format == "html") {
    return Write("trend", stats::RenderTrendHtml(scans, options));
  }
  return Write("trend", stats::RenderTrendMarkdown(scans, options));
}

}  // namespace mxscan::cli
