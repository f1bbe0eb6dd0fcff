#include "scanner/tls/trust_store.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "scanner/tls/chain_verifier.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/parsed_chain.h"

namespace mxscan::tls {
namespace {

constexpr size_t kMaxBundleBytes = 64 << 20;

std::string LastErrorText() {
  const uint32_t err = ERR_peek_last_error();
  const char* reason = ERR_reason_error_string(err);
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

bool IsEndOfPem() {
  const uint32_t err = ERR_peek_last_error();
  return ERR_GET_LIB(err) == ERR_LIB_PEM &&
         ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
}

std::string DerOf(X509* cert) {
  uint8_t* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length < 0) return "";
  std::string out(reinterpret_cast<const char*>(der), length);
  OPENSSL_free(der);
  return out;
}

}  // namespace

// Collects distinct certificates into two new X509_STOREs, the second
// with EnableSignatureMemo.
class StoreBuilder {
 public:
  StoreBuilder() : store_(X509_STORE_new()), memo_store_(X509_STORE_new()) {
    if (memo_store_ != nullptr) EnableSignatureMemo(memo_store_.get());
  }

  absl::Status Add(X509* cert) {
    if (store_ == nullptr || memo_store_ == nullptr) {
      return absl::ResourceExhaustedError("out of memory");
    }
    std::string sha256 = Sha256(DerOf(cert));
    if (seen_.contains(sha256)) return absl::OkStatus();
    // The store keeps this very object: its digest lets SignatureMemo
    // (chain_verifier.h) know it by its bytes.
    if (!RecordSha256(cert, sha256)) {
      return absl::ResourceExhaustedError("out of memory");
    }
    seen_.insert(std::move(sha256));
    if (!X509_STORE_add_cert(store_.get(), cert) ||
        !X509_STORE_add_cert(memo_store_.get(), cert)) {
      return absl::InternalError(
          absl::StrCat("X509_STORE_add_cert: ", LastErrorText()));
    }
    return absl::OkStatus();
  }

  size_t size() const { return seen_.size(); }

  std::shared_ptr<const TrustStore> Build() {
    return std::shared_ptr<const TrustStore>(
        new TrustStore(std::move(store_), std::move(memo_store_), size()));
  }

 private:
  bssl::UniquePtr<X509_STORE> store_;
  bssl::UniquePtr<X509_STORE> memo_store_;
  absl::flat_hash_set<std::string> seen_;
};

absl::StatusOr<std::shared_ptr<const TrustStore>> TrustStore::LoadFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open CA file ", path, ": ", std::strerror(errno)));
  }
  std::string pem;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    pem.append(buffer, static_cast<size_t>(in.gcount()));
    if (pem.size() > kMaxBundleBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CA file ", path, " is larger than ", kMaxBundleBytes, " bytes"));
    }
  }
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read CA file ", path));
  }
  return FromPem(pem, absl::StrCat("CA file ", path));
}

absl::StatusOr<std::shared_ptr<const TrustStore>> TrustStore::FromPem(
    absl::string_view pem, absl::string_view origin) {
  if (pem.size() > kMaxBundleBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, " is larger than ", kMaxBundleBytes, " bytes"));
  }
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  if (bio == nullptr) return absl::ResourceExhaustedError("out of memory");
  StoreBuilder builder;
  ERR_clear_error();
  for (size_t block = 1;; ++block) {
    bssl::UniquePtr<X509> cert(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert == nullptr) {
      if (IsEndOfPem()) {
        ERR_clear_error();
        break;
      }
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": certificate block ", block,
                       " does not decode: ", LastErrorText()));
    }
    if (absl::Status status = builder.Add(cert.get()); !status.ok()) {
      return status;
    }
  }
  if (builder.size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, " holds no PEM certificate"));
  }
  return builder.Build();
}

absl::StatusOr<std::shared_ptr<const TrustStore>> TrustStore::FromDer(
    absl::Span<const std::string> certs_der) {
  if (certs_der.empty()) {
    return absl::InvalidArgumentError("no trusted certificate given");
  }
  StoreBuilder builder;
  for (size_t i = 0; i < certs_der.size(); ++i) {
    absl::StatusOr<bssl::UniquePtr<X509>> cert = ParseCertificate(certs_der[i]);
    if (!cert.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "trusted certificate ", i, ": ", cert.status().message()));
    }
    if (absl::Status status = builder.Add(cert->get()); !status.ok()) {
      return status;
    }
  }
  return builder.Build();
}

}  // namespace mxscan::tls
