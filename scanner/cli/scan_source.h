#ifndef MXSCAN_SCANNER_CLI_SCAN_SOURCE_H_
#define MXSCAN_SCANNER_CLI_SCAN_SOURCE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/summary_reader.h"
#include "scanner/stats/collect.h"
#include "scanner/stats/trend.h"

namespace mxscan::cli {

// One scan that a report command (stats, site, explain, trend) reads: its
// result directories, or a scan exported to a database. Both give the same
// records, summaries and manifests.
struct ScanSource {
  std::vector<std::string> dirs;
  std::string database_url;  // "" for result directories
  db_export::ScanInfo scan;  // with database_url

  // The directories' names (not their paths) joined by ',', or the scan's
  // id: the scan's name in trends and on the site.
  std::string Label() const;
};

// "sqlite:PATH" or "postgresql://..." rather than a directory.
bool IsDatabaseUrl(absl::string_view text);

// The scan `scan_id` of the database at `url`, or its latest when
// `scan_id` is "". NotFound (listing the scans there) when absent.
absl::StatusOr<ScanSource> DatabaseScan(const std::string& url,
                                        const std::string& scan_id);

// Every scan of the database at `url`, oldest first.
absl::StatusOr<std::vector<ScanSource>> DatabaseScans(const std::string& url);

// The scan's manifests: its directories', or those stored with the export.
absl::StatusOr<std::vector<ScanManifest>> ManifestsOf(const ScanSource& scan);

// When the scan started (the earliest start among its manifests' runs,
// RFC 3339 as they have it); "" when no manifest says.
absl::StatusOr<std::string> StartedAt(const ScanSource& scan);

// Streams every record of the scan to `visit` (only `only_domain`'s when
// set). `torn` counts the torn last records of interrupted result files.
absl::Status ForEachRecord(
    const ScanSource& scan,
    const std::function<void(const DomainResult&)>& visit,
    uint64_t* torn = nullptr, const std::string& only_domain = "");

// Every domain's summary of the scan tallied: from the result files (with
// `threads` threads) or from the summaries stored by the export, which are
// the same figures.
absl::StatusOr<stats::Collected> CollectScan(
    const ScanSource& scan, const stats::OrgDomainOf& org_domain_of,
    int threads);

// The scan as one column of a trend: labelled, dated (StartedAt), tallied
// (CollectScan); `torn` as for ForEachRecord.
absl::StatusOr<stats::TrendScan> TrendScanOf(
    const ScanSource& scan, const stats::OrgDomainOf& org_domain_of,
    int threads, uint64_t* torn = nullptr);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_SCAN_SOURCE_H_
