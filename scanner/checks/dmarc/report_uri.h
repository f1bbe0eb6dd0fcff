#ifndef MXSCAN_SCANNER_CHECKS_DMARC_REPORT_URI_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_REPORT_URI_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::checks::dmarc {

// ReportUri is one entry of a DMARC rua/ruf list (RFC 7489 section 6.4,
// RFC 9989 section 4.8): a URI with an optional "!size" suffix.
struct ReportUri {
  std::string uri;     // as written, without the size suffix
  std::string scheme;  // lowercase: "mailto", "https", ...
  // mailto: the mailbox, percent-decoded, folding white space removed;
  // other schemes: empty.
  std::string address;
  // mailto: the mailbox's domain; http(s): the authority's host. Lowercase,
  // no trailing dot; empty for other schemes.
  std::string host;
  // "!10m" -> 10 MiB (k/m/g/t are powers of 1024); nullopt without a size.
  std::optional<uint64_t> max_size_bytes;
};

// ParseReportUri parses one list element, already cut at the commas. White
// space around the element and around "!" is allowed; white space between
// the size's digits and its unit, and percent-encoded white space around a
// mailbox's local part or domain (CFWS, RFC 5322 section 3.4.1), are
// tolerated with a note appended to `notes`. Fails on what is not a URI
// (no scheme), a malformed percent-encoding or character, a mailto: without
// a usable mailbox, an empty or overflowing size.
absl::StatusOr<ReportUri> ParseReportUri(absl::string_view element,
                                         std::vector<std::string>* notes);

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_REPORT_URI_H_
