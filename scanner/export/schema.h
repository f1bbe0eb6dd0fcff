#ifndef MXSCAN_SCANNER_EXPORT_SCHEMA_H_
#define MXSCAN_SCANNER_EXPORT_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::db_export {

// The database schema of `mxscan export`, for SQLite and PostgreSQL, as
// data: each table's columns, key and indexes. The DDL of both dialects is
// generated from it, and so are the inserts. SCHEMA.md documents every
// table; tests check that the two agree.

// Version of the schema written into schema_info; a database of another
// version is refused.
inline constexpr int kSchemaVersion = 1;

enum class Dialect { kSqlite, kPostgres };

// Column types. Booleans are 0/1 integers in both dialects (SMALLINT in
// PostgreSQL) so that SUM() counts them; kInt is for small counts and
// positions (INTEGER), kBigInt for everything else numeric (BIGINT).
enum class ColumnType { kBool, kInt, kBigInt, kText, kBlob };

struct Column {
  std::string name;
  ColumnType type;
};

struct Index {
  std::vector<std::string> columns;
};

// Tables in creation order; TableOf(id) is Tables()[id].
enum class TableId : int {
  kSchemaInfo,
  kScans,
  kDomains,
  kProviders,
  kCertProblems,
  kVerifyErrors,
  kDomainErrors,
  kRecordLists,
  kSpf,
  kDmarc,
  kMtaSts,
  kTlsRpt,
  kBimi,
  kDkimKeys,
  kMxHosts,
  kTlsaRecords,
  kMxAddresses,
  kSmtpProbes,
  kTlsSessions,
  kTlsChains,
  kCertificates,
  kSoftware,
  kDependencies,
  kLeafKeys,
  kDomainRecords,
};
inline constexpr int kTableCount = 25;

struct Table {
  TableId id;
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;  // empty: none
  std::vector<Index> indexes;
  // Rows belong to one scan (a scan_id column first): replacing a scan
  // deletes them.
  bool per_scan = true;
  // A row whose primary key exists already is dropped, not an error
  // (certificates are stored once, shared by every scan that saw them)...
  bool ignore_duplicates = false;
  // ... except that it completes a stored row whose `complete_when_null`
  // column is NULL (a certificate known only by its hash gets its DER and
  // facts when a later export has them).
  std::string complete_when_null;
};

// Every table, in TableId order. The domains table has one kBool column per
// stats::Metrics() key (named by the key) after its own columns.
const std::vector<Table>& Tables();
const Table& TableOf(TableId id);

// The statements that create the schema where it does not exist yet
// (CREATE TABLE / INDEX IF NOT EXISTS), in order.
std::vector<std::string> SchemaStatements(Dialect dialect);

// "CREATE TABLE IF NOT EXISTS ..." of one table.
std::string CreateTableStatement(const Table& table, Dialect dialect);

// The SQL type of `type` in `dialect`.
absl::string_view SqlType(ColumnType type, Dialect dialect);

// "name1, name2, ..." of a table's columns.
std::string ColumnList(const Table& table);

// The "ON CONFLICT ..." clause (both dialects) of an insert into a table
// with ignore_duplicates; "" for other tables.
std::string OnConflictClause(const Table& table);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_SCHEMA_H_
