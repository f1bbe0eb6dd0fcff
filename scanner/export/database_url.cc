#include "scanner/export/database_url.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mxscan::db_export {
namespace {

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db".
std::string RedactPassword(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return std::string(url);
  const size_t start = scheme_end + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == absl::string_view::npos ||
      (slash != absl::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const size_t colon = url.find(':', start);
  if (colon == absl::string_view::npos || colon > at) {
    return std::string(url);
  }
  return absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
}

}  // namespace

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(absl::string_view url) {
  if (absl::StartsWith(url, "postgresql://") ||
      absl::StartsWith(url, "postgres://")) {
    // A password given as a query parameter stays out of messages too.
    std::string redacted = RedactPassword(url);
    const size_t password = redacted.find("password=");
    if (password != std::string::npos) {
      redacted.resize(password + 9);
      redacted += "***";
    }
    return DatabaseUrl{Dialect::kPostgres, std::string(url), redacted};
  }
  absl::string_view path = url;
  if (absl::ConsumePrefix(&path, "sqlite:")) {
    absl::ConsumePrefix(&path, "//");  // "sqlite:///abs/path" too
    if (path.empty()) {
      return absl::InvalidArgumentError(
          "sqlite: needs a file name (sqlite:PATH)");
    }
    return DatabaseUrl{Dialect::kSqlite, std::string(path),
                       std::string(url)};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown database \"", url,
      "\": use sqlite:PATH or postgresql://[user@]host[:port]/dbname"));
}

}  // namespace mxscan::db_export
