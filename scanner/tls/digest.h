#ifndef MXSCAN_SCANNER_TLS_DIGEST_H_
#define MXSCAN_SCANNER_TLS_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::tls {

// Sha256 and Sha512 return the raw digest (32 and 64 bytes) of `bytes`,
// computed with BoringSSL. They cannot fail.
std::string Sha256(absl::string_view bytes);
std::string Sha512(absl::string_view bytes);

// Sha256Hex returns the SHA-256 of `bytes` as 64 lowercase hex digits, the
// form of TlsInfo.cert_chain_sha256 and Certificate.sha256.
std::string Sha256Hex(absl::string_view bytes);

// ChainDigest returns the raw SHA-256 over a whole certificate chain, each
// certificate preceded by its length so that no two different chains (for
// instance one certificate split in two) share a digest. The key of the
// verdict cache.
std::string ChainDigest(absl::Span<const std::string> chain_der);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_DIGEST_H_
