#ifndef MXSCAN_SCANNER_EXPORT_SCHEMA_SETUP_H_
#define MXSCAN_SCANNER_EXPORT_SCHEMA_SETUP_H_

#include "absl/status/status.h"
#include "scanner/export/database.h"

namespace mxscan::db_export {

// EnsureSchema makes `db` hold the schema of schema.h, in one transaction:
// creates missing tables and indexes, adds columns a table lacks (a metric
// added to stats::Metrics() after the database was made: NULL for older
// scans) and records kSchemaVersion. Fails (changing nothing) when the
// database holds another schema version. Concurrent callers on PostgreSQL
// take turns (an advisory lock).
absl::Status EnsureSchema(Database& db);

// CheckSchemaVersion fails unless `db` holds this schema version; NotFound
// when it holds no export at all.
absl::Status CheckSchemaVersion(Database& db);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_SCHEMA_SETUP_H_
