#ifndef MXSCAN_SCANNER_TLS_CERTIFICATE_JUDGE_H_
#define MXSCAN_SCANNER_TLS_CERTIFICATE_JUDGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/repeated_field.h"
#include "proto/mxscan.pb.h"
#include "scanner/tls/certificate_facts.h"
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

// JudgeCertificateChain judges `chain_der` (DER certificates as the server
// presented them, leaf first) for the MX host `host` at `scan_time`
// (seconds since the epoch; the clock is never read here, so that one
// scan judges everything at one instant and tests are deterministic).
// Never fails: empty, garbage, oversized or overlong chains give an
// untrusted verdict saying why. Thread-safe: `trust` is only read.
CertificateVerdict JudgeCertificateChain(const TrustStore& trust,
                                         absl::Span<const std::string> chain_der,
                                         absl::string_view host,
                                         int64_t scan_time);

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
