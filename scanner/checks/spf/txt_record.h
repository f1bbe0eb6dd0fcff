#ifndef MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/dns/lookup.h"

namespace mxscan::checks::spf {

// TxtOctets turns TXT data in mxscan's presentation form (the
// character-strings joined, octets outside printable ASCII as \DDD) back
// into the published octets. Only escapes the presentation can have
// produced are decoded (values below 0x20 or above 0x7e); any other
// backslash is the published character itself. Cannot fail.
std::string TxtOctets(absl::string_view presentation);

// TxtRecords returns the octets of each TXT record in a lookup's answer,
// skipping the CNAMEs of the chain and any other type.
std::vector<std::string> TxtRecords(const dns::LookupResult& result);

// SpfRecords keeps the TXT records that are SPF version 1 records
// (IsSpfRecord), in answer order (RFC 7208 section 4.5).
std::vector<std::string> SpfRecords(const std::vector<std::string>& txt);

// PrintableRecord renders record octets for reports and messages: printable
// ASCII as is, other octets as \DDD (the presentation form again).
std::string PrintableRecord(absl::string_view octets);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_TXT_RECORD_H_
