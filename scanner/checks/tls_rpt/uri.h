#ifndef MXSCAN_SCANNER_CHECKS_TLS_RPT_URI_H_
#define MXSCAN_SCANNER_CHECKS_TLS_RPT_URI_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::checks::tls_rpt {

// Uri is a URI split into its RFC 3986 components; components are as
// written (percent-encoding kept), except `scheme`, which is lower-cased.
struct Uri {
  std::string scheme;
  bool has_authority = false;  // "//" followed
  std::string userinfo;
  std::string host;  // reg-name or "[IP-literal]"
  std::string port;  // digits, possibly empty
  std::string path;
  std::string query;     // without "?"
  std::string fragment;  // without "#"
};

// ParseUri checks `text` against the RFC 3986 URI grammar (scheme ":"
// hier-part ["?" query] ["#" fragment]): allowed characters per component
// and well-formed percent-encoding. It does not resolve, normalise or judge
// the scheme; callers do that. Fails with InvalidArgument naming the
// problem.
absl::StatusOr<Uri> ParseUri(absl::string_view text);

// IsFqdnHost: a reg-name with at least two dot-separated labels of letters,
// digits and inner hyphens (an optional trailing dot allowed); not an IP
// literal. What BIMI requires of its https hosts.
bool IsFqdnHost(absl::string_view host);

}  // namespace mxscan::checks::tls_rpt

#endif  // MXSCAN_SCANNER_CHECKS_TLS_RPT_URI_H_
