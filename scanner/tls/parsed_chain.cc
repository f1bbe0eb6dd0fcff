#include "scanner/tls/parsed_chain.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::tls {

absl::StatusOr<bssl::UniquePtr<X509>> ParseCertificate(absl::string_view der) {
  if (der.empty()) return absl::InvalidArgumentError("empty certificate");
  if (der.size() > kMaxCertificateBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate of ", der.size(),
                     " bytes exceeds the limit of ", kMaxCertificateBytes));
  }
  const uint8_t* p = reinterpret_cast<const uint8_t*>(der.data());
  bssl::UniquePtr<X509> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
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
  ParsedChain chain;
  if (chain_der.empty()) {
    chain.error = "no certificate presented";
    return chain;
  }
  if (chain_der.size() > kMaxChainLength) {
    chain.error = absl::StrCat("certificate chain of ", chain_der.size(),
                               " certificates exceeds the limit of ",
                               kMaxChainLength);
  }
  const size_t n = std::min(chain_der.size(), kMaxChainLength);
  chain.certs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    absl::StatusOr<bssl::UniquePtr<X509>> cert = ParseCertificate(chain_der[i]);
    if (cert.ok()) {
      chain.certs.push_back(std::move(*cert));
      continue;
    }
    chain.certs.emplace_back();
    if (chain.error.empty()) {
      chain.error = absl::StrCat("certificate ", i, ": ", cert.status().message());
    }
  }
  return chain;
}

}  // namespace mxscan::tls
