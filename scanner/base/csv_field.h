#ifndef MXSCAN_SCANNER_BASE_CSV_FIELD_H_
#define MXSCAN_SCANNER_BASE_CSV_FIELD_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::base {

// CsvField renders one CSV field (RFC 4180): as is, or double-quoted with
// inner quotes doubled when it holds a comma, a quote or a line break.
std::string CsvField(absl::string_view s);

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_CSV_FIELD_H_
