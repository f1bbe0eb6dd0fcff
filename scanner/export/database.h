#ifndef MXSCAN_SCANNER_EXPORT_DATABASE_H_
#define MXSCAN_SCANNER_EXPORT_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "scanner/export/schema.h"
#include "scanner/export/value.h"

namespace mxscan::db_export {

// Cursor walks the rows of a query, one at a time. Valid until the
// transaction it was opened in ends; owned by the caller.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Next moves to the next row; false after the last one.
  virtual absl::StatusOr<bool> Next() = 0;
  virtual int column_count() const = 0;
  virtual bool IsNull(int column) const = 0;
  // The column as an integer (0 for NULL).
  virtual int64_t Int(int column) const = 0;
  // The column's text form ("" for NULL); valid until the next Next().
  virtual absl::string_view Text(int column) const = 0;
  // A BLOB/BYTEA column's bytes ("" for NULL).
  virtual std::string Bytes(int column) const = 0;
};

// Database is one connection to an export database, SQLite or PostgreSQL.
// Statements use $1, $2, ... for parameters (passed as text) and SQL that
// both dialects accept, or branch on dialect(). Used by one thread.
//
// Writes happen inside a transaction (BeginWrite ... Commit): Insert may
// buffer rows and send them in bulk (an error then surfaces from a later
// Insert, Flush or Commit); Rollback discards everything since BeginWrite.
// Errors name the database (url(), password removed) and say what failed.
class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // The database's URL for messages, without a password.
  virtual const std::string& url() const = 0;

  // Execute runs one statement and discards its rows.
  virtual absl::Status Execute(absl::string_view sql,
                               absl::Span<const std::string> params = {}) = 0;
  // Query runs one statement and returns its rows.
  virtual absl::StatusOr<std::unique_ptr<Cursor>> Query(
      absl::string_view sql, absl::Span<const std::string> params = {}) = 0;
  // ColumnNames lists the columns of `table` as the database has them;
  // empty when the table does not exist.
  virtual absl::StatusOr<std::vector<std::string>> ColumnNames(
      absl::string_view table) = 0;

  // BeginWrite starts a read-write transaction (SQLite takes the write lock
  // at once); BeginRead a read-only one that sees one snapshot.
  virtual absl::Status BeginWrite() = 0;
  virtual absl::Status BeginRead() = 0;
  // Commit sends buffered rows and commits.
  virtual absl::Status Commit() = 0;
  // Rollback drops buffered rows and rolls the transaction back.
  virtual absl::Status Rollback() = 0;

  // Insert adds a row to `table`, its values in Table::columns order. A
  // table with ignore_duplicates drops a row whose key is there already.
  virtual absl::Status Insert(TableId table,
                              absl::Span<const Value> values) = 0;
  // Flush sends buffered rows.
  virtual absl::Status Flush() = 0;
};

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_DATABASE_H_
