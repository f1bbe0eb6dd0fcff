#include "scanner/tls/certificate_judge.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "scanner/tls/digest.h"
#include "scanner/tls/hostname_match.h"
#include "scanner/tls/parsed_chain.h"

namespace mxscan::tls {

IssuerCache::IssuerCache(size_t max_certificates, size_t max_bytes,
                         size_t max_signatures)
    : max_certificates_(max_certificates),
      max_bytes_(max_bytes),
      signatures_(max_signatures) {}

absl::StatusOr<bssl::UniquePtr<X509>> IssuerCache::Parse(
    absl::string_view der, CertificateFacts* facts) {
  if (auto it = index_.find(der); it != index_.end()) {
    ++hits_;
    lru_.splice(lru_.begin(), lru_, it->second);
    *facts = it->second->facts;
    X509_up_ref(it->second->cert.get());
    return bssl::UniquePtr<X509>(it->second->cert.get());
  }
  ++misses_;
  absl::StatusOr<bssl::UniquePtr<X509>> cert = ParseCertificate(der);
  if (!cert.ok()) return cert;
  *facts = DescribeCertificate(der, cert->get());
  if (der.size() > max_bytes_ || max_certificates_ == 0 ||
      !RecordSha256(cert->get(), Sha256(der))) {
    return cert;
  }
  while (!lru_.empty() && (index_.size() >= max_certificates_ ||
                           bytes_ + der.size() > max_bytes_)) {
    bytes_ -= lru_.back().der.size();
    index_.erase(lru_.back().der);
    lru_.pop_back();
  }
  X509_up_ref(cert->get());
  lru_.push_front(
      Entry{std::string(der), bssl::UniquePtr<X509>(cert->get()), *facts});
  index_.emplace(lru_.front().der, lru_.begin());
  bytes_ += der.size();
  return cert;
}

CertificateVerdict JudgeCertificateChain(
    const TrustStore& trust, absl::Span<const std::string> chain_der,
    absl::string_view host, int64_t scan_time) {
  return JudgeCertificateChain(trust, chain_der, host, scan_time, nullptr);
}

CertificateVerdict JudgeCertificateChain(
    const TrustStore& trust, absl::Span<const std::string> chain_der,
    absl::string_view host, int64_t scan_time, IssuerCache* cache) {
  CertificateVerdict verdict;
  // Facts of the certificates the cache described, by position.
  std::vector<std::optional<CertificateFacts>> cached(
      cache != nullptr ? std::min(chain_der.size(), kMaxChainLength) : 0);
  const ParsedChain chain =
      cache == nullptr
          ? ParseChain(chain_der)
          : ParseChain(chain_der,
                       [cache, &cached](size_t i, absl::string_view der)
                           -> absl::StatusOr<bssl::UniquePtr<X509>> {
                         // Each leaf is new: only what follows it is shared.
                         if (i == 0) return ParseCertificate(der);
                         return cache->Parse(der, &cached[i].emplace());
                       });
  verdict.certificates.reserve(chain.certs.size());
  for (size_t i = 0; i < chain.certs.size(); ++i) {
    if (chain.certs[i] != nullptr && i < cached.size() && cached[i]) {
      verdict.certificates.push_back(std::move(*cached[i]));
    } else {
      verdict.certificates.push_back(
          DescribeCertificate(chain_der[i], chain.certs[i].get()));
    }
  }

  if (const CertificateFacts* leaf = verdict.leaf();
      leaf != nullptr && leaf->parsed) {
    verdict.expired = leaf->validity_readable && leaf->not_after < scan_time;
    verdict.hostname_match =
        !leaf->san_malformed &&
        HostnameMatches(leaf->dns_names, leaf->common_names, host);
  }

  if (!chain.error.empty()) {
    verdict.verify_error = chain.error;
    return verdict;
  }
  const std::vector<X509*> intermediates = chain.Intermediates();
  VerifyOptions options;
  options.time = scan_time;
  if (cache != nullptr) options.memo = &cache->signatures();
  const ChainVerification verification = VerifyChain(
      chain.leaf(), intermediates,
      cache != nullptr ? trust.x509_store_with_memo() : trust.x509_store(),
      options);
  verdict.trusted = verification.ok;
  verdict.verify_error = verification.error;
  verdict.verify_error_code = verification.error_code;
  return verdict;
}

void FillTlsInfo(const CertificateVerdict& verdict, mxscan::TlsInfo* tls) {
  tls->clear_cert_chain_sha256();
  for (const CertificateFacts& cert : verdict.certificates) {
    tls->add_cert_chain_sha256(cert.sha256);
  }
  tls->set_cert_trusted(verdict.trusted);
  tls->set_hostname_match(verdict.hostname_match);
  tls->set_cert_expired(verdict.expired);
  tls->set_verify_error(verdict.verify_error);
  const CertificateFacts* leaf = verdict.leaf();
  tls->set_cert_not_after(leaf != nullptr ? leaf->not_after : 0);
  tls->set_leaf_key_type(leaf != nullptr ? leaf->key_type : "");
  tls->set_leaf_key_bits(leaf != nullptr ? leaf->key_bits : 0);
  tls->set_cert_not_before(leaf != nullptr ? leaf->not_before : 0);
  tls->set_leaf_key_curve(leaf != nullptr ? leaf->key_curve : "");
  tls->set_chain_length(static_cast<uint32_t>(verdict.certificates.size()));
  tls->set_leaf_signature_algorithm(leaf != nullptr ? leaf->signature_algorithm
                                                    : "");
  tls->set_embedded_sct_count(leaf != nullptr ? leaf->embedded_scts : 0);
  tls->set_leaf_spki_sha256(leaf != nullptr ? leaf->spki_sha256 : "");
  tls->clear_leaf_dns_names();
  if (leaf != nullptr) {
    for (const std::string& name : leaf->dns_names) {
      tls->add_leaf_dns_names(name);
    }
  }
}

void FillCertificates(
    const CertificateVerdict& verdict, absl::Span<const std::string> chain_der,
    google::protobuf::RepeatedPtrField<mxscan::Certificate>* out) {
  out->Clear();
  const size_t n = std::min(verdict.certificates.size(), chain_der.size());
  for (size_t i = 0; i < n; ++i) {
    FillCertificate(verdict.certificates[i], chain_der[i], out->Add());
  }
}

}  // namespace mxscan::tls
