#ifndef MXSCAN_TOOLS_CERTS_CERT_FACTORY_H_
#define MXSCAN_TOOLS_CERTS_CERT_FACTORY_H_

// A test PKI made with BoringSSL at start-up: keys, CAs, intermediates and
// server certificates with chosen names and validity periods, as DER and
// PEM. Nothing is checked in: tests and the SMTP/HTTPS farm generate what
// they need when they start. Keys are the slow part (RSA-2048 takes about
// 100 ms, P-256 well under 1 ms): generate a few and reuse them for many
// certificates.
//
// Everything here is for tests and simulations: the keys are real, so
// never use them for anything else.

#include <openssl/base.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::certs {

enum class KeyType { kRsa1024, kRsa2048, kEcP256, kEd25519 };

// A private key. Copies share the one BoringSSL key (reference counted);
// a key is immutable once generated, so copies may be used from several
// threads.
class PrivateKey {
 public:
  // Generate makes a fresh random key. Fails only if BoringSSL does.
  static absl::StatusOr<PrivateKey> Generate(KeyType type);
  // FromPem reads a PEM private key (PKCS#8 or traditional) of one of the
  // KeyTypes; anything else is an error.
  static absl::StatusOr<PrivateKey> FromPem(absl::string_view pem);

  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);
  PrivateKey(PrivateKey&&) = default;
  PrivateKey& operator=(PrivateKey&&) = default;

  KeyType type() const { return type_; }
  // The BoringSSL key, owned by this object (and its copies).
  EVP_PKEY* get() const { return key_.get(); }
  // PKCS#8 "-----BEGIN PRIVATE KEY-----" PEM; empty only if out of memory.
  std::string ToPem() const;
  // The DER SubjectPublicKeyInfo; empty only if out of memory.
  std::string PublicKeyDer() const;

 private:
  PrivateKey(KeyType type, bssl::UniquePtr<EVP_PKEY> key)
      : type_(type), key_(std::move(key)) {}

  KeyType type_;
  bssl::UniquePtr<EVP_PKEY> key_;
};

// What to put in a certificate. Times are seconds since the epoch.
struct CertSpec {
  std::string common_name;   // subject CN; empty: none
  std::string organization;  // subject O; empty: none
  // subjectAltName dNSName entries, written byte for byte (wildcards and
  // malformed names too); empty: no subjectAltName extension at all.
  std::vector<std::string> dns_names;
  int64_t not_before = 0;
  int64_t not_after = 0;
  // basicConstraints CA:TRUE with keyUsage keyCertSign/cRLSign;
  // otherwise CA:FALSE with digitalSignature (+keyEncipherment for RSA).
  bool is_ca = false;
  int path_length = -1;  // CA only; -1: no limit
  // extendedKeyUsage serverAuth (end-entity certificates only).
  bool server_auth = true;
  uint64_t serial = 0;  // 0: random
  // Further non-critical extensions, byte for byte: the dotted OID and the
  // extnValue contents (DER), e.g. an embedded SCT list (RFC 6962).
  std::vector<std::pair<std::string, std::string>> raw_extensions;
};

// CaSpec and LeafSpec fill the usual fields: a CA named `common_name`
// (O=mxscan test PKI); a server certificate whose CN is the first name and
// whose subjectAltName holds all of `dns_names`.
CertSpec CaSpec(absl::string_view common_name, int64_t not_before,
                int64_t not_after);
CertSpec LeafSpec(std::vector<std::string> dns_names, int64_t not_before,
                  int64_t not_after);

// A certificate together with its private key. Copies share both.
class IssuedCert {
 public:
  IssuedCert(const IssuedCert& other);
  IssuedCert& operator=(const IssuedCert& other);
  IssuedCert(IssuedCert&&) = default;
  IssuedCert& operator=(IssuedCert&&) = default;

  const std::string& der() const { return der_; }
  // "-----BEGIN CERTIFICATE-----" PEM.
  std::string Pem() const;
  // Owned by this object (and its copies); do not modify.
  X509* x509() const { return cert_.get(); }
  const PrivateKey& key() const { return key_; }

 private:
  friend absl::StatusOr<IssuedCert> IssueCertificate(const CertSpec&,
                                                     const PrivateKey&,
                                                     const IssuedCert*);
  IssuedCert(bssl::UniquePtr<X509> cert, std::string der, PrivateKey key)
      : cert_(std::move(cert)), der_(std::move(der)), key_(std::move(key)) {}

  bssl::UniquePtr<X509> cert_;
  std::string der_;
  PrivateKey key_;
};

// IssueCertificate makes a certificate for `subject_key` as `spec` says,
// signed by `issuer` (its key; its subject becomes our issuer), or
// self-signed when `issuer` is null. SHA-256 signatures (none for
// Ed25519); subject and authority key identifiers included. Fails with
// InvalidArgument when the spec cannot be encoded, Internal when BoringSSL
// fails.
absl::StatusOr<IssuedCert> IssueCertificate(const CertSpec& spec,
                                            const PrivateKey& subject_key,
                                            const IssuedCert* issuer);

// ChainDer lists the DER of `chain` in order (leaf first, as a server
// presents it); ChainPem concatenates their PEM, the form servers load.
std::vector<std::string> ChainDer(
    std::initializer_list<const IssuedCert*> chain);
std::string ChainPem(std::initializer_list<const IssuedCert*> chain);

}  // namespace mxscan::certs

#endif  // MXSCAN_TOOLS_CERTS_CERT_FACTORY_H_
