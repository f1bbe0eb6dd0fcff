#include "scanner/export/sqlite_database.h"

#include <sys/stat.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mxscan::db_export {
namespace {

// How long a statement waits for another connection's lock.
constexpr int kBusyTimeoutMs = 60000;

absl::StatusCode CodeOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kAlreadyExists;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::StatusCode::kDataLoss;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_ERROR:
      return absl::StatusCode::kInvalidArgument;
    default:
      return absl::StatusCode::kInternal;
  }
}

class SqliteCursor : public Cursor {
 public:
  SqliteCursor(SqliteStatement statement, sqlite3* db, std::string url)
      : statement_(std::move(statement)), db_(db), url_(std::move(url)) {}

  absl::StatusOr<bool> Next() override {
    if (done_) return false;
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    done_ = true;
    if (rc == SQLITE_DONE) return false;
    return absl::Status(CodeOf(rc), absl::StrCat(url_, ": reading rows: ",
                                                 sqlite3_errmsg(db_)));
  }
  int column_count() const override {
    return sqlite3_column_count(statement_.get());
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
  }
  int64_t Int(int column) const override {
    return sqlite3_column_int64(statement_.get(), column);
  }
  absl::string_view Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(statement_.get(), column);
    if (text == nullptr) return "";
    return absl::string_view(reinterpret_cast<const char*>(text),
                             sqlite3_column_bytes(statement_.get(), column));
  }
  std::string Bytes(int column) const override {
    const void* blob = sqlite3_column_blob(statement_.get(), column);
    if (blob == nullptr) return "";
    return std::string(static_cast<const char*>(blob),
                       sqlite3_column_bytes(statement_.get(), column));
  }

 private:
  SqliteStatement statement_;
  sqlite3* db_;
  std::string url_;
  bool done_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const std::string& path, const std::string& url, Mode mode) {
  struct stat st;
  if (mode == Mode::kReadOnly && stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat(url, ": no such database file"));
  }
  // A reader opens read-write all the same (never creating): a hot journal
  // left by a crashed export must be rolled back before the file can be
  // read, which a read-only connection cannot do. query_only keeps it from
  // writing anything else. A file it may not write is opened read-only.
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | (mode == Mode::kReadOnly ? 0 : SQLITE_OPEN_CREATE),
      nullptr);
  if (rc != SQLITE_OK && mode == Mode::kReadOnly) {
    sqlite3_close_v2(raw);
    raw = nullptr;
    rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  }
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return absl::Status(
        CodeOf(rc), absl::StrCat(url, ": cannot open: ",
                                 raw != nullptr ? sqlite3_errmsg(raw)
                                                : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  std::unique_ptr<SqliteDatabase> database(
      new SqliteDatabase(std::move(db), url));
  // A bigger page cache than the 2 MiB default: index B-trees of a large
  // scan stay in memory while it is inserted.
  absl::Status status = database->Execute("PRAGMA cache_size = -65536", {});
  if (status.ok() && mode == Mode::kReadOnly) {
    status = database->Execute("PRAGMA query_only = 1", {});
  }
  if (!status.ok()) return status;
  return database;
}

absl::Status SqliteDatabase::Error(int rc, absl::string_view what) const {
  return absl::Status(CodeOf(rc), absl::StrCat(url_, ": ", what, ": ",
                                               sqlite3_errmsg(db_.get())));
}

absl::StatusOr<SqliteStatement> SqliteDatabase::Compile(
    absl::string_view sql, unsigned flags) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(),
                                    static_cast<int>(sql.size()), flags, &raw,
                                    nullptr);
  SqliteStatement statement(raw);
  if (rc != SQLITE_OK) {
    return Error(rc, absl::StrCat("in \"", sql.substr(0, 200), "\""));
  }
  return statement;
}

absl::StatusOr<SqliteStatement> SqliteDatabase::Prepare(
    absl::string_view sql, absl::Span<const std::string> params) {
  absl::StatusOr<SqliteStatement> statement = Compile(sql, 0);
  if (!statement.ok()) return statement;
  sqlite3_stmt* raw = statement->get();
  const int count = sqlite3_bind_parameter_count(raw);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(raw, i);
    int number = 0;
    if (name == nullptr || name[0] != '$' ||
        !absl::SimpleAtoi(name + 1, &number) || number < 1 ||
        number > static_cast<int>(params.size())) {
      return absl::InvalidArgumentError(
          absl::StrCat(url_, ": parameter ", name ? name : "?", " of \"",
                       sql.substr(0, 200), "\" has no value"));
    }
    const std::string& value = params[number - 1];
    // Copied: a cursor may outlive the caller's parameters.
    sqlite3_bind_text64(raw, i, value.c_str(), value.size(),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return statement;
}

absl::Status SqliteDatabase::Execute(absl::string_view sql,
                                     absl::Span<const std::string> params) {
  absl::StatusOr<SqliteStatement> statement = Prepare(sql, params);
  if (!statement.ok()) return statement.status();
  int rc;
  while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    return Error(rc, absl::StrCat("in \"", sql.substr(0, 200), "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Cursor>> SqliteDatabase::Query(
    absl::string_view sql, absl::Span<const std::string> params) {
  absl::StatusOr<SqliteStatement> statement = Prepare(sql, params);
  if (!statement.ok()) return statement.status();
  return std::unique_ptr<Cursor>(
      new SqliteCursor(std::move(*statement), db_.get(), url_));
}

absl::StatusOr<std::vector<std::string>> SqliteDatabase::ColumnNames(
    absl::string_view table) {
  absl::StatusOr<std::unique_ptr<Cursor>> rows =
      Query(absl::StrCat("PRAGMA table_info(", table, ")"), {});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> names;
  while (true) {
    absl::StatusOr<bool> more = (*rows)->Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    names.emplace_back((*rows)->Text(1));
  }
  return names;
}

absl::Status SqliteDatabase::BeginWrite() {
  return Execute("BEGIN IMMEDIATE", {});
}

absl::Status SqliteDatabase::BeginRead() { return Execute("BEGIN", {}); }

absl::Status SqliteDatabase::Commit() { return Execute("COMMIT", {}); }

absl::Status SqliteDatabase::Rollback() {
  // SQLite rolls some failures (a full disk) back by itself.
  if (sqlite3_get_autocommit(db_.get())) return absl::OkStatus();
  return Execute("ROLLBACK", {});
}

absl::Status SqliteDatabase::Insert(TableId id,
                                    absl::Span<const Value> values) {
  const Table& table = TableOf(id);
  SqliteStatement& statement = inserts_[static_cast<int>(id)];
  if (statement == nullptr) {
    std::vector<std::string> marks;
    for (size_t i = 1; i <= table.columns.size(); ++i) {
      marks.push_back(absl::StrCat("?", i));
    }
    const std::string sql = absl::StrCat(
        "INSERT INTO ", table.name, " (", ColumnList(table), ") VALUES (",
        absl::StrJoin(marks, ", "), ") ", OnConflictClause(table));
    absl::StatusOr<SqliteStatement> prepared =
        Compile(sql, SQLITE_PREPARE_PERSISTENT);
    if (!prepared.ok()) return prepared.status();
    statement = std::move(*prepared);
  }
  if (values.size() != table.columns.size()) {
    return absl::InternalError(absl::StrCat(
        table.name, ": ", values.size(), " values for ",
        table.columns.size(), " columns"));
  }
  sqlite3_stmt* s = statement.get();
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    // A null pointer would bind NULL, not an empty string.
    const char* bytes = v.bytes.data() != nullptr ? v.bytes.data() : "";
    const int column = static_cast<int>(i) + 1;
    switch (v.kind) {
      case Value::Kind::kNull:
        sqlite3_bind_null(s, column);
        break;
      case Value::Kind::kInt:
        sqlite3_bind_int64(s, column, v.integer);
        break;
      case Value::Kind::kText:
        sqlite3_bind_text64(s, column, bytes, v.bytes.size(),
                            SQLITE_STATIC, SQLITE_UTF8);
        break;
      case Value::Kind::kBlob:
        sqlite3_bind_blob64(s, column, bytes, v.bytes.size(),
                            SQLITE_STATIC);
        break;
    }
  }
  const int rc = sqlite3_step(s);
  absl::Status status;
  if (rc != SQLITE_DONE) {
    status = Error(rc, absl::StrCat("inserting into ", table.name));
  }
  sqlite3_reset(s);
  return status;
}

}  // namespace mxscan::db_export
