#ifndef MXSCAN_SCANNER_TLS_TLSA_MATCH_H_
#define MXSCAN_SCANNER_TLS_TLSA_MATCH_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"

namespace mxscan::tls {

// TLSA parameters (RFC 6698 section 2.1, names from RFC 7218).
enum TlsaUsage : uint32_t {
  kPkixTa = 0,
  kPkixEe = 1,
  kDaneTa = 2,
  kDaneEe = 3,
};
enum TlsaSelector : uint32_t { kFullCertificate = 0, kSpki = 1 };
enum TlsaMatchingType : uint32_t { kExact = 0, kSha256 = 1, kSha512 = 2 };

// A TLSA record SMTP can use (RFC 7672 section 3.1): DANE-TA(2) or
// DANE-EE(3), a known selector and matching type, and association data
// that is well-formed hex of the right length.
struct TlsaAssociation {
  uint32_t usage = 0;
  uint32_t selector = 0;
  uint32_t matching_type = 0;
  std::string data;  // decoded bytes
};

// UsableAssociation decodes `record` (data: hex, case-insensitive,
// whitespace allowed as in presentation format). Returns nullopt for
// records SMTP ignores: PKIX-TA(0)/PKIX-EE(1) (RFC 7672 section 3.1.3),
// unknown usages, selectors or matching types, malformed or empty hex,
// and digests of the wrong length.
std::optional<TlsaAssociation> UsableAssociation(
    const mxscan::TlsaRecord& record);

// SubjectPublicKeyInfo finds the DER SubjectPublicKeyInfo inside a DER
// certificate (RFC 5280 section 4.1), as the bytes appear there, without
// judging anything else of the certificate. Returns false when `cert_der`
// is not structured like a certificate up to that field.
bool SubjectPublicKeyInfo(absl::string_view cert_der, absl::string_view* spki);

// AssociationMatches returns whether the certificate `cert_der` matches
// the selector, matching type and data of `association` (the usage is the
// caller's business).
bool AssociationMatches(const TlsaAssociation& association,
                        absl::string_view cert_der);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_TLSA_MATCH_H_
