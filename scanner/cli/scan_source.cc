#include "scanner/cli/scan_source.h"

#include <google/protobuf/util/json_util.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "scanner/export/record_reader.h"
#include "scanner/results/manifest_file.h"
#include "scanner/results/result_reader.h"

namespace mxscan::cli {
namespace {

absl::StatusOr<std::vector<std::string>> FilesOf(
    const std::vector<std::string>& dirs) {
  std::vector<std::string> files;
  for (const std::string& dir : dirs) {
    absl::StatusOr<std::vector<std::string>> found = results::ResultFiles(dir);
    if (!found.ok()) return found.status();
    files.insert(files.end(), found->begin(), found->end());
  }
  return files;
}

ScanSource FromDatabase(const std::string& url, db_export::ScanInfo info) {
  ScanSource source;
  source.database_url = url;
  source.scan = std::move(info);
  return source;
}

}  // namespace

std::string ScanSource::Label() const {
  if (!database_url.empty()) return scan.scan_id;
  // The folders' own names: a label is published (the site's trend), the
  // path to it on the scanning machine is not.
  return absl::StrJoin(dirs, ",", [](std::string* out, absl::string_view dir) {
    dir = absl::StripSuffix(dir, "/");
    const size_t slash = dir.rfind('/');
    absl::StrAppend(
        out, slash == absl::string_view::npos ? dir : dir.substr(slash + 1));
  });
}

bool IsDatabaseUrl(absl::string_view text) {
  return absl::StartsWith(text, "sqlite:") ||
         absl::StartsWith(text, "postgresql:") ||
         absl::StartsWith(text, "postgres:");
}

absl::StatusOr<ScanSource> DatabaseScan(const std::string& url,
                                        const std::string& scan_id) {
  absl::StatusOr<std::vector<db_export::ScanInfo>> scans =
      db_export::ListScans(url);
  if (!scans.ok()) return scans.status();
  if (scans->empty())
    return absl::NotFoundError(absl::StrCat("no scan in ", url));
  if (scan_id.empty()) return FromDatabase(url, scans->back());
  for (db_export::ScanInfo& scan : *scans) {
    if (scan.scan_id == scan_id) return FromDatabase(url, std::move(scan));
  }
  // The readers say which scans there are.
  return FromDatabase(url, db_export::ScanInfo{scan_id});
}

absl::StatusOr<std::vector<ScanSource>> DatabaseScans(const std::string& url) {
  absl::StatusOr<std::vector<db_export::ScanInfo>> scans =
      db_export::ListScans(url);
  if (!scans.ok()) return scans.status();
  std::vector<ScanSource> sources;
  for (db_export::ScanInfo& scan : *scans) {
    sources.push_back(FromDatabase(url, std::move(scan)));
  }
  return sources;
}

absl::StatusOr<std::vector<ScanManifest>> ManifestsOf(const ScanSource& scan) {
  std::vector<ScanManifest> all;
  if (scan.database_url.empty()) {
    for (const std::string& dir : scan.dirs) {
      absl::StatusOr<std::vector<ScanManifest>> found =
          results::ManifestsIn(dir);
      if (!found.ok()) return found.status();
      for (ScanManifest& m : *found) all.push_back(std::move(m));
    }
    return all;
  }
  if (scan.scan.manifests_json.empty()) return all;  // exported before them
  ScanManifestList list;
  if (!google::protobuf::util::JsonStringToMessage(scan.scan.manifests_json,
                                                   &list)
           .ok()) {
    return absl::DataLossError(
        absl::StrCat("the manifests of scan ", scan.scan.scan_id, " in ",
                     scan.database_url, " do not parse"));
  }
  all.assign(list.manifests().begin(), list.manifests().end());
  return all;
}

absl::StatusOr<std::string> StartedAt(const ScanSource& scan) {
  absl::StatusOr<std::vector<ScanManifest>> manifests = ManifestsOf(scan);
  if (!manifests.ok()) return manifests.status();
  std::string when;
  for (const ScanManifest& m : *manifests) {
    for (const ScanManifest::Run& run : m.runs()) {
      if (when.empty() || run.started_at() < when) when = run.started_at();
    }
  }
  return when;
}

absl::Status ForEachRecord(
    const ScanSource& scan,
    const std::function<void(const DomainResult&)>& visit, uint64_t* torn,
    const std::string& only_domain) {
  if (!scan.database_url.empty()) {
    return db_export::ReadRecords(scan.database_url, scan.scan.scan_id, visit,
                                  only_domain);
  }
  absl::StatusOr<std::vector<std::string>> files = FilesOf(scan.dirs);
  if (!files.ok()) return files.status();
  absl::StatusOr<results::ReadStats> read =
      results::ReadResults(*files, [&](const DomainResult& r) {
        if (only_domain.empty() ||
            absl::EqualsIgnoreCase(r.domain(), only_domain)) {
          visit(r);
        }
      });
  if (!read.ok()) return read.status();
  if (torn != nullptr) *torn += read->torn;
  return absl::OkStatus();
}

absl::StatusOr<stats::Collected> CollectScan(
    const ScanSource& scan, const stats::OrgDomainOf& org_domain_of,
    int threads) {
  if (scan.database_url.empty()) {
    absl::StatusOr<std::vector<std::string>> files = FilesOf(scan.dirs);
    if (!files.ok()) return files.status();
    return stats::CollectFiles(*files, org_domain_of, threads);
  }
  stats::Collected collected;
  absl::Status read =
      db_export::ReadSummaries(scan.database_url, scan.scan.scan_id,
                               [&](const stats::DomainSummary& summary) {
                                 collected.aggregate.Add(summary);
                                 ++collected.records;
                               });
  if (!read.ok()) return read;
  return collected;
}

absl::StatusOr<stats::TrendScan> TrendScanOf(
    const ScanSource& scan, const stats::OrgDomainOf& org_domain_of,
    int threads, uint64_t* torn) {
  absl::StatusOr<stats::Collected> collected =
      CollectScan(scan, org_domain_of, threads);
  if (!collected.ok()) return collected.status();
  if (torn != nullptr) *torn += collected->torn;
  absl::StatusOr<std::string> when = StartedAt(scan);
  if (!when.ok()) return when.status();
  return stats::TrendScan{scan.Label(), *std::move(when),
                          std::move(collected->aggregate)};
}

}  // namespace mxscan::cli
