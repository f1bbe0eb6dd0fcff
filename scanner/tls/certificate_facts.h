#ifndef MXSCAN_SCANNER_TLS_CERTIFICATE_FACTS_H_
#define MXSCAN_SCANNER_TLS_CERTIFICATE_FACTS_H_

#include <openssl/base.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"

namespace mxscan::tls {

// What one certificate says about itself, in the units of the result
// schema. Every string is valid UTF-8 (bytes that are not are escaped), so
// that it can go into a proto3 string field.
struct CertificateFacts {
  std::string sha256;  // of the DER, 64 lowercase hex digits; always set
  bool parsed = false;  // false: only sha256 is meaningful
  // One-line distinguished names in RFC 2253 order and escaping
  // ("CN=mx.example.com,O=Example,C=DE"); UTF-8 where the certificate's
  // strings are, \XX escapes otherwise.
  std::string subject;
  std::string issuer;
  // The validity period in seconds since the epoch; both 0 and
  // validity_readable false when either time is malformed.
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool validity_readable = false;
  // subjectAltName dNSName entries as presented; entries with bytes
  // outside printable ASCII are C-escaped (and so never match a name).
  std::vector<std::string> dns_names;
  // The subject's commonName attributes, escaped the same way. Used for
  // name matching only when dns_names is empty (RFC 6125 section 6.4.4).
  std::vector<std::string> common_names;
  // The subjectAltName extension is present but does not parse: the
  // certificate matches no name (we do not fall back to the CN then).
  bool san_malformed = false;
  // "RSA", "EC", "Ed25519", "DSA", "RSA-PSS", or the algorithm's OID
  // when BoringSSL does not know it; bits: the RSA/DSA modulus, the EC
  // curve's order size (256 for P-256), 256 for Ed25519; 0 when unknown.
  std::string key_type;
  // The named curve of an EC key ("P-256"); empty otherwise.
  std::string key_curve;
  uint32_t key_bits = 0;
  // SHA-256 of the DER SubjectPublicKeyInfo, 64 lowercase hex digits: the
  // same key behind different certificates (key reuse, DANE 3 1 1).
  std::string spki_sha256;
  // The algorithm the issuer signed with ("sha256WithRSAEncryption",
  // "ecdsa-with-SHA256", or the OID when BoringSSL does not know it).
  std::string signature_algorithm;
  // Certificate Transparency SCTs embedded in the certificate (RFC 6962
  // section 3.3); sct_list_malformed when the extension does not parse.
  uint32_t embedded_scts = 0;
  bool sct_list_malformed = false;
};

// DescribeCertificate gathers the facts of `cert`, whose encoding is
// `der`; `cert` may be null (a certificate that did not parse), then only
// the digest is filled. Never fails; leaves the BoringSSL error queue
// empty. `cert` is not modified in any visible way (BoringSSL caches the
// decoded key in it).
CertificateFacts DescribeCertificate(absl::string_view der, X509* cert);

// FillCertificate writes `facts` and the raw `der` into a result record.
// `out` is overwritten field by field (repeated fields are replaced).
void FillCertificate(const CertificateFacts& facts, absl::string_view der,
                     mxscan::Certificate* out);

// AsnTimeToEpoch converts an ASN.1 UTCTime/GeneralizedTime to seconds
// since the epoch; false when `time` is null or malformed.
bool AsnTimeToEpoch(const ASN1_TIME* time, int64_t* out);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CERTIFICATE_FACTS_H_
