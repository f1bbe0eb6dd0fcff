#ifndef MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_

#include <string>
#include <vector>

namespace mxscan::checks::spf {

// SpfRecords keeps the TXT records that are SPF version 1 records
// (IsSpfRecord), in answer order (RFC 7208 section 4.5).
std::vector<std::string> SpfRecords(const std::vector<std::string>& txt);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
