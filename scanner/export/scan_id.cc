#include "scanner/export/scan_id.h"

#include <limits.h>
#include <stdlib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace mxscan::db_export {
namespace {

constexpr size_t kMaxScanIdBytes = 200;

// "a/b/results/" -> "results"; "." -> the working directory's name.
std::string BaseName(absl::string_view path) {
  std::string p(path);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const size_t slash = p.rfind('/');
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  if (base.empty() || base == "." || base == "..") {
    char resolved[PATH_MAX];
    if (realpath(p.c_str(), resolved) != nullptr) {
      std::string full = resolved;
      base = full.substr(full.rfind('/') + 1);
    }
  }
  return base.empty() ? "results" : base;
}

}  // namespace

std::string DerivedScanId(absl::string_view first_path,
                          int64_t earliest_started_at_ms) {
  const absl::Time started = absl::FromUnixMillis(earliest_started_at_ms);
  std::string base = BaseName(first_path);
  // Keep the id printable and short whatever the folder is called.
  for (char& c : base) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) > 0x7e) {
      c = '_';
    }
  }
  if (base.size() > 150) base.resize(150);
  return absl::StrCat(base, "@",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", started,
                                       absl::UTCTimeZone()));
}

absl::Status ValidateScanId(absl::string_view scan_id) {
  if (scan_id.empty() || scan_id.size() > kMaxScanIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a scan name has 1 to ", kMaxScanIdBytes,
                     " characters"));
  }
  for (char c : scan_id) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) > 0x7e) {
      return absl::InvalidArgumentError(
          "a scan name is printable ASCII (letters, digits, punctuation, "
          "spaces)");
    }
  }
  return absl::OkStatus();
}

}  // namespace mxscan::db_export
