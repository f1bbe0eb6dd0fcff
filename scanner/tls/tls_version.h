#ifndef MXSCAN_SCANNER_TLS_TLS_VERSION_H_
#define MXSCAN_SCANNER_TLS_TLS_VERSION_H_

#include "absl/strings/string_view.h"

namespace mxscan::tls {

// TlsVersionRank orders the version names records carry ("TLSv1" ...
// "TLSv1.3", as BoringSSL's SSL_get_version spells them): newer is larger,
// an unknown name is 0. Pure.
inline int TlsVersionRank(absl::string_view version) {
  if (version == "TLSv1") return 1;
  if (version == "TLSv1.1") return 2;
  if (version == "TLSv1.2") return 3;
  if (version == "TLSv1.3") return 4;
  return 0;
}

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_TLS_VERSION_H_
