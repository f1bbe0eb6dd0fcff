#include "scanner/export/open_database.h"

#include "scanner/export/database_url.h"
#include "scanner/export/postgres_database.h"
#include "scanner/export/sqlite_database.h"

namespace mxscan::db_export {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(absl::string_view url,
                                                       Access access) {
  absl::StatusOr<DatabaseUrl> parsed = ParseDatabaseUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->dialect == Dialect::kSqlite) {
    auto db = SqliteDatabase::Open(parsed->target, parsed->redacted,
                                   access == Access::kReadOnly
                                       ? SqliteDatabase::Mode::kReadOnly
                                       : SqliteDatabase::Mode::kReadWrite);
    if (!db.ok()) return db.status();
    return std::unique_ptr<Database>(std::move(*db));
  }
  auto db = PostgresDatabase::Open(parsed->target, parsed->redacted,
                                   access == Access::kReadOnly);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Database>(std::move(*db));
}

}  // namespace mxscan::db_export
