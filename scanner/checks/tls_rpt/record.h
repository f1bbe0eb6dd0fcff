#ifndef MXSCAN_SCANNER_CHECKS_TLS_RPT_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_TLS_RPT_RECORD_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks::tls_rpt {

// TlsRptRecord is a parsed _smtp._tls TXT record (RFC 8460 section 3).
struct TlsRptRecord {
  // Well-formed mailto: and https: report URIs of every rua= field, in
  // record order.
  std::vector<std::string> rua;
  // Extension fields in record order, each with a well-formed name and value.
  std::vector<std::pair<std::string, std::string>> extensions;
  // Anything that makes the record (or one of its URIs) unusable.
  std::vector<std::string> errors;
  // Deviations senders tolerate, worth fixing.
  std::vector<std::string> warnings;

  bool valid() const { return errors.empty(); }
};

// ParseTlsRptRecord parses one TXT record, its strings already concatenated.
// Rules: "v=TLSRPTv1" first and exact; at least one rua= field, each a
// comma-separated list (whitespace allowed around the commas) of RFC 3986
// URIs with scheme mailto (one address each) or https (with a host), in
// which "!" must be percent-encoded; extension fields per the RFC grammar;
// ";" separators as in MTA-STS. Several rua= fields are allowed (the RFC's
// ABNF repeats tlsrpt-field) and their URIs combined, with a warning. A URI
// that breaks a rule is an error and is left out of `rua`. Never fails.
TlsRptRecord ParseTlsRptRecord(absl::string_view record);

// IsTlsRptCandidate: the TXT record begins with "v=TLSRPTv1" followed by
// ";", whitespace or the end; senders drop the other TXT records at
// _smtp._tls (RFC 8460 section 3).
bool IsTlsRptCandidate(absl::string_view txt);

}  // namespace mxscan::checks::tls_rpt

#endif  // MXSCAN_SCANNER_CHECKS_TLS_RPT_RECORD_H_
