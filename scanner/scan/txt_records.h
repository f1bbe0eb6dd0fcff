#ifndef MXSCAN_SCANNER_SCAN_TXT_RECORDS_H_
#define MXSCAN_SCANNER_SCAN_TXT_RECORDS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/dns/lookup.h"

namespace mxscan::scan {

// TxtRecordsWithPrefix keeps the records that start with `version` (e.g.
// "v=spf1", compared without case) followed by the end, a space or ';'.
std::vector<std::string> TxtRecordsWithPrefix(const dns::LookupResult& result,
                                              absl::string_view version);

// LooksLikeDkimKey: a TXT record at a selector that is a DKIM key record
// (starts with v=DKIM1, or has a p= tag).
bool LooksLikeDkimKey(absl::string_view text);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_TXT_RECORDS_H_
