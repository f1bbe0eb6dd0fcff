#ifndef MXSCAN_SCANNER_CHECKS_DKIM_PUBLIC_KEY_H_
#define MXSCAN_SCANNER_CHECKS_DKIM_PUBLIC_KEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::checks::dkim {

// What a DKIM p= key turned out to be.
struct PublicKeyInfo {
  uint32_t bits = 0;  // RSA modulus size, or 256 for Ed25519
  // The RSA key was a bare PKCS#1 RSAPublicKey instead of the
  // SubjectPublicKeyInfo every signer publishes (RFC 6376 erratum 3017);
  // accepted, but worth a warning.
  bool bare_rsa_public_key = false;
};

// AnalyzePublicKey parses the decoded p= bytes of a key record whose k= is
// `key_type` ("rsa" or "ed25519") with BoringSSL:
//   rsa:     a DER SubjectPublicKeyInfo holding an RSA key (a bare
//            RSAPublicKey is accepted and flagged), nothing after it;
//   ed25519: the raw 32-byte public key (RFC 8463 section 4.2), not a
//            SubjectPublicKeyInfo.
// Fails with InvalidArgument saying what the bytes are instead. Leaves the
// BoringSSL error queue empty.
absl::StatusOr<PublicKeyInfo> AnalyzePublicKey(absl::string_view key_type,
                                               absl::string_view key);

}  // namespace mxscan::checks::dkim

#endif  // MXSCAN_SCANNER_CHECKS_DKIM_PUBLIC_KEY_H_
