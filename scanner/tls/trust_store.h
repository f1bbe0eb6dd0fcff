#ifndef MXSCAN_SCANNER_TLS_TRUST_STORE_H_
#define MXSCAN_SCANNER_TLS_TRUST_STORE_H_

#include <openssl/base.h>
#include <openssl/x509.h>  // X509_STORE's deleter

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::tls {

// Debian's bundle of the roots ca-certificates trusts; --ca-file's
// default.
inline constexpr char kDefaultCaFile[] = "/etc/ssl/certs/ca-certificates.crt";

// TrustStore holds the root certificates a chain must lead to. It is built
// once at start-up and never changes afterwards, so one instance is shared
// read-only by every worker thread (hand out the shared_ptr).
class TrustStore {
 public:
  // LoadFile reads a PEM bundle (concatenated "CERTIFICATE" blocks; text
  // between blocks and other block types such as keys are skipped, as
  // BoringSSL's PEM reader does). Fails with NotFound when the file cannot
  // be opened, and InvalidArgument when it is larger than 64 MiB, holds no
  // certificate, or a CERTIFICATE block does not decode (the message
  // names the file and the block's number). Duplicates are stored once.
  static absl::StatusOr<std::shared_ptr<const TrustStore>> LoadFile(
      const std::string& path);

  // FromPem is LoadFile on bytes already in memory; `origin` names them in
  // error messages.
  static absl::StatusOr<std::shared_ptr<const TrustStore>> FromPem(
      absl::string_view pem, absl::string_view origin = "PEM");

  // FromDer trusts the given DER certificates. InvalidArgument when the
  // list is empty or one does not parse.
  static absl::StatusOr<std::shared_ptr<const TrustStore>> FromDer(
      absl::Span<const std::string> certs_der);

  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // The number of distinct certificates.
  size_t size() const { return size_; }

  // The BoringSSL store, for X509_STORE_CTX_init only: verification reads
  // it under its own lock, which makes concurrent use from many threads
  // safe. Never modify it. Owned by this object. Each certificate in it
  // carries the SHA-256 of its DER (RecordedSha256, parsed_chain.h).
  X509_STORE* x509_store() const { return store_.get(); }

  // The same certificates (the same objects) in a store with
  // EnableSignatureMemo (chain_verifier.h), for VerifyChain with a
  // SignatureMemo only; shared and read-only like the other.
  X509_STORE* x509_store_with_memo() const { return memo_store_.get(); }

 private:
  friend class StoreBuilder;
  TrustStore(bssl::UniquePtr<X509_STORE> store,
             bssl::UniquePtr<X509_STORE> memo_store, size_t size)
      : store_(std::move(store)),
        memo_store_(std::move(memo_store)),
        size_(size) {}

  bssl::UniquePtr<X509_STORE> store_;
  bssl::UniquePtr<X509_STORE> memo_store_;
  size_t size_;
};

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_TRUST_STORE_H_
