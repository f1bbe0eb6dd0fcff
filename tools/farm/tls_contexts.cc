#include "tools/farm/tls_contexts.h"

#include <openssl/err.h>

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mxscan::farm {
namespace {

constexpr int64_t kDay = 24 * 3600;
// Policy hosts are issued on demand; past this many the cache starts over.
constexpr size_t kMaxHttpsCredentials = 100000;

bssl::UniquePtr<CRYPTO_BUFFER> Buffer(const std::string& der) {
  return bssl::UniquePtr<CRYPTO_BUFFER>(CRYPTO_BUFFER_new(
      reinterpret_cast<const uint8_t*>(der.data()), der.size(), nullptr));
}

bssl::UniquePtr<SSL_CTX> NewServerContext(uint16_t min_version,
                                          uint16_t max_version) {
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_with_buffers_method()));
  if (ctx == nullptr ||
      !SSL_CTX_set_min_proto_version(ctx.get(), min_version) ||
      !SSL_CTX_set_max_proto_version(ctx.get(), max_version)) {
    ERR_clear_error();
    return nullptr;
  }
  // No server-side session cache (memory stays bounded); tickets still
  // allow resumption, limited to the same address by the session context
  // each connection sets (tls_server_session.h).
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  return ctx;
}

// A name the policy server will issue a certificate for.
bool IsIssuableName(absl::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' ||
      name.back() == '.') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' ||
           c == '.';
  });
}

}  // namespace

Credential::Credential(std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> chain,
                       bssl::UniquePtr<EVP_PKEY> key)
    : chain_(std::move(chain)), key_(std::move(key)) {
  for (const auto& buffer : chain_) raw_.push_back(buffer.get());
}

bool Credential::ApplyTo(SSL* ssl) const {
  return SSL_set_chain_and_key(ssl, raw_.data(), raw_.size(), key_.get(),
                               nullptr) == 1;
}

absl::string_view Credential::Der(size_t i) const {
  const CRYPTO_BUFFER* b = chain_.at(i).get();
  return absl::string_view(reinterpret_cast<const char*>(CRYPTO_BUFFER_data(b)),
                           CRYPTO_BUFFER_len(b));
}

bool LeafKindFor(SmtpBehaviour behaviour, LeafKind* kind) {
  switch (behaviour) {
    case SmtpBehaviour::kNoStarttls:
    case SmtpBehaviour::kStarttlsRefused:
    case SmtpBehaviour::kDefer421:
    case SmtpBehaviour::kSilent:
    case SmtpBehaviour::kEndlessLine:
    case SmtpBehaviour::kGarbageTls:
    case SmtpBehaviour::kEhlo502:
      return false;
    case SmtpBehaviour::kExpired:
      *kind = LeafKind::kExpired;
      return true;
    case SmtpBehaviour::kSelfSigned:
      *kind = LeafKind::kSelfSigned;
      return true;
    case SmtpBehaviour::kWrongName:
      *kind = LeafKind::kWrongName;
      return true;
    case SmtpBehaviour::kMissingIntermediate:
      *kind = LeafKind::kNoIntermediate;
      return true;
    default:
      *kind = LeafKind::kValid;
      return true;
  }
}

TlsContexts::TlsContexts(int64_t now, certs::PrivateKey leaf_key,
                         certs::IssuedCert root, certs::IssuedCert intermediate)
    : now_(now),
      leaf_key_(std::move(leaf_key)),
      root_(std::move(root)),
      intermediate_(std::move(intermediate)) {}

TlsContexts::~TlsContexts() = default;

absl::StatusOr<std::unique_ptr<TlsContexts>> TlsContexts::Create(
    int64_t now, const FixedKeys& fixed) {
  // The root signs once; the intermediate signs every leaf, so both are
  // P-256 (an ECDSA signature costs tens of microseconds, RSA-2048 about a
  // millisecond). Leaves carry the usual RSA-2048 key.
  absl::StatusOr<certs::PrivateKey> ca_key =
      certs::PrivateKey::Generate(certs::KeyType::kEcP256);
  if (!ca_key.ok()) return ca_key.status();
  if (fixed.intermediate.has_value() &&
      fixed.intermediate->type() != certs::KeyType::kEcP256) {
    return absl::InvalidArgumentError("the intermediate key must be P-256");
  }
  absl::StatusOr<certs::PrivateKey> intermediate_key =
      fixed.intermediate.has_value()
          ? *fixed.intermediate
          : certs::PrivateKey::Generate(certs::KeyType::kEcP256);
  if (!intermediate_key.ok()) return intermediate_key.status();
  absl::StatusOr<certs::PrivateKey> leaf_key =
      fixed.leaf.has_value()
          ? *fixed.leaf
          : certs::PrivateKey::Generate(certs::KeyType::kRsa2048);
  if (!leaf_key.ok()) return leaf_key.status();

  absl::StatusOr<certs::IssuedCert> root = certs::IssueCertificate(
      certs::CaSpec("mxscan farm root CA", now - 730 * kDay, now + 3650 * kDay),
      *ca_key, nullptr);
  if (!root.ok()) return root.status();
  certs::CertSpec intermediate_spec = certs::CaSpec(
      "mxscan farm intermediate CA", now - 730 * kDay, now + 3650 * kDay);
  intermediate_spec.path_length = 0;
  absl::StatusOr<certs::IssuedCert> intermediate =
      certs::IssueCertificate(intermediate_spec, *intermediate_key, &*root);
  if (!intermediate.ok()) return intermediate.status();

  std::unique_ptr<TlsContexts> self(new TlsContexts(
      now, *std::move(leaf_key), *std::move(root), *std::move(intermediate)));
  self->intermediate_buffer_ = Buffer(self->intermediate_.der());
  self->modern_ = NewServerContext(TLS1_2_VERSION, TLS1_3_VERSION);
  // BoringSSL still implements TLS 1.0 on both sides; it is only off by
  // default in some builds, so it is asked for explicitly.
  self->tls10_ = NewServerContext(TLS1_VERSION, TLS1_VERSION);
  self->any_version_ = NewServerContext(TLS1_VERSION, TLS1_3_VERSION);
  self->https_ = NewServerContext(TLS1_2_VERSION, TLS1_3_VERSION);
  if (self->intermediate_buffer_ == nullptr || self->modern_ == nullptr ||
      self->tls10_ == nullptr || self->any_version_ == nullptr ||
      self->https_ == nullptr) {
    return absl::InternalError("cannot create the TLS server contexts");
  }
  SSL_CTX_set_cert_cb(self->https_.get(), &TlsContexts::SelectHttpsCertificate,
                      self.get());
  return self;
}

std::string TlsContexts::RootPem() const { return root_.Pem(); }

SSL_CTX* TlsContexts::SmtpContext(SmtpBehaviour behaviour) const {
  switch (behaviour) {
    case SmtpBehaviour::kTls10Only:
      return tls10_.get();
    case SmtpBehaviour::kTlsAnyVersion:
      return any_version_.get();
    default:
      return modern_.get();
  }
}

absl::StatusOr<std::shared_ptr<const Credential>> TlsContexts::MakeCredential(
    LeafKind kind, const std::vector<std::string>& names) {
  std::vector<std::string> leaf_names = names;
  if (kind == LeafKind::kWrongName) leaf_names = {kWrongName};
  const int64_t not_before =
      kind == LeafKind::kExpired ? now_ - 400 * kDay : now_ - kDay;
  const int64_t not_after =
      kind == LeafKind::kExpired ? now_ - 30 * kDay : now_ + 365 * kDay;
  const certs::CertSpec spec =
      certs::LeafSpec(std::move(leaf_names), not_before, not_after);
  absl::StatusOr<certs::IssuedCert> leaf = certs::IssueCertificate(
      spec, leaf_key_,
      kind == LeafKind::kSelfSigned ? nullptr : &intermediate_);
  if (!leaf.ok()) return leaf.status();

  std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> chain;
  chain.push_back(Buffer(leaf->der()));
  if (kind != LeafKind::kSelfSigned && kind != LeafKind::kNoIntermediate) {
    chain.push_back(bssl::UpRef(intermediate_buffer_));
  }
  if (chain.front() == nullptr) return absl::InternalError("CRYPTO_BUFFER_new");
  return std::make_shared<const Credential>(std::move(chain),
                                            bssl::UpRef(leaf_key_.get()));
}

absl::StatusOr<std::shared_ptr<const Credential>> TlsContexts::SmtpCredential(
    LeafKind kind, const std::vector<std::string>& names) {
  // Every wrong-name server shares one leaf.
  const std::string key = kind == LeafKind::kWrongName
                              ? std::string("wrong")
                              : absl::StrCat(static_cast<int>(kind), "|",
                                             absl::StrJoin(names, ","));
  auto it = smtp_credentials_.find(key);
  if (it != smtp_credentials_.end()) return it->second;
  absl::StatusOr<std::shared_ptr<const Credential>> made =
      MakeCredential(kind, names);
  if (made.ok()) smtp_credentials_.emplace(key, *made);
  return made;
}

absl::StatusOr<std::shared_ptr<const Credential>> TlsContexts::HttpsCredential(
    const std::string& host) {
  auto it = https_credentials_.find(host);
  if (it != https_credentials_.end()) return it->second;
  LeafKind kind = LeafKind::kValid;
  if (https_sites_ != nullptr) {
    auto site = https_sites_->find(host);
    if (site != https_sites_->end() &&
        site->second.behaviour == HttpsBehaviour::kExpired) {
      kind = LeafKind::kExpired;
    }
  }
  absl::StatusOr<std::shared_ptr<const Credential>> made =
      MakeCredential(kind, {host});
  if (!made.ok()) return made;
  if (https_credentials_.size() >= kMaxHttpsCredentials) {
    https_credentials_.clear();
  }
  https_credentials_.emplace(host, *made);
  return made;
}

int TlsContexts::SelectHttpsCertificate(SSL* ssl, void* arg) {
  auto* self = static_cast<TlsContexts*>(arg);
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  std::string host = sni != nullptr ? absl::AsciiStrToLower(sni) : "";
  if (!IsIssuableName(host)) host = kDefaultHttpsName;
  absl::StatusOr<std::shared_ptr<const Credential>> credential =
      self->HttpsCredential(host);
  return credential.ok() && (*credential)->ApplyTo(ssl) ? 1 : 0;
}

}  // namespace mxscan::farm
