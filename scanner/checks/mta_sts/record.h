#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_RECORD_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks::mta_sts {

// MtaStsRecord is a parsed _mta-sts TXT record (RFC 8461 section 3.1).
struct MtaStsRecord {
  // The policy instance id: 1 to 32 letters and digits. Empty when missing
  // or malformed (then `errors` says which).
  std::string id;
  // Extension fields in record order, each with a well-formed name and value.
  std::vector<std::pair<std::string, std::string>> extensions;
  // Anything that makes a sender ignore the record (RFC 8461: a
  // syntactically invalid record means no MTA-STS).
  std::vector<std::string> errors;
  // Deviations senders tolerate, worth fixing.
  std::vector<std::string> warnings;

  bool valid() const { return errors.empty(); }
};

// ParseMtaStsRecord parses one TXT record, its strings already concatenated
// without spaces (RFC 8461 section 3.1). Rules: "v=STSv1" first and exact
// (case-sensitive); exactly one "id="; extension names and values per the
// RFC's grammar; ";" separators with optional whitespace around them; a
// final ";" allowed; no whitespace around "="; US-ASCII only. Never fails:
// problems are reported in the result.
MtaStsRecord ParseMtaStsRecord(absl::string_view record);

// IsMtaStsCandidate tells whether a TXT record is an MTA-STS record at all:
// it begins with "v=STSv1" followed by ";", whitespace or the end. Among
// several TXT records at _mta-sts, senders keep only these (RFC 8461 section
// 3.1 says "v=STSv1;"; whitespace before ";" is accepted here because the
// RFC's own grammar allows it, see erratum 6285).
bool IsMtaStsCandidate(absl::string_view txt);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_RECORD_H_
