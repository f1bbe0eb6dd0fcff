#ifndef MXSCAN_SCANNER_EXPORT_RECORD_READER_H_
#define MXSCAN_SCANNER_EXPORT_RECORD_READER_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/database.h"

namespace mxscan::db_export {

// What `mxscan site --from DATABASE` and `mxscan explain --from DATABASE`
// need: the whole records of an exported scan (table domain_records).

// ReadRecords streams the DomainResult of every domain of scan `scan_id` to
// `visit`, one at a time, ordered by domain, from one snapshot. With
// `only_domain` set, just that domain's record (none when it is not
// there). NotFound (listing the scans there) when the scan is not in the
// database; FailedPrecondition when it was exported before records were
// kept; DataLoss when a stored record does not parse.
absl::Status ReadRecords(Database& db, const std::string& scan_id,
                         const std::function<void(const DomainResult&)>& visit,
                         const std::string& only_domain = "");
absl::Status ReadRecords(const std::string& database_url,
                         const std::string& scan_id,
                         const std::function<void(const DomainResult&)>& visit,
                         const std::string& only_domain = "");

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_RECORD_READER_H_
