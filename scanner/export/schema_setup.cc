#include "scanner/export/schema_setup.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mxscan::db_export {
namespace {

// Any fixed number: the advisory lock that serialises schema set-up.
constexpr char kSchemaLock[] = "SELECT pg_advisory_xact_lock(7102025)";

absl::Status CheckVersionInTransaction(Database& db) {
  absl::StatusOr<std::vector<std::string>> columns =
      db.ColumnNames("schema_info");
  if (!columns.ok()) return columns.status();
  if (columns->empty()) {
    return absl::NotFoundError(
        absl::StrCat(db.url(), ": holds no mxscan export (no schema_info)"));
  }
  absl::StatusOr<std::unique_ptr<Cursor>> rows =
      db.Query("SELECT value FROM schema_info WHERE name = 'version'");
  if (!rows.ok()) return rows.status();
  absl::StatusOr<bool> found = (*rows)->Next();
  if (!found.ok()) return found.status();
  int version = 0;
  if (*found && !absl::SimpleAtoi((*rows)->Text(0), &version)) version = -1;
  if (*found && version != kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        db.url(), ": holds mxscan export schema version ", (*rows)->Text(0),
        "; this mxscan reads and writes version ", kSchemaVersion));
  }
  return absl::OkStatus();
}

absl::Status SetUp(Database& db) {
  if (db.dialect() == Dialect::kPostgres) {
    absl::Status status = db.Execute(kSchemaLock);
    if (!status.ok()) return status;
  }
  absl::Status version = CheckVersionInTransaction(db);
  if (!version.ok() && !absl::IsNotFound(version)) return version;
  for (const std::string& statement : SchemaStatements(db.dialect())) {
    absl::Status status = db.Execute(statement);
    if (!status.ok()) return status;
  }
  for (const Table& table : Tables()) {
    absl::StatusOr<std::vector<std::string>> have = db.ColumnNames(table.name);
    if (!have.ok()) return have.status();
    for (const Column& column : table.columns) {
      if (std::find(have->begin(), have->end(), column.name) != have->end()) {
        continue;
      }
      absl::Status status = db.Execute(absl::StrCat(
          "ALTER TABLE ", table.name, " ADD COLUMN ", column.name, " ",
          SqlType(column.type, db.dialect())));
      if (!status.ok()) return status;
    }
  }
  return db.Execute(absl::StrCat(
      "INSERT INTO schema_info (name, value) SELECT 'version', '",
      kSchemaVersion,
      "' WHERE NOT EXISTS (SELECT 1 FROM schema_info WHERE name = "
      "'version')"));
}

}  // namespace

absl::Status EnsureSchema(Database& db) {
  absl::Status status = db.BeginWrite();
  if (!status.ok()) return status;
  status = SetUp(db);
  if (!status.ok()) {
    (void)db.Rollback();
    return status;
  }
  return db.Commit();
}

absl::Status CheckSchemaVersion(Database& db) {
  return CheckVersionInTransaction(db);
}

}  // namespace mxscan::db_export
