#ifndef MXSCAN_BENCH_TLS_BENCH_PKI_H_
#define MXSCAN_BENCH_TLS_BENCH_PKI_H_

// Keys and certificates for the TLS benchmarks, made with BoringSSL at
// start-up (nothing is checked in). Unlike tools/certs, it makes the key
// types real CAs use for their roots and intermediates (RSA-4096, P-384),
// and leaves with the extensions a public CA puts in them. Any failure
// aborts the benchmark: set-up is not what is measured.

#include <openssl/base.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>

namespace mxscan::bench {

// Die prints `what` and BoringSSL's error queue, and aborts.
[[noreturn]] void Die(const char* what);

// Der returns the DER encoding of `cert`.
std::string Der(X509* cert);

enum class KeyKind { kP256, kP384, kRsa2048, kRsa4096 };

// NewKey generates a fresh key (RSA-4096 takes a second or more).
bssl::UniquePtr<EVP_PKEY> NewKey(KeyKind kind);

// What to put in a certificate besides the key and the issuer.
struct IssueSpec {
  const char* common_name = "";
  // CA: basicConstraints CA:TRUE (pathlen:0 below a root), keyUsage
  // keyCertSign and cRLSign. Otherwise a server certificate: CA:FALSE,
  // digitalSignature (+keyEncipherment), serverAuth, subjectAltName `san`.
  bool ca = false;
  const char* san = nullptr;  // e.g. "DNS:mx1.bench.sim"
  // A public CA's leaf: authorityInfoAccess (OCSP, caIssuers), the CA/B
  // Forum's domain-validated policy, and an embedded SCT list of two
  // (RFC 6962) of the size logs make.
  bool public_ca_extensions = false;
  int64_t not_before = 0;
  int64_t not_after = 0;
};

// Issue makes a v3 certificate for `key` with a random serial, signed by
// `issuer_key` as `issuer` (self-signed when `issuer` is null), with
// subject and authority key identifiers; SHA-384 when the signing key is
// P-384, SHA-256 otherwise.
bssl::UniquePtr<X509> Issue(const IssueSpec& spec, EVP_PKEY* key, X509* issuer,
                            EVP_PKEY* issuer_key);

}  // namespace mxscan::bench

#endif  // MXSCAN_BENCH_TLS_BENCH_PKI_H_
