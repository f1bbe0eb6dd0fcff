#ifndef MXSCAN_SCANNER_SMTP_EHLO_NAME_H_
#define MXSCAN_SCANNER_SMTP_EHLO_NAME_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::smtp {

// The name the scanner gives in EHLO when none is asked for. RFC 5321
// section 4.1.1.1: a primary host name (a fully qualified domain name) or
// an address literal; a bare host name ("vm") is neither, and strict
// receivers reject it or treat the session as suspect, silently degrading
// what the scan sees. Pure: the machine's facts come in as text.

struct EhloNameChoice {
  std::string name;
  // Where it came from: "host name", "/etc/mailname", "/etc/hosts".
  std::string source;
  // Set when no fully qualified name was found: what to tell the user.
  std::string warning;
};

// IsFullyQualified: at least two labels, none empty, the last not all
// digits, and not a name that only means this machine ("localhost",
// "*.localdomain", "*.local").
bool IsFullyQualified(absl::string_view name);

// ChooseEhloName picks, in order: the host name when it is fully
// qualified; the name in `mailname` (Debian's /etc/mailname, the mail name
// of the machine); the first fully qualified name that /etc/hosts
// (`hosts`, its text) gives the host name as an alias of; else the host
// name itself (or "localhost"), with a warning that asks for --ehlo-name.
EhloNameChoice ChooseEhloName(absl::string_view host_name,
                              absl::string_view mailname,
                              absl::string_view hosts);

// IsPublicAddress: an IPv4 or IPv6 address outside the loopback, private
// (RFC 1918, RFC 4193), link-local, CGNAT (RFC 6598) and documentation
// ranges: one a receiver could see as the scanner's source.
bool IsPublicAddress(absl::string_view ip);

// EhloDnsWarnings: what strict receivers check of the EHLO name (RFC 5321
// section 4.1.4 lets them; many do): that it resolves to the sending
// address (forward) and that the address's PTR names it (reverse). Given
// the name's A/AAAA addresses, the machine's public addresses and, per
// public address, the names its PTR records give, returns one warning per
// mismatch; none when the machine has no public address (behind NAT the
// source a receiver sees cannot be known here).
std::vector<std::string> EhloDnsWarnings(
    absl::string_view ehlo_name, const std::vector<std::string>& name_addresses,
    const std::vector<std::string>& public_addresses,
    const std::vector<std::vector<std::string>>& ptr_names);

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_EHLO_NAME_H_
