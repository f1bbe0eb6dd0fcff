#include "scanner/tls/parsed_chain.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::tls {
namespace {

void FreeRecordedSha256(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/,
                        int /*index*/, long /*argl*/, void* /*argp*/) {
  delete static_cast<std::string*>(ptr);
}

// The ex_data index of the recorded digest, allocated once per process.
int Sha256Index() {
  static const int index =
      X509_get_ex_new_index(0, nullptr, nullptr, nullptr, FreeRecordedSha256);
  return index;
}

}  // namespace

absl::StatusOr<bssl::UniquePtr<X509>> ParseCertificate(absl::string_view der) {
  if (der.empty()) return absl::InvalidArgumentError("empty certificate");
  if (der.size() > kMaxCertificateBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate of ", der.size(),
                     " bytes exceeds the limit of ", kMaxCertificateBytes));
  }
  const uint8_t* p = reinterpret_cast<const uint8_t*>(der.data());
  bssl::UniquePtr<X509> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError("not a DER certificate");
  }
  const size_t used = p - reinterpret_cast<const uint8_t*>(der.data());
  if (used != der.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(der.size() - used, " bytes after the certificate"));
  }
  return cert;
}

std::vector<X509*> ParsedChain::Intermediates() const {
  std::vector<X509*> out;
  for (size_t i = 1; i < certs.size(); ++i) {
    if (certs[i] != nullptr) out.push_back(certs[i].get());
  }
  return out;
}

ParsedChain ParseChain(absl::Span<const std::string> chain_der) {
  return ParseChain(chain_der, [](size_t, absl::string_view der) {
    return ParseCertificate(der);
  });
}

ParsedChain ParseChain(absl::Span<const std::string> chain_der,
                       CertificateParser parse) {
  ParsedChain chain;
  if (chain_der.empty()) {
    chain.error = "no certificate presented";
    return chain;
  }
  if (chain_der.size() > kMaxChainLength) {
    chain.error =
        absl::StrCat("certificate chain of ", chain_der.size(),
                     " certificates exceeds the limit of ", kMaxChainLength);
  }
  const size_t n = std::min(chain_der.size(), kMaxChainLength);
  chain.certs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    absl::StatusOr<bssl::UniquePtr<X509>> cert = parse(i, chain_der[i]);
    if (cert.ok()) {
      chain.certs.push_back(std::move(*cert));
      continue;
    }
    chain.certs.emplace_back();
    if (chain.error.empty()) {
      chain.error =
          absl::StrCat("certificate ", i, ": ", cert.status().message());
    }
  }
  return chain;
}

bool RecordSha256(X509* cert, absl::string_view sha256) {
  const int index = Sha256Index();
  if (index < 0) return false;
  auto* old = static_cast<std::string*>(X509_get_ex_data(cert, index));
  auto* copy = new std::string(sha256);
  if (!X509_set_ex_data(cert, index, copy)) {
    delete copy;
    ERR_clear_error();
    return false;
  }
  delete old;
  return true;
}

absl::string_view RecordedSha256(X509* cert) {
  const int index = Sha256Index();
  const auto* sha256 =
      index < 0
          ? nullptr
          : static_cast<const std::string*>(X509_get_ex_data(cert, index));
  return sha256 != nullptr ? absl::string_view(*sha256) : absl::string_view();
}

}  // namespace mxscan::tls
