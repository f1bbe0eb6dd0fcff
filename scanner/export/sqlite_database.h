#ifndef MXSCAN_SCANNER_EXPORT_SQLITE_DATABASE_H_
#define MXSCAN_SCANNER_EXPORT_SQLITE_DATABASE_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "absl/status/statusor.h"
#include "scanner/export/database.h"

namespace mxscan::db_export {

// RAII owners of SQLite's handles.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* statement) const {
    sqlite3_finalize(statement);
  }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

// SqliteDatabase is a Database on one SQLite file. Inserts run at once
// through one prepared statement per table (no buffering); SQLite's
// journal makes a transaction whole or absent, also after a crash (the
// next opening rolls a hot journal back).
class SqliteDatabase : public Database {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Open opens (kReadWrite: creates when missing) the file at `path`;
  // `url` names it in messages.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const std::string& path, const std::string& url, Mode mode);

  Dialect dialect() const override { return Dialect::kSqlite; }
  const std::string& url() const override { return url_; }
  absl::Status Execute(absl::string_view sql,
                       absl::Span<const std::string> params) override;
  absl::StatusOr<std::unique_ptr<Cursor>> Query(
      absl::string_view sql, absl::Span<const std::string> params) override;
  absl::StatusOr<std::vector<std::string>> ColumnNames(
      absl::string_view table) override;
  absl::Status BeginWrite() override;
  absl::Status BeginRead() override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  absl::Status Insert(TableId table, absl::Span<const Value> values) override;
  absl::Status Flush() override { return absl::OkStatus(); }

  sqlite3* handle() { return db_.get(); }

 private:
  SqliteDatabase(SqliteHandle db, std::string url)
      : db_(std::move(db)), url_(std::move(url)) {}

  absl::StatusOr<SqliteStatement> Compile(absl::string_view sql,
                                          unsigned flags);
  // Prepare compiles `sql` and binds `params` to its $1, $2, ...
  absl::StatusOr<SqliteStatement> Prepare(absl::string_view sql,
                                          absl::Span<const std::string> params);
  absl::Status Error(int rc, absl::string_view what) const;

  SqliteHandle db_;
  std::string url_;
  std::array<SqliteStatement, kTableCount> inserts_;
};

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_SQLITE_DATABASE_H_
