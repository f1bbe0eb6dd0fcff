#include "scanner/tls/certificate_judge.h"

#include <algorithm>

#include "scanner/tls/chain_verifier.h"
#include "scanner/tls/hostname_match.h"
#include "scanner/tls/parsed_chain.h"

namespace mxscan::tls {

CertificateVerdict JudgeCertificateChain(const TrustStore& trust,
                                         absl::Span<const std::string> chain_der,
                                         absl::string_view host,
                                         int64_t scan_time) {
  CertificateVerdict verdict;
  const ParsedChain chain = ParseChain(chain_der);
  verdict.certificates.reserve(chain.certs.size());
  for (size_t i = 0; i < chain.certs.size(); ++i) {
    verdict.certificates.push_back(
        DescribeCertificate(chain_der[i], chain.certs[i].get()));
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
  const ChainVerification verification = VerifyChain(
      chain.leaf(), intermediates, trust.x509_store(), options);
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
    for (const std::string& name : leaf->dns_names) tls->add_leaf_dns_names(name);
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
