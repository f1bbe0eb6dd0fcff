#ifndef MXSCAN_SCANNER_TLS_PARSED_CHAIN_H_
#define MXSCAN_SCANNER_TLS_PARSED_CHAIN_H_

#include <openssl/base.h>
#include <openssl/x509.h>  // X509's deleter

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::tls {

// Limits on what a peer may make us parse. Real chains have 2 to 5
// certificates of 1 to 3 KiB; a server sending more gets a verdict saying
// so instead of our memory and CPU.
inline constexpr size_t kMaxChainLength = 10;
inline constexpr size_t kMaxCertificateBytes = 64 * 1024;

// ParseCertificate parses one DER X.509 certificate with BoringSSL. It
// fails with InvalidArgument when `der` is larger than
// kMaxCertificateBytes, is not a certificate, or has bytes after it. The
// caller owns the result. Leaves the BoringSSL error queue empty.
absl::StatusOr<bssl::UniquePtr<X509>> ParseCertificate(absl::string_view der);

// A presented chain, parsed.
struct ParsedChain {
  // One entry per presented certificate, leaf first, at most
  // kMaxChainLength; null where the certificate did not parse.
  std::vector<bssl::UniquePtr<X509>> certs;
  // The first problem found, in words ("no certificate presented",
  // "certificate chain of 12 certificates exceeds the limit of 10",
  // "certificate 2: not a DER certificate"); empty when the chain is
  // non-empty, within limits and every certificate parsed.
  std::string error;

  // The leaf, or null when absent or unparsable.
  X509* leaf() const { return certs.empty() ? nullptr : certs[0].get(); }
  // Every parsed certificate after the leaf, in order (not owned).
  std::vector<X509*> Intermediates() const;
};

// ParseChain parses the first kMaxChainLength certificates of `chain_der`
// (leaf first). Never fails: problems land in ParsedChain::error.
ParsedChain ParseChain(absl::Span<const std::string> chain_der);

// CertificateParser parses certificate `index` of a chain, whose DER is
// `der`, as ParseCertificate does (same errors); a caller that keeps
// parsed certificates may hand out one of its own (with a reference of
// the caller's).
using CertificateParser =
    absl::FunctionRef<absl::StatusOr<bssl::UniquePtr<X509>>(
        size_t index, absl::string_view der)>;

// ParseChain with `parse` in place of ParseCertificate.
ParsedChain ParseChain(absl::Span<const std::string> chain_der,
                       CertificateParser parse);

// A certificate's identity for caches keyed on bytes: the SHA-256 of the
// DER it was parsed from, recorded on the X509 object itself (BoringSSL
// ex_data), so that code handed only the object (a verify callback) can
// tell certificates apart by their bytes.
//
// RecordSha256 records `sha256` (32 bytes, of `cert`'s DER) on `cert`,
// replacing what was recorded before; call it before the object is shared
// with other threads. False when out of memory (nothing changed).
bool RecordSha256(X509* cert, absl::string_view sha256);
// RecordedSha256 returns what RecordSha256 recorded on `cert`, or an
// empty view when nothing was (a certificate parsed elsewhere). Valid as
// long as `cert` lives. Only reads: safe from any thread.
absl::string_view RecordedSha256(X509* cert);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_PARSED_CHAIN_H_
