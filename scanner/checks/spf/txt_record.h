#ifndef MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "scanner/checks/spf/record.h"

namespace mxscan::checks::spf {

// SpfRecords keeps the TXT records that are SPF version 1 records
// (IsSpfRecord), in answer order (RFC 7208 section 4.5).
std::vector<std::string> SpfRecords(const std::vector<std::string>& txt);

// SpfTxt is how SPF reads the TXT records at one name.
struct SpfTxt {
  std::vector<std::string> records;  // the v=spf1 records, printable
  // TXT records meant as SPF but not SPF: "record: why (meant: ...)",
  // printable.
  std::vector<std::string> lookalikes;
  // With exactly one v=spf1 record: the record parsed, else why it does
  // not parse.
  std::optional<Record> record;
  std::string parse_error;
};

// ReadSpfTxt reads `txt` (raw octets, one string per TXT record).
SpfTxt ReadSpfTxt(const std::vector<std::string>& txt);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
