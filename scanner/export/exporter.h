#ifndef MXSCAN_SCANNER_EXPORT_EXPORTER_H_
#define MXSCAN_SCANNER_EXPORT_EXPORTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/export/database.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::db_export {

struct ExportOptions {
  // Result files or directories (*.pb records, *.certs certificates): all
  // of them together are one scan.
  std::vector<std::string> paths;
  // The scan's id; "" derives one (scan_id.h).
  std::string scan_name;
  // A scan already in the database is skipped (the default) or, with
  // `replace`, replaced whole.
  bool replace = false;
  // Organisational domains for the per-domain summaries (providers).
  stats::OrgDomainOf org_domain_of;
  // Tests: fail as a broken database would once this many domains have
  // been inserted (0: never).
  uint64_t fail_after_domains = 0;
};

struct ExportReport {
  enum class Outcome { kExported, kReplaced, kSkipped };
  Outcome outcome = Outcome::kExported;
  std::string scan_id;
  uint64_t domains = 0;
  // Records of a domain already exported in this scan (the first is kept).
  uint64_t duplicates = 0;
  // Files whose torn last record was dropped (an interrupted scan).
  uint64_t torn = 0;
  // Distinct certificates of the scan (*.certs and chain hashes).
  uint64_t certificates = 0;
  // Rows inserted, all tables.
  uint64_t rows = 0;
};

// ExportScan streams the scan of `options.paths` into `db` in one
// transaction: the scan is in the database whole or not at all, whatever
// fails (a corrupt result file, the database refusing a row, a full disk, a
// crash). Memory grows with the number of distinct domains and
// certificates (to keep each once), not with the records. Creates the
// schema first when needed (EnsureSchema). Errors say which file or which
// table failed.
absl::StatusOr<ExportReport> ExportScan(Database& db,
                                        const ExportOptions& options);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_EXPORTER_H_
