#ifndef MXSCAN_SCANNER_BASE_JSON_H_
#define MXSCAN_SCANNER_BASE_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::base {

// AppendJsonString appends `s` as a JSON string literal (RFC 8259): quotes,
// backslashes and control characters escaped; bytes that are not valid
// UTF-8 become U+FFFD so that every line stays parseable.
void AppendJsonString(absl::string_view s, std::string* out);

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_JSON_H_
