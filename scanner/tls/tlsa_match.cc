#include "scanner/tls/tlsa_match.h"

#include <openssl/bytestring.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "scanner/tls/digest.h"

namespace mxscan::tls {
namespace {

// Hex with optional whitespace to bytes; nullopt when malformed or empty.
std::optional<std::string> DecodeHex(absl::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) continue;
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    digits.push_back(c);
  }
  if (digits.empty() || digits.size() % 2 != 0) return std::nullopt;
  return absl::HexStringToBytes(digits);
}

}  // namespace

std::optional<TlsaAssociation> UsableAssociation(
    const mxscan::TlsaRecord& record) {
  if (record.usage() != kDaneTa && record.usage() != kDaneEe) {
    return std::nullopt;
  }
  if (record.selector() != kFullCertificate && record.selector() != kSpki) {
    return std::nullopt;
  }
  size_t want_length = 0;  // 0: any
  switch (record.matching_type()) {
    case kExact: break;
    case kSha256: want_length = SHA256_DIGEST_LENGTH; break;
    case kSha512: want_length = SHA512_DIGEST_LENGTH; break;
    default: return std::nullopt;
  }
  std::optional<std::string> data = DecodeHex(record.data());
  if (!data.has_value()) return std::nullopt;
  if (want_length != 0 && data->size() != want_length) return std::nullopt;
  TlsaAssociation association;
  association.usage = record.usage();
  association.selector = record.selector();
  association.matching_type = record.matching_type();
  association.data = *std::move(data);
  return association;
}

bool SubjectPublicKeyInfo(absl::string_view cert_der, absl::string_view* spki) {
  CBS in;
  CBS_init(&in, reinterpret_cast<const uint8_t*>(cert_der.data()),
           cert_der.size());
  CBS cert, tbs, skipped, key;
  int has_version = 0;
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, sig };
  // tbsCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
  // signature, issuer, validity, subject, subjectPublicKeyInfo, ... }.
  if (!CBS_get_asn1(&in, &cert, CBS_ASN1_SEQUENCE) || CBS_len(&in) != 0 ||
      !CBS_get_asn1(&cert, &tbs, CBS_ASN1_SEQUENCE) ||
      !CBS_get_optional_asn1(
          &tbs, &skipped, &has_version,
          CBS_ASN1_CONSTRUCTED | CBS_ASN1_CONTEXT_SPECIFIC | 0) ||
      !CBS_get_asn1(&tbs, &skipped, CBS_ASN1_INTEGER) ||
      !CBS_get_asn1(&tbs, &skipped, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&tbs, &skipped, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&tbs, &skipped, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1(&tbs, &skipped, CBS_ASN1_SEQUENCE) ||
      !CBS_get_asn1_element(&tbs, &key, CBS_ASN1_SEQUENCE)) {
    return false;
  }
  *spki = absl::string_view(reinterpret_cast<const char*>(CBS_data(&key)),
                            CBS_len(&key));
  return true;
}

bool AssociationMatches(const TlsaAssociation& association,
                        absl::string_view cert_der) {
  absl::string_view selected = cert_der;
  if (association.selector == kSpki &&
      !SubjectPublicKeyInfo(cert_der, &selected)) {
    return false;
  }
  switch (association.matching_type) {
    case kExact: return selected == association.data;
    case kSha256: return Sha256(selected) == association.data;
    case kSha512: return Sha512(selected) == association.data;
    default: return false;
  }
}

}  // namespace mxscan::tls
