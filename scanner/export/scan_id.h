#ifndef MXSCAN_SCANNER_EXPORT_SCAN_ID_H_
#define MXSCAN_SCANNER_EXPORT_SCAN_ID_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mxscan::db_export {

// DerivedScanId names a scan exported without --scan-name: the base name
// of its first result path, "@", and the earliest scan_started_at of its
// records in UTC to the second: "results@2026-11-29T10:15:00Z". The same
// result files always give the same id, so exporting them again finds the
// scan already there.
std::string DerivedScanId(absl::string_view first_path,
                          int64_t earliest_started_at_ms);

// ValidateScanId accepts 1 to 200 characters of printable ASCII
// (letters, digits, punctuation and spaces).
absl::Status ValidateScanId(absl::string_view scan_id);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_SCAN_ID_H_
