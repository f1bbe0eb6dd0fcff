#include "scanner/tls/dane.h"

#include <openssl/x509.h>

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/tls/certificate_facts.h"
#include "scanner/tls/chain_verifier.h"
#include "scanner/tls/hostname_match.h"
#include "scanner/tls/parsed_chain.h"
#include "scanner/tls/tlsa_match.h"

namespace mxscan::tls {
namespace {

// Tries one DANE-TA association against the presented chain. On success
// returns true with `detail` saying which certificate matched; otherwise
// `detail` is set when the record matched a certificate but the chain or
// the name failed, and left alone when it matched nothing.
bool TrustAnchorAuthenticates(const TlsaAssociation& association, int index,
                              const ParsedChain& chain,
                              absl::Span<const std::string> chain_der,
                              absl::string_view mx_host, int64_t scan_time,
                              std::string* detail) {
  const std::vector<X509*> intermediates = chain.Intermediates();
  for (size_t i = 1; i < chain.certs.size(); ++i) {
    if (!AssociationMatches(association, chain_der[i])) continue;
    bssl::UniquePtr<X509_STORE> anchor(X509_STORE_new());
    if (anchor == nullptr || !X509_STORE_add_cert(anchor.get(), chain.certs[i].get())) {
      continue;
    }
    VerifyOptions options;
    options.time = scan_time;
    options.partial_chain = true;  // the anchor need not be self-signed
    const ChainVerification verification =
        VerifyChain(chain.leaf(), intermediates, anchor.get(), options);
    const std::string prefix = absl::StrCat(
        "DANE-TA(2) record ", index, " matched certificate ", i);
    if (!verification.ok) {
      *detail = absl::StrCat(prefix, " but the chain does not verify: ",
                             verification.error);
      continue;
    }
    const CertificateFacts leaf = DescribeCertificate(chain_der[0], chain.leaf());
    if (leaf.san_malformed ||
        !HostnameMatches(leaf.dns_names, leaf.common_names, mx_host)) {
      *detail = absl::StrCat(prefix, " but the leaf is not valid for ",
                             mx_host);
      continue;
    }
    *detail = absl::StrCat(prefix, "; chain and name verified");
    return true;
  }
  return false;
}

}  // namespace

DaneVerdict CheckDane(const mxscan::Tlsa& tlsa,
                      absl::Span<const std::string> chain_der,
                      absl::string_view mx_host, int64_t scan_time) {
  DaneVerdict verdict;
  std::vector<std::optional<TlsaAssociation>> associations;
  associations.reserve(tlsa.records_size());
  for (const mxscan::TlsaRecord& record : tlsa.records()) {
    associations.push_back(UsableAssociation(record));
    if (associations.back().has_value()) ++verdict.usable_records;
  }
  if (!tlsa.authenticated()) {
    verdict.detail = "TLSA answer not authenticated";
    return verdict;
  }
  if (verdict.usable_records == 0) {
    verdict.detail = tlsa.records_size() == 0 ? "no TLSA records"
                                              : "no usable TLSA records";
    return verdict;
  }
  if (chain_der.empty()) {
    verdict.detail = "no certificate presented";
    return verdict;
  }

  // Parsed only when a DANE-TA record needs it.
  std::optional<ParsedChain> chain;
  std::string failure;
  for (size_t r = 0; r < associations.size(); ++r) {
    if (!associations[r].has_value()) continue;
    const TlsaAssociation& association = *associations[r];
    const int index = static_cast<int>(r);
    if (association.usage == kDaneEe) {
      if (chain_der[0].size() <= kMaxCertificateBytes &&
          AssociationMatches(association, chain_der[0])) {
        verdict.valid = true;
        verdict.matched_record = index;
        verdict.detail =
            absl::StrCat("DANE-EE(3) record ", index, " matched the leaf");
        return verdict;
      }
      continue;
    }
    if (!chain.has_value()) chain = ParseChain(chain_der);
    if (!chain->error.empty()) {
      // A chain we refuse to parse cannot lead to a trust anchor.
      if (failure.empty()) {
        failure = absl::StrCat("DANE-TA(2) not checked: ", chain->error);
      }
      continue;
    }
    std::string detail;
    if (TrustAnchorAuthenticates(association, index, *chain, chain_der,
                                 mx_host, scan_time, &detail)) {
      verdict.valid = true;
      verdict.matched_record = index;
      verdict.detail = std::move(detail);
      return verdict;
    }
    if (!detail.empty() && failure.empty()) failure = std::move(detail);
  }
  verdict.detail = failure.empty() ? "no TLSA record matched" : failure;
  return verdict;
}

void FillDane(const DaneVerdict& verdict, mxscan::Tlsa* tlsa) {
  tlsa->set_dane_valid(verdict.valid);
  tlsa->set_matched_record(verdict.matched_record);
  tlsa->set_dane_detail(verdict.detail);
  tlsa->set_usable_records(static_cast<uint32_t>(verdict.usable_records));
}

}  // namespace mxscan::tls
