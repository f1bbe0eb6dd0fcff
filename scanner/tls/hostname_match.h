#ifndef MXSCAN_SCANNER_TLS_HOSTNAME_MATCH_H_
#define MXSCAN_SCANNER_TLS_HOSTNAME_MATCH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::tls {

// Server identity checks of RFC 6125 section 6, for a DNS host name as
// reference identifier (the MX host name). Pure string functions; they
// never fail, an identifier that cannot be judged simply does not match.
//
// The rules, where RFC 6125 leaves a choice:
//  - Comparison is ASCII case-insensitive; one trailing dot is ignored on
//    either side. Names are compared in their A-label (xn--) form, as
//    certificates carry them; nothing is converted.
//  - A label may hold letters, digits, '-' and '_'; a name with an empty
//    label, another character (space, NUL, '@', non-ASCII) or over 253
//    octets never matches.
//  - A wildcard is allowed only as the complete leftmost label ("*.x.y")
//    and matches exactly one non-empty label: *.example.com matches
//    a.example.com, not example.com nor a.b.example.com. Partial wildcards
//    ("f*.example.com", "*a.example.com", "xn--*") and a '*' in any other
//    label never match.
//  - A wildcard needs at least two labels after it: "*.com" (and "*")
//    never match. We do not consult the Public Suffix List, so "*.co.uk"
//    is accepted; CAs may not issue such certificates anyway.
//  - An IP literal as reference identifier (dotted IPv4, IPv6 with ':',
//    or a name whose last label is all digits) never matches a DNS name;
//    iPAddress subjectAltNames are not considered (MX targets are names).

// IsIpLiteral returns whether `host` looks like an IP address rather than
// a DNS name (see above).
bool IsIpLiteral(absl::string_view host);

// MatchesPresentedName returns whether one presented identifier (a
// subjectAltName dNSName, or a subject CN) is valid for `host`.
bool MatchesPresentedName(absl::string_view presented, absl::string_view host);

// HostnameMatches returns whether a certificate presenting
// `san_dns_names` (its subjectAltName dNSName entries) and
// `common_names` (its subject CN attributes) is valid for `host`. The CNs
// are consulted only when the certificate has no dNSName at all (RFC 6125
// section 6.4.4); then every CN is tried, like a DNS-ID.
bool HostnameMatches(absl::Span<const std::string> san_dns_names,
                     absl::Span<const std::string> common_names,
                     absl::string_view host);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_HOSTNAME_MATCH_H_
