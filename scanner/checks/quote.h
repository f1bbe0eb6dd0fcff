#ifndef MXSCAN_SCANNER_CHECKS_QUOTE_H_
#define MXSCAN_SCANNER_CHECKS_QUOTE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::checks {

// QuoteForMessage renders untrusted text (a record, a field, a policy
// line) for a finding or an error: quoted, C-escaped, cut after 80 bytes
// so that a hostile record cannot bloat the results. Pure.
std::string QuoteForMessage(absl::string_view text);

}  // namespace mxscan::checks

#endif  // MXSCAN_SCANNER_CHECKS_QUOTE_H_
