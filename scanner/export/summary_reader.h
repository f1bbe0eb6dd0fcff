#ifndef MXSCAN_SCANNER_EXPORT_SUMMARY_READER_H_
#define MXSCAN_SCANNER_EXPORT_SUMMARY_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scanner/export/database.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::db_export {

// What `mxscan stats --from DATABASE` needs: the per-domain summaries of an
// exported scan, read back from the database.

// ReadSummaries streams the stats::DomainSummary of every domain of scan
// `scan_id` in the database at `database_url` ("sqlite:PATH" or
// "postgresql://...") to `visit`, one at a time, ordered by domain (the
// database's collation). Each is exactly what stats::SummarizeDomain gave
// when the scan was exported: domain, sector, metrics, tls_category,
// cert_problems, verify_errors and providers (in their order), self_hosted.
// Reads one snapshot: an export running meanwhile is not seen half.
// NotFound (listing the scans there) when the scan is not in the database;
// FailedPrecondition when the scan was exported before a metric existed.
absl::Status ReadSummaries(
    const std::string& database_url, const std::string& scan_id,
    const std::function<void(const stats::DomainSummary&)>& visit);

// The same on an open database (a transaction of its own).
absl::Status ReadSummaries(
    Database& db, const std::string& scan_id,
    const std::function<void(const stats::DomainSummary&)>& visit);

struct ScanInfo {
  std::string scan_id;
  int64_t started_at_ms = 0;
  uint64_t domains = 0;
  // The scan's manifests, proto3 JSON of ScanManifestList ("" for a scan
  // exported before manifests).
  std::string manifests_json;
};

// CheckScanIn: OK when the database's schema is ours and scan `scan_id` is
// in it; NotFound listing the scans there otherwise.
absl::Status CheckScanIn(Database& db, const std::string& scan_id);

// ListScans returns the scans of the database, oldest first.
absl::StatusOr<std::vector<ScanInfo>> ListScans(
    const std::string& database_url);
absl::StatusOr<std::vector<ScanInfo>> ListScans(Database& db);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_SUMMARY_READER_H_
