#ifndef MXSCAN_SCANNER_SCAN_DOMAIN_INPUT_H_
#define MXSCAN_SCANNER_SCAN_DOMAIN_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::scan {

// DomainInput is one line of a scan's input.
struct DomainInput {
  std::string domain;  // normalised (see NormalizeDomain), or the raw text
  std::string sector;
  std::string organization;
  absl::Status error;  // why `domain` could not be normalised
};

// NormalizeDomain turns a domain as people write it into the form every
// record and query uses: surrounding space and one trailing dot removed,
// lowercase, internationalised names converted to A-labels (IDNA2008 via
// libidn2, UTS #46 non-transitional), and checked as a DNS name (labels
// 1..63 octets, 253 characters at most). Fails with a message that says
// what is wrong.
absl::StatusOr<std::string> NormalizeDomain(absl::string_view raw);

// ParseDomainLine reads one input line: "domain" or CSV
// "domain,sector[,organization]" (more columns ignored; double quotes
// allowed). Blank lines, "#" comments
// and a header line whose first field is "domain" give nullopt. A domain
// that does not normalise is returned with `error` set, so that it still
// gets a record.
std::optional<DomainInput> ParseDomainLine(absl::string_view line);

// CheckTextInput fails when `path` (a regular file; "-" and other kinds
// pass) cannot be opened, or when its first 64 KiB hold a NUL byte: a
// binary file given by mistake is refused before any line is scanned.
absl::Status CheckTextInput(const std::string& path);

// SplitCsvLine splits one CSV line (RFC 4180 quoting, no embedded line
// breaks).
std::vector<std::string> SplitCsvLine(absl::string_view line);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_DOMAIN_INPUT_H_
