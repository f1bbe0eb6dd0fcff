#ifndef MXSCAN_SCANNER_EXPORT_DATABASE_URL_H_
#define MXSCAN_SCANNER_EXPORT_DATABASE_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/export/schema.h"

namespace mxscan::db_export {

// DatabaseUrl is where an export goes: "sqlite:PATH" (a file, created when
// missing) or a libpq connection URI "postgresql://[user[:password]@]host
// [:port]/dbname[?param=value...]" ("postgres://" too).
struct DatabaseUrl {
  Dialect dialect;
  // The file path (SQLite) or the whole URI as libpq takes it (PostgreSQL).
  std::string target;
  // The URL without a password, for messages.
  std::string redacted;
};

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_DATABASE_URL_H_
