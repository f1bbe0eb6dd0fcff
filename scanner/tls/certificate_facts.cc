#include "scanner/tls/certificate_facts.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/obj.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <optional>

#include "absl/strings/escaping.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/sct_list.h"

namespace mxscan::tls {
namespace {

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF), as proto3 string fields require.
bool IsUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// Printable ASCII passes as is; anything else is C-escaped.
std::string Printable(absl::string_view raw) {
  for (char c : raw) {
    if (c < 0x20 || c > 0x7E) return absl::CHexEscape(raw);
  }
  return std::string(raw);
}

absl::string_view AsView(const ASN1_STRING* s) {
  return absl::string_view(
      reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
      static_cast<size_t>(ASN1_STRING_length(s)));
}

// RFC 2253 output, tried from most readable to always-ASCII: UTF-8
// characters as they are; then non-ASCII escaped as \XX; then every value
// hex-dumped (for strings BoringSSL cannot convert at all).
std::string NameToString(const X509_NAME* name) {
  if (name == nullptr) return "";
  constexpr unsigned long kUtf8 = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  constexpr unsigned long kEscaped = XN_FLAG_RFC2253;
  constexpr unsigned long kDumped = XN_FLAG_RFC2253 | ASN1_STRFLGS_DUMP_ALL;
  for (unsigned long flags : {kUtf8, kEscaped, kDumped}) {
    bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
    if (bio == nullptr) break;
    if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) continue;
    const uint8_t* data = nullptr;
    size_t length = 0;
    if (!BIO_mem_contents(bio.get(), &data, &length)) continue;
    std::string text(reinterpret_cast<const char*>(data), length);
    if (IsUtf8(text)) return text;
  }
  ERR_clear_error();
  return "";
}

std::vector<std::string> CommonNames(const X509_NAME* name) {
  std::vector<std::string> out;
  if (name == nullptr) return out;
  int index = -1;
  while ((index = X509_NAME_get_index_by_NID(name, NID_commonName, index)) >=
         0) {
    const ASN1_STRING* value =
        X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    if (value == nullptr) continue;
    uint8_t* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length >= 0) {
      out.push_back(Printable(
          absl::string_view(reinterpret_cast<const char*>(utf8), length)));
      OPENSSL_free(utf8);
    } else {
      out.push_back(Printable(AsView(value)));
    }
  }
  ERR_clear_error();
  return out;
}

void ReadSubjectAltNames(X509* cert, CertificateFacts* facts) {
  int critical = -1;
  bssl::UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  ERR_clear_error();
  if (names == nullptr) {
    // -1: no such extension; anything else: present but unusable
    // (undecodable, or repeated).
    facts->san_malformed = critical != -1;
    return;
  }
  for (const GENERAL_NAME* name : names.get()) {
    if (name->type == GEN_DNS && name->d.dNSName != nullptr) {
      facts->dns_names.push_back(Printable(AsView(name->d.dNSName)));
    }
  }
}

void ReadKey(X509* cert, CertificateFacts* facts) {
  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(cert));
  ERR_clear_error();
  if (key != nullptr) {
    const int id = EVP_PKEY_id(key.get());
    switch (id) {
      case EVP_PKEY_RSA: facts->key_type = "RSA"; break;
      case EVP_PKEY_RSA_PSS: facts->key_type = "RSA-PSS"; break;
      case EVP_PKEY_EC: facts->key_type = "EC"; break;
      case EVP_PKEY_DSA: facts->key_type = "DSA"; break;
      case EVP_PKEY_ED25519: facts->key_type = "Ed25519"; break;
      default: facts->key_type = OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "unknown";
    }
    // Ed25519 keys are 256-bit strings (as DkimKey.key_bits counts them);
    // EVP_PKEY_bits would say 253.
    facts->key_bits = id == EVP_PKEY_ED25519
                          ? 256
                          : static_cast<uint32_t>(EVP_PKEY_bits(key.get()));
    if (id == EVP_PKEY_EC) {
      const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key.get());
      const EC_GROUP* group = ec != nullptr ? EC_KEY_get0_group(ec) : nullptr;
      if (group != nullptr) {
        switch (EC_GROUP_get_curve_name(group)) {
          case NID_X9_62_prime256v1: facts->key_curve = "P-256"; break;
          case NID_secp384r1: facts->key_curve = "P-384"; break;
          case NID_secp521r1: facts->key_curve = "P-521"; break;
          case NID_secp224r1: facts->key_curve = "P-224"; break;
          default: facts->key_curve = "other"; break;
        }
      }
    }
    return;
  }
  ASN1_OBJECT* algorithm = nullptr;
  if (X509_PUBKEY_get0_param(&algorithm, nullptr, nullptr, nullptr,
                             X509_get_X509_PUBKEY(cert)) &&
      algorithm != nullptr) {
    const int nid = OBJ_obj2nid(algorithm);
    if (nid != NID_undef && OBJ_nid2sn(nid) != nullptr) {
      facts->key_type = OBJ_nid2sn(nid);
    } else {
      char oid[128];
      if (OBJ_obj2txt(oid, sizeof(oid), algorithm, /*always_return_oid=*/1) >
          0) {
        facts->key_type = oid;
      }
    }
  }
  if (facts->key_type.empty()) facts->key_type = "unknown";
  ERR_clear_error();
}

void ReadSignatureAlgorithm(X509* cert, CertificateFacts* facts) {
  const int nid = X509_get_signature_nid(cert);
  if (nid != NID_undef && OBJ_nid2ln(nid) != nullptr) {
    facts->signature_algorithm = OBJ_nid2ln(nid);
    return;
  }
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(nullptr, &algorithm, cert);
  const ASN1_OBJECT* oid = nullptr;
  if (algorithm != nullptr) X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
  char text[128];
  facts->signature_algorithm =
      oid != nullptr && OBJ_obj2txt(text, sizeof(text), oid, 1) > 0 ? text
                                                                    : "unknown";
  ERR_clear_error();
}

void ReadSpki(X509* cert, CertificateFacts* facts) {
  uint8_t* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (length > 0) {
    facts->spki_sha256 = Sha256Hex(absl::string_view(
        reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
  }
  OPENSSL_free(der);
  ERR_clear_error();
}

// The embedded SCT list extension (RFC 6962 section 3.3), found by OID:
// BoringSSL has no NID for it.
void ReadEmbeddedScts(X509* cert, CertificateFacts* facts) {
  const absl::string_view oid(reinterpret_cast<const char*>(kEmbeddedSctOid),
                              sizeof(kEmbeddedSctOid));
  for (int i = 0; i < X509_get_ext_count(cert); ++i) {
    X509_EXTENSION* extension = X509_get_ext(cert, i);
    const ASN1_OBJECT* object = X509_EXTENSION_get_object(extension);
    if (object == nullptr ||
        absl::string_view(reinterpret_cast<const char*>(OBJ_get0_data(object)),
                          OBJ_length(object)) != oid) {
      continue;
    }
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(extension);
    const std::optional<int> count =
        value == nullptr
            ? std::nullopt
            : CountEmbeddedScts(absl::string_view(
                  reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                  ASN1_STRING_length(value)));
    facts->sct_list_malformed = !count.has_value();
    facts->embedded_scts = count.value_or(0);
    return;
  }
}

}  // namespace

bool AsnTimeToEpoch(const ASN1_TIME* time, int64_t* out) {
  if (time == nullptr) return false;
  // Made once, then only read (by any thread).
  static const ASN1_TIME* const epoch = ASN1_TIME_set(nullptr, 0);
  int days = 0;
  int seconds = 0;
  const bool ok =
      epoch != nullptr && ASN1_TIME_diff(&days, &seconds, epoch, time) == 1;
  ERR_clear_error();
  if (!ok) return false;
  *out = int64_t{days} * 86400 + seconds;
  return true;
}

CertificateFacts DescribeCertificate(absl::string_view der, X509* cert) {
  CertificateFacts facts;
  facts.sha256 = Sha256Hex(der);
  if (cert == nullptr) return facts;
  facts.parsed = true;
  facts.subject = NameToString(X509_get_subject_name(cert));
  facts.issuer = NameToString(X509_get_issuer_name(cert));
  int64_t not_before = 0;
  int64_t not_after = 0;
  if (AsnTimeToEpoch(X509_get0_notBefore(cert), &not_before) &&
      AsnTimeToEpoch(X509_get0_notAfter(cert), &not_after)) {
    facts.not_before = not_before;
    facts.not_after = not_after;
    facts.validity_readable = true;
  }
  ReadSubjectAltNames(cert, &facts);
  facts.common_names = CommonNames(X509_get_subject_name(cert));
  ReadKey(cert, &facts);
  ReadSpki(cert, &facts);
  ReadSignatureAlgorithm(cert, &facts);
  ReadEmbeddedScts(cert, &facts);
  return facts;
}

void FillCertificate(const CertificateFacts& facts, absl::string_view der,
                     mxscan::Certificate* out) {
  out->set_sha256(facts.sha256);
  out->set_der(std::string(der));
  out->set_subject(facts.subject);
  out->set_issuer(facts.issuer);
  out->set_not_before(facts.not_before);
  out->set_not_after(facts.not_after);
  out->clear_dns_names();
  for (const std::string& name : facts.dns_names) out->add_dns_names(name);
  out->set_key_type(facts.key_type);
  out->set_key_bits(facts.key_bits);
}

}  // namespace mxscan::tls
