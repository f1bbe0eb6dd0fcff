#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_MX_PATTERN_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_MX_PATTERN_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::checks::mta_sts {

// IsValidMxPattern: the value of a policy "mx" line, ["*."] Domain (RFC 8461
// section 3.2, Domain from RFC 5321): ASCII labels of letters, digits and
// inner hyphens, 1 to 63 octets each, 253 in all, no trailing dot; a
// wildcard only as the whole leftmost label. U-labels are rejected: policies
// carry A-labels ("xn--...").
bool IsValidMxPattern(absl::string_view pattern);

// MxMatchesPattern tells whether the MX host `host` is covered by the policy
// pattern `pattern` (RFC 8461 section 4.1): ASCII case-insensitive, a trailing
// dot on either side ignored, "*.example.com" covering exactly one more label
// ("mx1.example.com", not "example.com" nor "a.mx1.example.com"). Empty
// names never match.
bool MxMatchesPattern(absl::string_view host, absl::string_view pattern);

// MxHostsNotCovered returns the hosts of `mx_hosts` (as given, in order) that
// no pattern of `patterns` covers.
std::vector<std::string> MxHostsNotCovered(
    absl::Span<const std::string> mx_hosts,
    absl::Span<const std::string> patterns);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_MX_PATTERN_H_
