#ifndef MXSCAN_SCANNER_TLS_CHAIN_VERIFIER_H_
#define MXSCAN_SCANNER_TLS_CHAIN_VERIFIER_H_

#include <openssl/base.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"

namespace mxscan::tls {

// Outcome of one path validation.
struct ChainVerification {
  bool ok = false;
  int error_code = 0;  // X509_V_ERR_*; 0 when ok
  std::string error;   // VerifyErrorText(error_code); empty when ok
};

// SignatureMemo remembers whether one certificate's signature verifies
// with another's key, for the certificates above the leaf: a chain under
// an intermediate already seen (the few that public CAs issue from) then
// costs only the leaf's signature. Keyed on the SHA-256 of both
// certificates' DER (RecordedSha256, parsed_chain.h), so a changed
// certificate, even one with the same subject and key identifier, is
// checked again; certificates with no recorded digest are always
// checked. The outcome of a check depends on nothing else, so it never
// goes stale. Bounded: when `capacity` entries are held, the next new one
// empties it first (only links that led to a trusted root are ever
// checked here, a few per public intermediate, so that is rare).
//
// Thread-compatible: one per worker loop, used from its thread only.
class SignatureMemo {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  // A capacity of 0 remembers nothing.
  explicit SignatureMemo(size_t capacity = kDefaultCapacity)
      : capacity_(capacity) {}

  SignatureMemo(const SignatureMemo&) = delete;
  SignatureMemo& operator=(const SignatureMemo&) = delete;

  // Check returns X509_V_OK when `subject` is signed by `issuer`'s key,
  // X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY when that key does not
  // decode, X509_V_ERR_CERT_SIGNATURE_FAILURE otherwise, as BoringSSL's
  // path validation checks it; from memory when both have a recorded
  // digest and the pair was checked before. May leave errors on the
  // BoringSSL error queue.
  int Check(X509* subject, X509* issuer);

  size_t size() const { return outcomes_.size(); }
  // Checks answered from memory, and signatures verified.
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  size_t capacity_;
  // SHA-256 of the subject's DER, then of the issuer's: 64 bytes.
  absl::flat_hash_map<std::string, int> outcomes_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

struct VerifyOptions {
  // Seconds since the epoch at which every certificate must be valid.
  int64_t time = 0;
  // Accept a trust anchor that is not self-signed (DANE-TA: the anchor is
  // whatever certificate the TLSA record names).
  bool partial_chain = false;
  // When set and `trust` has EnableSignatureMemo, the signatures of the
  // certificates above the leaf are checked through this memo; the leaf's
  // is always verified. The outcome is the same as without it.
  SignatureMemo* memo = nullptr;
};

// EnableSignatureMemo makes VerifyChain's path validation through `store`
// check the signatures above the leaf through VerifyOptions::memo (every
// signature is verified when there is none). Path validation through the
// store by anything but VerifyChain then fails. Call it before the store
// is shared between threads.
void EnableSignatureMemo(X509_STORE* store);

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
