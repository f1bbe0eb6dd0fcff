#ifndef MXSCAN_SCANNER_EXPORT_POSTGRES_DATABASE_H_
#define MXSCAN_SCANNER_EXPORT_POSTGRES_DATABASE_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <postgresql/libpq-fe.h>

#include "absl/status/statusor.h"
#include "scanner/export/database.h"

namespace mxscan::db_export {

// RAII owners of libpq's handles.
struct PgConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgConnection = std::unique_ptr<PGconn, PgConnectionCloser>;
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

// PostgresDatabase is a Database on one libpq connection. Inserted rows are
// buffered per table in COPY's text format and sent with COPY ... FROM
// STDIN when a table's buffer passes 1 MiB and at Flush/Commit; a table
// with ignore_duplicates is copied into a temporary staging table and moved
// with INSERT ... ON CONFLICT (OnConflictClause). Queries inside a transaction read
// through server-side cursors, a batch of rows at a time. If the client
// dies, the server rolls the open transaction back.
//
// PostgreSQL text cannot hold a NUL character: one in a text value is
// stored as U+FFFD.
class PostgresDatabase : public Database {
 public:
  // Open connects with the libpq URI `conninfo`; `url` names it in messages.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(
      const std::string& conninfo, const std::string& url, bool read_only);

  Dialect dialect() const override { return Dialect::kPostgres; }
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
  absl::Status Flush() override;

 private:
  PostgresDatabase(PgConnection connection, std::string url)
      : connection_(std::move(connection)), url_(std::move(url)) {}

  // Run executes `sql` with `params`; fails unless the result has `want`
  // (or PGRES_COMMAND_OK / PGRES_TUPLES_OK when `want` is PGRES_EMPTY_QUERY).
  absl::StatusOr<PgResult> Run(absl::string_view sql,
                               absl::Span<const std::string> params,
                               ExecStatusType want = PGRES_EMPTY_QUERY);
  absl::Status FlushTable(TableId table);
  absl::Status Error(const PGresult* result, absl::string_view what) const;

  PgConnection connection_;
  std::string url_;
  bool in_transaction_ = false;
  int cursors_opened_ = 0;
  std::array<std::string, kTableCount> copy_buffers_;
};

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_POSTGRES_DATABASE_H_
