#ifndef MXSCAN_SCANNER_TLS_CHAIN_VERIFIER_H_
#define MXSCAN_SCANNER_TLS_CHAIN_VERIFIER_H_

#include <openssl/base.h>

#include <cstdint>
#include <string>

#include "absl/types/span.h"

namespace mxscan::tls {

// Outcome of one path validation.
struct ChainVerification {
  bool ok = false;
  int error_code = 0;  // X509_V_ERR_*; 0 when ok
  std::string error;   // VerifyErrorText(error_code); empty when ok
};

struct VerifyOptions {
  // Seconds since the epoch at which every certificate must be valid.
  int64_t time = 0;
  // Accept a trust anchor that is not self-signed (DANE-TA: the anchor is
  // whatever certificate the TLSA record names).
  bool partial_chain = false;
};

// VerifyChain validates `leaf` as a TLS client validates a server
// certificate (purpose and trust "ssl_server"): a path from `leaf` through
// `intermediates` (untrusted, in any order) to a certificate of `trust`,
// signatures, CA constraints and validity periods at `options.time`. The
// name is not checked and no CRL is consulted. A certificate whose issuer
// cannot be found but which is signed by its own key is reported as
// self-signed, whatever its keyUsage says. Nothing is taken over:
// `trust` is only read (an X509_STORE can be shared by threads for this);
// `leaf` and `intermediates` are only reference-counted. Never fails in
// any other way than by saying why the chain is not valid; leaves the
// BoringSSL error queue empty.
ChainVerification VerifyChain(X509* leaf, absl::Span<X509* const> intermediates,
                              X509_STORE* trust, const VerifyOptions& options);

// VerifyErrorText names an X509_V_ERR_* code in words. The common codes
// use fixed wording of our own (as OpenSSL 3 prints them: "certificate
// has expired", "self-signed certificate", "unable to get local issuer
// certificate"), stable across BoringSSL versions because they are data
// in the result files; others come from BoringSSL.
std::string VerifyErrorText(int error_code);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CHAIN_VERIFIER_H_
