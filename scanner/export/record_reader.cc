#include "scanner/export/record_reader.h"

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "scanner/export/open_database.h"
#include "scanner/export/summary_reader.h"

namespace mxscan::db_export {
namespace {

absl::Status ReadInTransaction(
    Database& db, const std::string& scan_id,
    const std::function<void(const DomainResult&)>& visit,
    const std::string& only_domain) {
  absl::Status status = CheckScanIn(db, scan_id);
  if (!status.ok()) return status;
  std::vector<std::string> params = {scan_id};
  std::string sql =
      "SELECT domain, record FROM domain_records WHERE scan_id = $1";
  if (!only_domain.empty()) {
    absl::StrAppend(&sql, " AND domain = $2");
    params.push_back(only_domain);
  }
  absl::StrAppend(&sql, " ORDER BY domain");
  absl::StatusOr<std::unique_ptr<Cursor>> rows = db.Query(sql, params);
  if (!rows.ok()) return rows.status();
  uint64_t records = 0;
  DomainResult record;
  while (true) {
    absl::StatusOr<bool> more = (*rows)->Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (!record.ParseFromString((*rows)->Bytes(1))) {
      return absl::DataLossError(absl::StrCat(db.url(), ": the record of \"",
                                              (*rows)->Text(0), "\" in scan \"",
                                              scan_id, "\" does not parse"));
    }
    ++records;
    visit(record);
  }
  if (records > 0 || !only_domain.empty()) return absl::OkStatus();
  // No record at all: an empty scan, or one exported before records were.
  absl::StatusOr<std::unique_ptr<Cursor>> domains =
      db.Query("SELECT 1 FROM domains WHERE scan_id = $1 LIMIT 1", {scan_id});
  if (!domains.ok()) return domains.status();
  absl::StatusOr<bool> any = (*domains)->Next();
  if (!any.ok()) return any.status();
  if (!*any) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(db.url(), ": scan \"", scan_id,
                   "\" was exported before whole records were kept: export "
                   "it again with --replace"));
}

}  // namespace

absl::Status ReadRecords(Database& db, const std::string& scan_id,
                         const std::function<void(const DomainResult&)>& visit,
                         const std::string& only_domain) {
  absl::Status status = db.BeginRead();
  if (!status.ok()) return status;
  status = ReadInTransaction(db, scan_id, visit, only_domain);
  absl::Status end = db.Rollback();  // read only: nothing to keep
  return status.ok() ? end : status;
}

absl::Status ReadRecords(const std::string& database_url,
                         const std::string& scan_id,
                         const std::function<void(const DomainResult&)>& visit,
                         const std::string& only_domain) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase(database_url, Access::kReadOnly);
  if (!db.ok()) return db.status();
  return ReadRecords(**db, scan_id, visit, only_domain);
}

}  // namespace mxscan::db_export
