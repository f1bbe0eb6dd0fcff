#ifndef MXSCAN_SCANNER_TLS_CERTIFICATE_JUDGE_H_
#define MXSCAN_SCANNER_TLS_CERTIFICATE_JUDGE_H_

#include <openssl/base.h>
#include <openssl/x509.h>  // X509's deleter

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/repeated_field.h"
#include "proto/mxscan.pb.h"
#include "scanner/tls/certificate_facts.h"
#include "scanner/tls/chain_verifier.h"
#include "scanner/tls/trust_store.h"

namespace mxscan::tls {

// What the certificates of one handshake are worth for one MX host name
// at one time. A plain value: copy it, cache it, share it.
struct CertificateVerdict {
  // One entry per presented certificate, leaf first, at most
  // kMaxChainLength (parsed_chain.h); certificates that did not parse
  // have only their sha256.
  std::vector<CertificateFacts> certificates;
  // The presented chain leads to a root of the trust store, every
  // certificate valid at the scan time; the name is not considered, and
  // intermediates come only from the presented chain (no AIA fetching).
  bool trusted = false;
  // Why not trusted, in words ("certificate has expired",
  // "self-signed certificate", "unable to get local issuer certificate"
  // for a chain missing its intermediate or leading to an unknown root,
  // "no certificate presented", "certificate 1: not a DER certificate");
  // empty when trusted.
  std::string verify_error;
  // The X509_V_ERR_* code behind verify_error; 0 when trusted or when the
  // chain was refused before path validation (empty, unparsable, too long).
  int verify_error_code = 0;
  // The leaf is valid for the host name (RFC 6125; hostname_match.h).
  bool hostname_match = false;
  // The leaf's notAfter is before the scan time.
  bool expired = false;

  // The leaf's facts, or null for an empty chain.
  const CertificateFacts* leaf() const {
    return certificates.empty() ? nullptr : &certificates[0];
  }
};

// IssuerCache keeps, for one worker, what judging chains under the same
// intermediates can share, so that a chain never seen before (every
// self-hosted server has its own leaf) under an intermediate seen before
// costs the leaf's parse, facts and signature, not the intermediate's
// too: the certificates after the leaf, parsed and described, keyed on
// their DER bytes, and the signatures already checked above the leaf
// (SignatureMemo, chain_verifier.h). A verdict judged with it equals the
// verdict judged without. Bounded: at most `max_certificates`
// certificates of at most `max_bytes` DER bytes in all (the least
// recently used go first), and the memo's capacity.
//
// Thread-compatible: one per worker loop, used from its thread only (the
// trust store it is used with is shared by all).
class IssuerCache {
 public:
  static constexpr size_t kDefaultCertificates = 512;
  static constexpr size_t kDefaultBytes = 2 << 20;

  explicit IssuerCache(size_t max_certificates = kDefaultCertificates,
                       size_t max_bytes = kDefaultBytes,
                       size_t max_signatures = SignatureMemo::kDefaultCapacity);

  IssuerCache(const IssuerCache&) = delete;
  IssuerCache& operator=(const IssuerCache&) = delete;

  // Parse returns `der` parsed (a reference of the caller's) with its
  // facts in `facts`, from the cache when it holds it, else parsed and
  // described as ParseCertificate and DescribeCertificate do and kept.
  // Fails as ParseCertificate does (nothing is kept then).
  absl::StatusOr<bssl::UniquePtr<X509>> Parse(absl::string_view der,
                                              CertificateFacts* facts);

  SignatureMemo& signatures() { return signatures_; }
  const SignatureMemo& signatures() const { return signatures_; }

  size_t size() const { return index_.size(); }
  size_t bytes() const { return bytes_; }
  // Certificates found in the cache, and parsed.
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::string der;
    bssl::UniquePtr<X509> cert;  // its SHA-256 recorded (RecordSha256)
    CertificateFacts facts;
  };
  using Lru = std::list<Entry>;  // most recently used first

  size_t max_certificates_;
  size_t max_bytes_;
  Lru lru_;
  // Keys view the entries' own der.
  absl::flat_hash_map<absl::string_view, Lru::iterator> index_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
  SignatureMemo signatures_;
};

// JudgeCertificateChain judges `chain_der` (DER certificates as the server
// presented them, leaf first) for the MX host `host` at `scan_time`
// (seconds since the epoch; the clock is never read here, so that one
// scan judges everything at one instant and tests are deterministic).
// Never fails: empty, garbage, oversized or overlong chains give an
// untrusted verdict saying why. Thread-safe: `trust` is only read.
CertificateVerdict JudgeCertificateChain(
    const TrustStore& trust, absl::Span<const std::string> chain_der,
    absl::string_view host, int64_t scan_time);

// The same verdict, with the certificates after the leaf and the
// signatures above it taken from `cache` where it has them (null: none).
// Only as thread-safe as `cache`: one per thread.
CertificateVerdict JudgeCertificateChain(
    const TrustStore& trust, absl::Span<const std::string> chain_der,
    absl::string_view host, int64_t scan_time, IssuerCache* cache);

// FillTlsInfo writes the certificate fields of `verdict` into `tls`:
// cert_chain_sha256 (replaced), cert_trusted, hostname_match,
// cert_expired, cert_not_after, leaf_key_type, leaf_key_bits,
// verify_error. The handshake fields (version, cipher, group) are left as
// they are.
void FillTlsInfo(const CertificateVerdict& verdict, mxscan::TlsInfo* tls);

// FillCertificates replaces `out` with one Certificate record per judged
// certificate (leaf first) including its DER from `chain_der`, which must
// be the chain the verdict was made from.
void FillCertificates(
    const CertificateVerdict& verdict, absl::Span<const std::string> chain_der,
    google::protobuf::RepeatedPtrField<mxscan::Certificate>* out);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CERTIFICATE_JUDGE_H_
