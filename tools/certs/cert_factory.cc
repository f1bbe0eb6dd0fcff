#include "tools/certs/cert_factory.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bytestring.h>
#include <openssl/digest.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/obj.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::certs {
namespace {

absl::Status BoringError(absl::string_view what) {
  const uint32_t err = ERR_peek_last_error();
  const char* reason = ERR_reason_error_string(err);
  ERR_clear_error();
  return absl::InternalError(
      absl::StrCat(what, ": ", reason != nullptr ? reason : "failed"));
}

std::string BioContents(BIO* bio) {
  const uint8_t* data = nullptr;
  size_t length = 0;
  if (!BIO_mem_contents(bio, &data, &length)) return "";
  return std::string(reinterpret_cast<const char*>(data), length);
}

bssl::UniquePtr<EVP_PKEY> GenerateWithContext(int id, int rsa_bits) {
  bssl::UniquePtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_id(id, nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || !EVP_PKEY_keygen_init(ctx.get()) ||
      (rsa_bits > 0 &&
       !EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits)) ||
      !EVP_PKEY_keygen(ctx.get(), &raw)) {
    return nullptr;
  }
  return bssl::UniquePtr<EVP_PKEY>(raw);
}

bssl::UniquePtr<EVP_PKEY> GenerateP256() {
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  if (ec == nullptr || key == nullptr || !EC_KEY_generate_key(ec.get()) ||
      !EVP_PKEY_assign_EC_KEY(key.get(), ec.release())) {
    return nullptr;
  }
  return key;
}

// keyIdentifier per RFC 5280 section 4.2.1.2, method (1): SHA-1 of the
// subjectPublicKey BIT STRING.
bssl::UniquePtr<ASN1_OCTET_STRING> KeyIdentifier(const X509* cert) {
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  bssl::UniquePtr<ASN1_OCTET_STRING> id(ASN1_OCTET_STRING_new());
  if (id == nullptr ||
      !X509_pubkey_digest(cert, EVP_sha1(), digest, &length) ||
      !ASN1_OCTET_STRING_set(id.get(), digest, static_cast<int>(length))) {
    return nullptr;
  }
  return id;
}

absl::Status AddName(X509_NAME* name, int nid, absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  if (!X509_NAME_add_entry_by_NID(
          name, nid, MBSTRING_UTF8,
          reinterpret_cast<const uint8_t*>(value.data()),
          static_cast<int>(value.size()), -1, 0)) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode name attribute '", value, "'"));
  }
  return absl::OkStatus();
}

absl::Status AddExtensions(const CertSpec& spec, const PrivateKey& key,
                           X509* cert, const X509* issuer_cert) {
  bssl::UniquePtr<BASIC_CONSTRAINTS> constraints(BASIC_CONSTRAINTS_new());
  if (constraints == nullptr) return BoringError("BASIC_CONSTRAINTS_new");
  constraints->ca = spec.is_ca ? 0xFF : 0;
  if (spec.is_ca && spec.path_length >= 0) {
    constraints->pathlen = ASN1_INTEGER_new();
    if (constraints->pathlen == nullptr ||
        !ASN1_INTEGER_set(constraints->pathlen, spec.path_length)) {
      return BoringError("path length");
    }
  }
  if (!X509_add1_ext_i2d(cert, NID_basic_constraints, constraints.get(),
                         /*crit=*/1, X509V3_ADD_DEFAULT)) {
    return BoringError("basicConstraints");
  }

  bssl::UniquePtr<ASN1_BIT_STRING> usage(ASN1_BIT_STRING_new());
  if (usage == nullptr) return BoringError("ASN1_BIT_STRING_new");
  // Bit numbers of RFC 5280 section 4.2.1.3.
  constexpr int kDigitalSignature = 0, kKeyEncipherment = 2,
                kKeyCertSign = 5, kCrlSign = 6;
  bool usage_ok = true;
  if (spec.is_ca) {
    usage_ok = ASN1_BIT_STRING_set_bit(usage.get(), kKeyCertSign, 1) &&
               ASN1_BIT_STRING_set_bit(usage.get(), kCrlSign, 1);
  } else {
    usage_ok = ASN1_BIT_STRING_set_bit(usage.get(), kDigitalSignature, 1);
    const bool rsa = key.type() == KeyType::kRsa1024 ||
                     key.type() == KeyType::kRsa2048;
    if (rsa) {
      usage_ok = usage_ok &&
                 ASN1_BIT_STRING_set_bit(usage.get(), kKeyEncipherment, 1);
    }
  }
  if (!usage_ok || !X509_add1_ext_i2d(cert, NID_key_usage, usage.get(),
                                      /*crit=*/1, X509V3_ADD_DEFAULT)) {
    return BoringError("keyUsage");
  }

  if (!spec.is_ca && spec.server_auth) {
    bssl::UniquePtr<STACK_OF(ASN1_OBJECT)> eku(sk_ASN1_OBJECT_new_null());
    // OBJ_nid2obj returns a static object; freeing it later is a no-op.
    if (eku == nullptr ||
        !sk_ASN1_OBJECT_push(eku.get(), OBJ_nid2obj(NID_server_auth)) ||
        !X509_add1_ext_i2d(cert, NID_ext_key_usage, eku.get(), 0,
                           X509V3_ADD_DEFAULT)) {
      return BoringError("extendedKeyUsage");
    }
  }

  if (!spec.dns_names.empty()) {
    bssl::UniquePtr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
    if (names == nullptr) return BoringError("GENERAL_NAMES");
    for (const std::string& dns : spec.dns_names) {
      bssl::UniquePtr<GENERAL_NAME> name(GENERAL_NAME_new());
      bssl::UniquePtr<ASN1_IA5STRING> ia5(ASN1_IA5STRING_new());
      if (name == nullptr || ia5 == nullptr ||
          !ASN1_STRING_set(ia5.get(), dns.data(),
                           static_cast<int>(dns.size()))) {
        return BoringError("dNSName");
      }
      GENERAL_NAME_set0_value(name.get(), GEN_DNS, ia5.release());
      if (!sk_GENERAL_NAME_push(names.get(), name.get())) {
        return BoringError("dNSName");
      }
      name.release();  // now owned by `names`
    }
    if (!X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0,
                           X509V3_ADD_DEFAULT)) {
      return BoringError("subjectAltName");
    }
  }

  for (const auto& [oid_text, value] : spec.raw_extensions) {
    bssl::UniquePtr<ASN1_OBJECT> oid(
        OBJ_txt2obj(oid_text.c_str(), /*dont_search_names=*/1));
    bssl::UniquePtr<ASN1_OCTET_STRING> data(ASN1_OCTET_STRING_new());
    if (oid == nullptr || data == nullptr ||
        !ASN1_OCTET_STRING_set(data.get(),
                               reinterpret_cast<const uint8_t*>(value.data()),
                               static_cast<int>(value.size()))) {
      return BoringError(absl::StrCat("extension ", oid_text));
    }
    bssl::UniquePtr<X509_EXTENSION> extension(X509_EXTENSION_create_by_OBJ(
        nullptr, oid.get(), /*crit=*/0, data.get()));
    if (extension == nullptr || !X509_add_ext(cert, extension.get(), -1)) {
      return BoringError(absl::StrCat("extension ", oid_text));
    }
  }

  bssl::UniquePtr<ASN1_OCTET_STRING> subject_id = KeyIdentifier(cert);
  if (subject_id == nullptr ||
      !X509_add1_ext_i2d(cert, NID_subject_key_identifier, subject_id.get(),
                         0, X509V3_ADD_DEFAULT)) {
    return BoringError("subjectKeyIdentifier");
  }
  bssl::UniquePtr<AUTHORITY_KEYID> authority(AUTHORITY_KEYID_new());
  if (authority == nullptr) return BoringError("AUTHORITY_KEYID_new");
  authority->keyid = KeyIdentifier(issuer_cert).release();
  if (authority->keyid == nullptr ||
      !X509_add1_ext_i2d(cert, NID_authority_key_identifier, authority.get(),
                         0, X509V3_ADD_DEFAULT)) {
    return BoringError("authorityKeyIdentifier");
  }
  return absl::OkStatus();
}

uint64_t RandomSerial() {
  uint64_t serial = 0;
  while (serial == 0) {
    RAND_bytes(reinterpret_cast<uint8_t*>(&serial), sizeof(serial));
    serial &= ~(uint64_t{1} << 63);  // positive in any encoding
  }
  return serial;
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::Generate(KeyType type) {
  bssl::UniquePtr<EVP_PKEY> key;
  switch (type) {
    case KeyType::kRsa1024: key = GenerateWithContext(EVP_PKEY_RSA, 1024); break;
    case KeyType::kRsa2048: key = GenerateWithContext(EVP_PKEY_RSA, 2048); break;
    case KeyType::kEcP256: key = GenerateP256(); break;
    case KeyType::kEd25519: key = GenerateWithContext(EVP_PKEY_ED25519, 0); break;
  }
  if (key == nullptr) return BoringError("key generation");
  return PrivateKey(type, std::move(key));
}

absl::StatusOr<PrivateKey> PrivateKey::FromPem(absl::string_view pem) {
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  bssl::UniquePtr<EVP_PKEY> key(
      bio == nullptr
          ? nullptr
          : PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) return BoringError("reading a PEM private key");
  const int bits = EVP_PKEY_bits(key.get());
  switch (EVP_PKEY_id(key.get())) {
    case EVP_PKEY_RSA:
      if (bits == 1024) return PrivateKey(KeyType::kRsa1024, std::move(key));
      if (bits == 2048) return PrivateKey(KeyType::kRsa2048, std::move(key));
      break;
    case EVP_PKEY_EC:
      if (bits == 256) return PrivateKey(KeyType::kEcP256, std::move(key));
      break;
    case EVP_PKEY_ED25519:
      return PrivateKey(KeyType::kEd25519, std::move(key));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported private key (", bits,
                   " bits): RSA-1024, RSA-2048, P-256 or Ed25519"));
}

PrivateKey::PrivateKey(const PrivateKey& other)
    : type_(other.type_), key_(bssl::UpRef(other.key_)) {}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) {
    type_ = other.type_;
    key_ = bssl::UpRef(other.key_);
  }
  return *this;
}

std::string PrivateKey::ToPem() const {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      !PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr,
                                     0, nullptr, nullptr)) {
    ERR_clear_error();
    return "";
  }
  return BioContents(bio.get());
}

std::string PrivateKey::PublicKeyDer() const {
  uint8_t* der = nullptr;
  const int length = i2d_PUBKEY(key_.get(), &der);
  if (length <= 0) {
    ERR_clear_error();
    return "";
  }
  bssl::UniquePtr<uint8_t> owner(der);
  return std::string(reinterpret_cast<const char*>(der), length);
}

CertSpec CaSpec(absl::string_view common_name, int64_t not_before,
                int64_t not_after) {
  CertSpec spec;
  spec.common_name = std::string(common_name);
  spec.organization = "mxscan test PKI";
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.is_ca = true;
  return spec;
}

CertSpec LeafSpec(std::vector<std::string> dns_names, int64_t not_before,
                  int64_t not_after) {
  CertSpec spec;
  if (!dns_names.empty()) spec.common_name = dns_names[0];
  spec.dns_names = std::move(dns_names);
  spec.not_before = not_before;
  spec.not_after = not_after;
  return spec;
}

IssuedCert::IssuedCert(const IssuedCert& other)
    : cert_(bssl::UpRef(other.cert_)), der_(other.der_), key_(other.key_) {}

IssuedCert& IssuedCert::operator=(const IssuedCert& other) {
  if (this != &other) {
    cert_ = bssl::UpRef(other.cert_);
    der_ = other.der_;
    key_ = other.key_;
  }
  return *this;
}

std::string IssuedCert::Pem() const {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || !PEM_write_bio_X509(bio.get(), cert_.get())) {
    ERR_clear_error();
    return "";
  }
  return BioContents(bio.get());
}

absl::StatusOr<IssuedCert> IssueCertificate(const CertSpec& spec,
                                            const PrivateKey& subject_key,
                                            const IssuedCert* issuer) {
  bssl::UniquePtr<X509> cert(X509_new());
  if (cert == nullptr) return BoringError("X509_new");
  const uint64_t serial = spec.serial != 0 ? spec.serial : RandomSerial();
  if (!X509_set_version(cert.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial) ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                     static_cast<time_t>(spec.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                     static_cast<time_t>(spec.not_after)) ||
      !X509_set_pubkey(cert.get(), subject_key.get())) {
    return BoringError("certificate fields");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (auto [nid, value] : {std::pair<int, const std::string*>{
                                NID_organizationName, &spec.organization},
                            {NID_commonName, &spec.common_name}}) {
    if (absl::Status status = AddName(subject, nid, *value); !status.ok()) {
      return status;
    }
  }
  const X509* issuer_cert = issuer != nullptr ? issuer->x509() : cert.get();
  const PrivateKey& signer = issuer != nullptr ? issuer->key() : subject_key;
  if (!X509_set_issuer_name(cert.get(),
                            X509_get_subject_name(issuer_cert))) {
    return BoringError("issuer name");
  }
  if (absl::Status status =
          AddExtensions(spec, subject_key, cert.get(), issuer_cert);
      !status.ok()) {
    return status;
  }
  const EVP_MD* digest =
      signer.type() == KeyType::kEd25519 ? nullptr : EVP_sha256();
  if (!X509_sign(cert.get(), signer.get(), digest)) {
    return BoringError("X509_sign");
  }
  uint8_t* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  if (length <= 0) return BoringError("i2d_X509");
  bssl::UniquePtr<uint8_t> owner(der);
  return IssuedCert(std::move(cert),
                    std::string(reinterpret_cast<const char*>(der), length),
                    subject_key);
}

std::vector<std::string> ChainDer(
    std::initializer_list<const IssuedCert*> chain) {
  std::vector<std::string> out;
  out.reserve(chain.size());
  for (const IssuedCert* cert : chain) out.push_back(cert->der());
  return out;
}

std::string ChainPem(std::initializer_list<const IssuedCert*> chain) {
  std::string out;
  for (const IssuedCert* cert : chain) out += cert->Pem();
  return out;
}

}  // namespace mxscan::certs
