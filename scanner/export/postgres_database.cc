#include "scanner/export/postgres_database.h"

#include <functional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace mxscan::db_export {
namespace {

// A table's COPY buffer is sent when it passes this size.
constexpr size_t kCopyFlushBytes = 1 << 20;
// Rows fetched from a server-side cursor at a time.
constexpr int kFetchRows = 5000;

// libpq's messages end with a newline and may span lines.
std::string OneLine(const char* message) {
  std::string s = absl::StrReplaceAll(
      absl::StripTrailingAsciiWhitespace(message ? message : ""),
      {{"\n", "; "}, {"\t", ""}});
  return s.empty() ? "unknown error" : s;
}

absl::StatusCode CodeOf(absl::string_view sqlstate) {
  if (sqlstate.substr(0, 2) == "53") {
    return absl::StatusCode::kResourceExhausted;  // disk full, out of memory
  }
  if (sqlstate == "23505") return absl::StatusCode::kAlreadyExists;
  if (sqlstate.substr(0, 2) == "08" || sqlstate.substr(0, 2) == "57") {
    return absl::StatusCode::kUnavailable;  // connection, shutdown
  }
  if (sqlstate.substr(0, 2) == "40") return absl::StatusCode::kAborted;
  if (sqlstate == "25006" || sqlstate == "42501") {
    return absl::StatusCode::kPermissionDenied;
  }
  if (sqlstate.substr(0, 2) == "42" || sqlstate.substr(0, 2) == "22") {
    return absl::StatusCode::kInvalidArgument;
  }
  return absl::StatusCode::kInternal;
}

// Appends `s` as a COPY text-format field: backslash, newline, carriage
// return and tab escaped; NUL (which PostgreSQL text cannot hold) as U+FFFD.
void AppendCopyText(absl::string_view s, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* escape;
    switch (c) {
      case '\\': escape = "\\\\"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      case '\t': escape = "\\t"; break;
      case '\0': escape = "\xEF\xBF\xBD"; break;
      default: continue;
    }
    out->append(s.data() + start, i - start);
    out->append(escape);
    start = i + 1;
  }
  out->append(s.data() + start, s.size() - start);
}

// Appends bytes as a bytea field in COPY text format ("\\x0a1b...").
void AppendCopyBytea(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\\\x");
  for (unsigned char c : s) {
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
  }
}

class PgCursor : public Cursor {
 public:
  // Rows of `result`, then (with a cursor name) further batches fetched by
  // `fetch`.
  PgCursor(PgResult result, PGconn* connection, std::string cursor,
           std::function<absl::StatusOr<PgResult>(const std::string&)> fetch)
      : result_(std::move(result)),
        connection_(connection),
        cursor_(std::move(cursor)),
        fetch_(std::move(fetch)) {}

  ~PgCursor() override {
    if (!cursor_.empty() && !exhausted_ &&
        PQtransactionStatus(connection_) == PQTRANS_INTRANS) {
      PgResult(PQexec(connection_, absl::StrCat("CLOSE ", cursor_).c_str()));
    }
  }

  absl::StatusOr<bool> Next() override {
    if (result_ != nullptr && row_ + 1 < PQntuples(result_.get())) {
      ++row_;
      return true;
    }
    if (cursor_.empty() || exhausted_) return false;
    absl::StatusOr<PgResult> batch =
        fetch_(absl::StrCat("FETCH FORWARD ", kFetchRows, " FROM ", cursor_));
    if (!batch.ok()) return batch.status();
    result_ = std::move(*batch);
    row_ = -1;
    if (PQntuples(result_.get()) == 0) {
      exhausted_ = true;
      (void)fetch_(absl::StrCat("CLOSE ", cursor_));
      return false;
    }
    ++row_;
    return true;
  }
  int column_count() const override {
    return result_ ? PQnfields(result_.get()) : 0;
  }
  bool IsNull(int column) const override {
    return PQgetisnull(result_.get(), row_, column);
  }
  int64_t Int(int column) const override {
    int64_t value = 0;
    if (!absl::SimpleAtoi(Text(column), &value)) return 0;
    return value;
  }
  absl::string_view Text(int column) const override {
    return absl::string_view(PQgetvalue(result_.get(), row_, column),
                             PQgetlength(result_.get(), row_, column));
  }
  // Rows come in text form: bytea as "\\x" and hex digits.
  std::string Bytes(int column) const override {
    size_t length = 0;
    std::unique_ptr<unsigned char, decltype(&PQfreemem)> bytes(
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(
                            PQgetvalue(result_.get(), row_, column)),
                        &length),
        &PQfreemem);
    if (bytes == nullptr) return "";
    return std::string(reinterpret_cast<const char*>(bytes.get()), length);
  }

 private:
  PgResult result_;
  PGconn* connection_;
  std::string cursor_;
  std::function<absl::StatusOr<PgResult>(const std::string&)> fetch_;
  int row_ = -1;
  bool exhausted_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(
    const std::string& conninfo, const std::string& url, bool read_only) {
  PgConnection connection(PQconnectdb(conninfo.c_str()));
  if (connection == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat(url, ": cannot allocate a connection"));
  }
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", url, ": ",
                     OneLine(PQerrorMessage(connection.get()))));
  }
  // Notices ("relation already exists, skipping") are not for our users.
  PQsetNoticeProcessor(
      connection.get(), [](void*, const char*) {}, nullptr);
  if (PQsetClientEncoding(connection.get(), "UTF8") != 0) {
    return absl::InternalError(
        absl::StrCat(url, ": cannot use UTF8: ",
                     OneLine(PQerrorMessage(connection.get()))));
  }
  std::unique_ptr<PostgresDatabase> database(
      new PostgresDatabase(std::move(connection), url));
  if (read_only) {
    absl::Status status =
        database->Execute("SET default_transaction_read_only = on", {});
    if (!status.ok()) return status;
  }
  return database;
}

absl::Status PostgresDatabase::Error(const PGresult* result,
                                     absl::string_view what) const {
  const char* sqlstate =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                        : nullptr;
  absl::StatusCode code = sqlstate != nullptr
                              ? CodeOf(sqlstate)
                              : absl::StatusCode::kInternal;
  if (PQstatus(connection_.get()) == CONNECTION_BAD) {
    code = absl::StatusCode::kUnavailable;
  }
  const char* message = result != nullptr && *PQresultErrorMessage(result)
                            ? PQresultErrorMessage(result)
                            : PQerrorMessage(connection_.get());
  return absl::Status(code,
                      absl::StrCat(url_, ": ", what, ": ", OneLine(message)));
}

absl::StatusOr<PgResult> PostgresDatabase::Run(
    absl::string_view sql, absl::Span<const std::string> params,
    ExecStatusType want) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  const std::string text(sql);
  PgResult result(PQexecParams(connection_.get(), text.c_str(),
                               static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  const ExecStatusType status =
      result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  const bool ok = want == PGRES_EMPTY_QUERY
                      ? status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                      : status == want;
  if (!ok) {
    return Error(result.get(),
                 absl::StrCat("in \"", sql.substr(0, 200), "\""));
  }
  return result;
}

absl::Status PostgresDatabase::Execute(absl::string_view sql,
                                       absl::Span<const std::string> params) {
  return Run(sql, params).status();
}

absl::StatusOr<std::unique_ptr<Cursor>> PostgresDatabase::Query(
    absl::string_view sql, absl::Span<const std::string> params) {
  auto fetch = [this](const std::string& sql) { return Run(sql, {}); };
  if (!in_transaction_) {
    absl::StatusOr<PgResult> result = Run(sql, params, PGRES_TUPLES_OK);
    if (!result.ok()) return result.status();
    return std::unique_ptr<Cursor>(
        new PgCursor(std::move(*result), connection_.get(), "", fetch));
  }
  // Server-side cursors: several can be read at once, in batches.
  std::string cursor = absl::StrCat("mxscan_cursor_", ++cursors_opened_);
  absl::StatusOr<PgResult> declared = Run(
      absl::StrCat("DECLARE ", cursor, " NO SCROLL CURSOR FOR ", sql), params);
  if (!declared.ok()) return declared.status();
  return std::unique_ptr<Cursor>(
      new PgCursor(nullptr, connection_.get(), std::move(cursor), fetch));
}

absl::StatusOr<std::vector<std::string>> PostgresDatabase::ColumnNames(
    absl::string_view table) {
  absl::StatusOr<PgResult> result = Run(
      "SELECT column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = $1 "
      "ORDER BY ordinal_position",
      {std::string(table)}, PGRES_TUPLES_OK);
  if (!result.ok()) return result.status();
  std::vector<std::string> names;
  for (int i = 0; i < PQntuples(result->get()); ++i) {
    names.emplace_back(PQgetvalue(result->get(), i, 0));
  }
  return names;
}

absl::Status PostgresDatabase::BeginWrite() {
  absl::Status status = Execute("BEGIN", {});
  in_transaction_ = status.ok();
  return status;
}

absl::Status PostgresDatabase::BeginRead() {
  absl::Status status =
      Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {});
  in_transaction_ = status.ok();
  return status;
}

absl::Status PostgresDatabase::Commit() {
  absl::Status status = Flush();
  if (!status.ok()) return status;
  absl::StatusOr<PgResult> result = Run("COMMIT", {});
  in_transaction_ = false;
  if (!result.ok()) return result.status();
  // COMMIT of a transaction that failed answers ROLLBACK, not an error.
  if (absl::string_view(PQcmdStatus(result->get())) != "COMMIT") {
    return absl::AbortedError(
        absl::StrCat(url_, ": the transaction was rolled back"));
  }
  return absl::OkStatus();
}

absl::Status PostgresDatabase::Rollback() {
  for (std::string& buffer : copy_buffers_) buffer.clear();
  in_transaction_ = false;
  return Execute("ROLLBACK", {});
}

absl::Status PostgresDatabase::Insert(TableId id,
                                      absl::Span<const Value> values) {
  const Table& table = TableOf(id);
  if (values.size() != table.columns.size()) {
    return absl::InternalError(absl::StrCat(
        table.name, ": ", values.size(), " values for ",
        table.columns.size(), " columns"));
  }
  std::string& out = copy_buffers_[static_cast<int>(id)];
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back('\t');
    const Value& v = values[i];
    switch (v.kind) {
      case Value::Kind::kNull:
        out.append("\\N");
        break;
      case Value::Kind::kInt:
        absl::StrAppend(&out, v.integer);
        break;
      case Value::Kind::kText:
        AppendCopyText(v.bytes, &out);
        break;
      case Value::Kind::kBlob:
        AppendCopyBytea(v.bytes, &out);
        break;
    }
  }
  out.push_back('\n');
  if (out.size() >= kCopyFlushBytes) return FlushTable(id);
  return absl::OkStatus();
}

absl::Status PostgresDatabase::FlushTable(TableId id) {
  std::string& buffer = copy_buffers_[static_cast<int>(id)];
  if (buffer.empty()) return absl::OkStatus();
  const Table& table = TableOf(id);
  const std::string columns = ColumnList(table);
  std::string target = table.name;
  if (table.ignore_duplicates) {
    target = absl::StrCat("mxscan_staging_", table.name);
    absl::Status status = Execute(
        absl::StrCat("CREATE TEMP TABLE IF NOT EXISTS ", target, " (LIKE ",
                     table.name, ") ON COMMIT DELETE ROWS"),
        {});
    if (!status.ok()) return status;
  }
  const std::string what = absl::StrCat("copying rows into ", table.name);
  absl::StatusOr<PgResult> copy =
      Run(absl::StrCat("COPY ", target, " (", columns, ") FROM STDIN"), {},
          PGRES_COPY_IN);
  if (!copy.ok()) return copy.status();
  PGconn* c = connection_.get();
  const bool sent =
      PQputCopyData(c, buffer.data(), static_cast<int>(buffer.size())) == 1;
  buffer.clear();
  if (PQputCopyEnd(c, sent ? nullptr : "client failed to send") != 1) {
    return Error(nullptr, what);
  }
  absl::Status status;
  while (PGresult* raw = PQgetResult(c)) {
    PgResult result(raw);
    if (status.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) {
      status = Error(raw, what);
    }
  }
  if (!status.ok() || !table.ignore_duplicates) return status;
  // The exporter sends each key once per export, as ON CONFLICT DO UPDATE
  // requires within one statement.
  status = Execute(absl::StrCat("INSERT INTO ", table.name, " (", columns,
                                ") SELECT ", columns, " FROM ", target, " ",
                                OnConflictClause(table)),
                   {});
  if (!status.ok()) return status;
  return Execute(absl::StrCat("DELETE FROM ", target), {});
}

absl::Status PostgresDatabase::Flush() {
  for (int i = 0; i < kTableCount; ++i) {
    absl::Status status = FlushTable(static_cast<TableId>(i));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace mxscan::db_export
