#ifndef MXSCAN_SCANNER_CHECKS_SPF_DOMAIN_NAME_H_
#define MXSCAN_SCANNER_CHECKS_SPF_DOMAIN_NAME_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::checks::spf {

// Helpers for the names SPF computes: the <domain> of check_host() and the
// target names expanded from domain-specs. Names here are raw octets
// ("example.org", an optional trailing dot), not DNS presentation form,
// except where a function says otherwise. All are pure functions.

// Longest name RFC 7208 section 7.3 lets a macro expansion produce.
inline constexpr size_t kMaxTargetNameLength = 253;

// TargetName turns an expanded domain-spec into the name to query: one
// trailing dot dropped, then whole labels removed from the left until the
// name fits 253 octets (RFC 7208 section 7.3). The result may still be
// unusable (empty labels, a label over 63 octets): see IsQueryableName.
std::string TargetName(absl::string_view expanded);

// IsQueryableName: every label is 1 to 63 octets and the name (without a
// trailing dot) is at most 253 octets. False for the empty name.
bool IsQueryableName(absl::string_view name);

// IsWellFormedDomain is the check of RFC 7208 section 4.3 on the <domain>
// of check_host(): queryable, at least two labels, printable ASCII without
// spaces, not an address literal ("[192.0.2.1]") and not ending in an
// all-numeric label (an IP address is not a domain).
bool IsWellFormedDomain(absl::string_view domain);

// PresentationName converts raw name octets to the DNS presentation form a
// DnsSource takes: dots separate labels, '\\' and octets outside printable
// ASCII (space included) become escapes ("\\\\", "\\032").
std::string PresentationName(absl::string_view name);

// CanonicalName lowercases ASCII letters and drops one trailing dot, for
// comparing names (presentation or raw) without case.
std::string CanonicalName(absl::string_view name);

// IsSameOrSubdomain: `name` equals `parent` or ends with "." + `parent`,
// compared without case and ignoring trailing dots (RFC 7208 section 5.5).
bool IsSameOrSubdomain(absl::string_view name, absl::string_view parent);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_DOMAIN_NAME_H_
