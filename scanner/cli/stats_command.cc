#include "scanner/cli/stats_command.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/core/output_sink.h"
#include "scanner/export/summary_reader.h"
#include "scanner/scan/manifest.h"
#include "scanner/scan/result_reader.h"
#include "scanner/stats/collect.h"
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

absl::StatusOr<std::vector<std::string>> FilesOf(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> found = scan::ResultFiles(path);
    if (!found.ok()) return found.status();
    files.insert(files.end(), found->begin(), found->end());
  }
  return files;
}

int Fail(const char* command, const absl::Status& status) {
  std::fprintf(stderr, "mxscan %s: %s\n", command,
               std::string(status.message()).c_str());
  return 1;
}

int Write(const char* command, const std::string& text) {
  absl::StatusOr<std::unique_ptr<OutputSink>> sink =
      OutputSink::Open(absl::GetFlag(FLAGS_output), /*durable=*/true);
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

absl::StatusOr<stats::Collected> CollectDirectories(
    const std::vector<std::string>& paths) {
  absl::StatusOr<std::vector<std::string>> files = FilesOf(paths);
  if (!files.ok()) return files.status();
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return org_of.status();
  return stats::CollectFiles(*files, *org_of, WorkerCount());
}

// The summaries stored by `mxscan export` are SummarizeDomain's own output,
// so the figures equal those of the scan's result files.
// The scan --scan-id names, or the latest one.
absl::StatusOr<db_export::ScanInfo> ChosenScan(const std::string& url) {
  const std::string scan_id = absl::GetFlag(FLAGS_scan_id);
  absl::StatusOr<std::vector<db_export::ScanInfo>> scans =
      db_export::ListScans(url);
  if (!scans.ok()) return scans.status();
  if (scans->empty()) {
    return absl::NotFoundError(absl::StrCat("no scan in ", url));
  }
  if (scan_id.empty()) return scans->back();
  for (const db_export::ScanInfo& scan : *scans) {
    if (scan.scan_id == scan_id) return scan;
  }
  // ReadSummaries says which scans there are.
  return db_export::ScanInfo{scan_id};
}

absl::StatusOr<stats::Collected> CollectFromDatabase(
    const std::string& url, const std::string& scan_id) {
  stats::Collected collected;
  absl::Status read = db_export::ReadSummaries(
      url, scan_id, [&](const stats::DomainSummary& summary) {
        collected.aggregate.Add(summary);
        ++collected.records;
      });
  if (!read.ok()) return read;
  return collected;
}

// The scan manifests of result directories (a file among the paths has
// none).
absl::StatusOr<std::vector<ScanManifest>> ManifestsOf(
    const std::vector<std::string>& paths) {
  std::vector<ScanManifest> all;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<ScanManifest>> found = scan::ManifestsIn(path);
    if (!found.ok()) return found.status();
    for (ScanManifest& m : *found) all.push_back(std::move(m));
  }
  return all;
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
  absl::StatusOr<stats::Collected> collected;
  std::vector<ScanManifest> manifests;
  if (from.empty()) {
    collected = CollectDirectories(paths);
    absl::StatusOr<std::vector<ScanManifest>> found = ManifestsOf(paths);
    if (!found.ok()) return Fail("stats", found.status());
    manifests = *std::move(found);
  } else {
    absl::StatusOr<db_export::ScanInfo> scan = ChosenScan(from);
    if (!scan.ok()) return Fail("stats", scan.status());
    collected = CollectFromDatabase(from, scan->scan_id);
    ScanManifestList list;
    if (!scan->manifests_json.empty() &&
        !google::protobuf::util::JsonStringToMessage(scan->manifests_json,
                                                     &list)
             .ok()) {
      return Fail("stats", absl::DataLossError(absl::StrCat(
                               "the manifests of scan ", scan->scan_id, " in ",
                               from, " do not parse")));
    }
    manifests.assign(list.manifests().begin(), list.manifests().end());
  }
  if (!collected.ok()) return Fail("stats", collected.status());
  options.provenance = stats::ProvenanceLines(manifests);
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
  absl::StatusOr<std::vector<std::string>> old_files = FilesOf({paths[0]});
  if (!old_files.ok()) return Fail("diff", old_files.status());
  absl::StatusOr<std::vector<std::string>> new_files = FilesOf({paths[1]});
  if (!new_files.ok()) return Fail("diff", new_files.status());
  absl::StatusOr<stats::OrgDomainOf> org_of_flag = OrgDomainOfFromFlags();
  if (!org_of_flag.ok()) return Fail("diff", org_of_flag.status());
  const stats::OrgDomainOf& org_of = *org_of_flag;

  stats::ScanDiff diff;
  absl::StatusOr<scan::ReadStats> read_old =
      scan::ReadResults(*old_files, [&](const DomainResult& r) {
        diff.AddOld(stats::SummarizeDomain(r, org_of));
      });
  if (!read_old.ok()) return Fail("diff", read_old.status());
  absl::StatusOr<scan::ReadStats> read_new =
      scan::ReadResults(*new_files, [&](const DomainResult& r) {
        diff.AddNew(stats::SummarizeDomain(r, org_of));
      });
  if (!read_new.ok()) return Fail("diff", read_new.status());
  diff.Finish();
  ReportTorn("diff", read_old->torn + read_new->torn);
  absl::StatusOr<std::vector<ScanManifest>> old_manifests =
      ManifestsOf({paths[0]});
  if (!old_manifests.ok()) return Fail("diff", old_manifests.status());
  absl::StatusOr<std::vector<ScanManifest>> new_manifests =
      ManifestsOf({paths[1]});
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
  if (paths.size() < 2) {
    std::fprintf(stderr,
                 "mxscan trend: name the result directories of two or more "
                 "scans\n");
    return 2;
  }
  stats::ReportOptions options;
  options.by_sector = absl::GetFlag(FLAGS_by) != "none";
  options.title = absl::GetFlag(FLAGS_title);
  if (!ReadMetricsFlag("trend", &options)) return 2;
  std::vector<stats::TrendScan> scans;
  for (const std::string& path : paths) {
    absl::StatusOr<stats::Collected> collected = CollectDirectories({path});
    if (!collected.ok()) return Fail("trend", collected.status());
    ReportTorn("trend", collected->torn);
    absl::StatusOr<std::vector<ScanManifest>> manifests = ManifestsOf({path});
    if (!manifests.ok()) return Fail("trend", manifests.status());
    std::string when;
    for (const ScanManifest& m : *manifests) {
      for (const ScanManifest::Run& run : m.runs()) {
        if (when.empty() || run.started_at() < when) when = run.started_at();
      }
    }
    scans.push_back({path, when, std::move(collected->aggregate)});
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
