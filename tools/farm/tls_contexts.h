#ifndef MXSCAN_TOOLS_FARM_TLS_CONTEXTS_H_
#define MXSCAN_TOOLS_FARM_TLS_CONTEXTS_H_

#include <openssl/base.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/certs/cert_factory.h"
#include "tools/farm/behaviours.h"

namespace mxscan::farm {

// Credential is a certificate chain (leaf first, as sent) with its private
// key, ready for SSL_set_chain_and_key. Immutable once made; an SSL it was
// applied to holds its own references, so a Credential may be dropped
// while connections still use its certificates.
class Credential {
 public:
  Credential(std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> chain,
             bssl::UniquePtr<EVP_PKEY> key);

  // ApplyTo makes `ssl` present this chain; false only if BoringSSL fails.
  bool ApplyTo(SSL* ssl) const;
  size_t chain_length() const { return chain_.size(); }
  // The DER of certificate `i` (0 = leaf).
  absl::string_view Der(size_t i) const;

 private:
  std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> chain_;
  std::vector<CRYPTO_BUFFER*> raw_;  // chain_'s pointers, for BoringSSL
  bssl::UniquePtr<EVP_PKEY> key_;
};

// What a leaf certificate is like.
enum class LeafKind {
  kValid,           // for the names, issued by the intermediate
  kExpired,         // same, notAfter 30 days ago
  kSelfSigned,      // for the names, signed by its own key; chain of one
  kWrongName,       // valid, but for kWrongName only
  kNoIntermediate,  // valid, but sent without the intermediate
};

// The leaf kind an SMTP behaviour presents; false when the behaviour never
// completes a handshake (so that no certificate is made for it).
bool LeafKindFor(SmtpBehaviour behaviour, LeafKind* kind);

// TlsContexts is the farm's PKI and its TLS server contexts: a test root
// CA and one intermediate (ECDSA P-256, so that issuing thousands of leaves
// takes about a second), one RSA-2048 key shared by every leaf, and the
// SSL_CTXs the behaviours need. Contexts use TLS_with_buffers_method():
// each connection gets its chain with SSL_set_chain_and_key (Credential).
// The HTTPS context picks the leaf by SNI as the handshake runs, issuing
// (and caching) one for any new name. Lives on the farm's thread; the
// SSL_CTXs must not be used from elsewhere.
class TlsContexts {
 public:
  static constexpr char kWrongName[] = "wrong-name.farm.sim";
  // The name HTTPS serves when the client sends no usable SNI.
  static constexpr char kDefaultHttpsName[] = "mta-sts.farm.sim";

  // Keys to use instead of fresh ones, so that TLSA records can be
  // published for the farm before it starts (tools/sim/farm_keys).
  struct FixedKeys {
    std::optional<certs::PrivateKey> intermediate;  // must be P-256
    std::optional<certs::PrivateKey> leaf;
  };

  // Create makes the keys (but `fixed` ones), CA and intermediate; `now`
  // (seconds since the epoch) anchors every validity period.
  static absl::StatusOr<std::unique_ptr<TlsContexts>> Create(
      int64_t now, const FixedKeys& fixed = {});
  ~TlsContexts();

  // The root CA certificate in PEM (what the scanner's --ca-file takes).
  std::string RootPem() const;
  const certs::IssuedCert& root() const { return root_; }
  const certs::IssuedCert& intermediate() const { return intermediate_; }

  // The context for STARTTLS under `behaviour`: TLS 1.2–1.3, TLS 1.0 only
  // for tls10_only, TLS 1.0–1.3 for tls_any_version.
  SSL_CTX* SmtpContext(SmtpBehaviour behaviour) const;
  // The chain an SMTP server with these names presents; shared between
  // sites with the same kind and names.
  absl::StatusOr<std::shared_ptr<const Credential>> SmtpCredential(
      LeafKind kind, const std::vector<std::string>& names);

  // The context of the MTA-STS policy server (TLS 1.2–1.3, leaf by SNI).
  // `sites` (hosts whose leaf is expired) must outlive this object.
  SSL_CTX* HttpsContext() const { return https_.get(); }
  void SetHttpsSites(const std::map<std::string, HttpsSite>* sites) {
    https_sites_ = sites;
  }
  // The chain the policy server presents for `host`.
  absl::StatusOr<std::shared_ptr<const Credential>> HttpsCredential(
      const std::string& host);

 private:
  TlsContexts(int64_t now, certs::PrivateKey leaf_key, certs::IssuedCert root,
              certs::IssuedCert intermediate);
  absl::StatusOr<std::shared_ptr<const Credential>> MakeCredential(
      LeafKind kind, const std::vector<std::string>& names);
  static int SelectHttpsCertificate(SSL* ssl, void* arg);

  int64_t now_;
  certs::PrivateKey leaf_key_;
  certs::IssuedCert root_;
  certs::IssuedCert intermediate_;
  bssl::UniquePtr<CRYPTO_BUFFER> intermediate_buffer_;
  bssl::UniquePtr<SSL_CTX> modern_;
  bssl::UniquePtr<SSL_CTX> tls10_;
  bssl::UniquePtr<SSL_CTX> any_version_;
  bssl::UniquePtr<SSL_CTX> https_;
  const std::map<std::string, HttpsSite>* https_sites_ = nullptr;
  // Caches: by kind and names; by policy host (bounded, see .cc).
  absl::flat_hash_map<std::string, std::shared_ptr<const Credential>>
      smtp_credentials_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Credential>>
      https_credentials_;
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_TLS_CONTEXTS_H_
