#ifndef MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUNYCODE_H_
#define MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUNYCODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::checks::org_domain {

// PunycodeEncode encodes Unicode code points with the Bootstring parameters
// of RFC 3492 section 5 (without the "xn--" prefix). Fails on code points
// beyond U+10FFFF or surrogates, and on the (theoretical) delta overflow of
// RFC 3492 section 6.4.
absl::StatusOr<std::string> PunycodeEncode(absl::Span<const char32_t> input);

// DomainToALabels converts a UTF-8 domain name whose labels are already in
// IDNA form (lowercase, NFC, as the Public Suffix List publishes them) to
// A-labels: ASCII labels are ASCII-lowercased and kept, others become
// "xn--" + Punycode. No IDNA mapping or validation is done beyond that, so
// the result is only as good as the input. Fails on invalid UTF-8.
absl::StatusOr<std::string> DomainToALabels(absl::string_view utf8_domain);

}  // namespace mxscan::checks::org_domain

#endif  // MXSCAN_SCANNER_CHECKS_ORG_DOMAIN_PUNYCODE_H_
