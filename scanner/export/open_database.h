#ifndef MXSCAN_SCANNER_EXPORT_OPEN_DATABASE_H_
#define MXSCAN_SCANNER_EXPORT_OPEN_DATABASE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/export/database.h"

namespace mxscan::db_export {

enum class Access { kReadWrite, kReadOnly };

// OpenDatabase connects to the database named by `url` ("sqlite:PATH" or
// "postgresql://...", database_url.h). kReadWrite creates a missing SQLite
// file; kReadOnly fails when it is missing.
absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(absl::string_view url,
                                                       Access access);

}  // namespace mxscan::db_export

#endif  // MXSCAN_SCANNER_EXPORT_OPEN_DATABASE_H_
