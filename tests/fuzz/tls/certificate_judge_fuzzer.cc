// Fuzz target: arbitrary bytes as a presented certificate chain, through
// the certificate judge, the verdict cache, the result-record filling and
// the DANE matcher; and as a Certificate Transparency SCT list.
//
// Input layout (see make_certificate_corpus.cc for seeds):
//   byte 0       flags: bit 0 trust the chain's last certificate (else its
//                first); bit 1 the TLSA answer is authenticated; bits 2-3
//                the host name; bits 4-5 the scan time; bit 6 the rest is
//                one certificate (else: length-prefixed certificates).
//   bytes 1..    the chain: [2-byte big-endian length][DER]..., a length
//                running past the end takes what is left.
// The TLSA records are derived from the chain (so that matching and the
// DANE-TA path are reached) plus one taken from the input's last bytes.
//
// Checks beyond "no crash": the verdict's invariants, the cache returning
// the very verdict it judged, and the filled records surviving a proto3
// round trip (which refuses invalid UTF-8).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/dane.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/parsed_chain.h"
#include "scanner/tls/sct_list.h"
#include "scanner/tls/tlsa_match.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"
#include "tools/certs/cert_factory.h"

namespace {

using mxscan::tls::CertificateVerdict;

constexpr const char* kHosts[] = {"mx.example.com", "a.b.example.com",
                                  "MX.EXAMPLE.COM.", "192.0.2.1"};
constexpr int64_t kTimes[] = {1700000000, 0, 4102444800 /* 2100 */,
                              -1000000000};

void Require(bool condition) {
  if (!condition) std::abort();
}

// A root nothing chains to, for inputs whose own certificates cannot be
// trusted (made once; which root it is does not matter).
std::shared_ptr<const mxscan::tls::TrustStore> FallbackStore() {
  static const auto* const store = [] {
    auto key = mxscan::certs::PrivateKey::Generate(
        mxscan::certs::KeyType::kEcP256);
    Require(key.ok());
    auto root = mxscan::certs::IssueCertificate(
        mxscan::certs::CaSpec("Fuzz Root", 0, 4102444800), *key, nullptr);
    Require(root.ok());
    auto loaded = mxscan::tls::TrustStore::FromDer({root->der()});
    Require(loaded.ok());
    return new std::shared_ptr<const mxscan::tls::TrustStore>(*loaded);
  }();
  return *store;
}

std::vector<std::string> SplitChain(absl::string_view rest, bool single) {
  std::vector<std::string> chain;
  if (single) {
    chain.emplace_back(rest);
    return chain;
  }
  while (!rest.empty()) {
    if (rest.size() < 2) {
      chain.emplace_back(rest);
      break;
    }
    const size_t length = (static_cast<uint8_t>(rest[0]) << 8) |
                          static_cast<uint8_t>(rest[1]);
    rest.remove_prefix(2);
    const size_t take = length < rest.size() ? length : rest.size();
    chain.emplace_back(rest.substr(0, take));
    rest.remove_prefix(take);
  }
  return chain;
}

mxscan::Tlsa DeriveTlsa(const std::vector<std::string>& chain,
                        absl::string_view input, bool authenticated) {
  mxscan::Tlsa tlsa;
  tlsa.set_authenticated(authenticated);
  auto add = [&tlsa](uint32_t usage, uint32_t selector, uint32_t type,
                     const std::string& data) {
    mxscan::TlsaRecord* record = tlsa.add_records();
    record->set_usage(usage);
    record->set_selector(selector);
    record->set_matching_type(type);
    record->set_data(absl::BytesToHexString(data));
  };
  // A record made of input bytes: any parameters, any data.
  if (input.size() >= 4) {
    const absl::string_view tail = input.substr(input.size() - 4);
    add(static_cast<uint8_t>(tail[0]) % 5, static_cast<uint8_t>(tail[1]) % 3,
        static_cast<uint8_t>(tail[2]) % 4,
        std::string(input.substr(0, static_cast<uint8_t>(tail[3]) %
                                        (input.size() + 1))));
  }
  if (!chain.empty()) {
    absl::string_view spki;
    if (mxscan::tls::SubjectPublicKeyInfo(chain[0], &spki)) {
      add(3, 1, 1, mxscan::tls::Sha256(spki));
    }
    add(3, 0, 2, mxscan::tls::Sha512(chain[0]));
    add(2, 0, 1, mxscan::tls::Sha256(chain.back()));
    if (chain.size() > 1 &&
        mxscan::tls::SubjectPublicKeyInfo(chain[1], &spki)) {
      add(2, 1, 0, std::string(spki));
    }
  }
  return tlsa;
}

void CheckVerdict(const CertificateVerdict& verdict,
                  const std::vector<std::string>& chain) {
  Require(verdict.trusted == verdict.verify_error.empty());
  Require(verdict.certificates.size() ==
          (chain.size() < mxscan::tls::kMaxChainLength
               ? chain.size()
               : mxscan::tls::kMaxChainLength));
  for (const auto& cert : verdict.certificates) {
    Require(cert.sha256.size() == 64);
  }

  mxscan::SmtpProbe probe;
  mxscan::TlsInfo* tls = probe.mutable_tls();
  mxscan::tls::FillTlsInfo(verdict, tls);
  google::protobuf::RepeatedPtrField<mxscan::Certificate> certificates;
  mxscan::tls::FillCertificates(verdict, chain, &certificates);
  for (const mxscan::Certificate& cert : certificates) {
    std::string bytes;
    Require(cert.SerializeToString(&bytes));
    mxscan::Certificate back;
    Require(back.ParseFromString(bytes));
  }
  std::string bytes;
  Require(probe.SerializeToString(&bytes));
  mxscan::SmtpProbe back;
  Require(back.ParseFromString(bytes));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const uint8_t flags = data[0];
  const std::vector<std::string> chain =
      SplitChain(input.substr(1), (flags & 0x40) != 0);
  const std::string host = kHosts[(flags >> 2) & 3];
  const int64_t time = kTimes[(flags >> 4) & 3];
  // The rest also as an SCT list, as a server's TLS extension carries it
  // and as a certificate embeds it: counted or refused, never more SCTs
  // than 4-byte entries fit.
  for (const std::optional<int> count :
       {mxscan::tls::CountSctList(input.substr(1)),
        mxscan::tls::CountEmbeddedScts(input.substr(1))}) {
    Require(!count.has_value() ||
            (*count > 0 && static_cast<size_t>(*count) * 3 <= size));
  }

  std::shared_ptr<const mxscan::tls::TrustStore> store;
  if (!chain.empty()) {
    auto own = mxscan::tls::TrustStore::FromDer(
        {(flags & 1) != 0 ? chain.back() : chain.front()});
    if (own.ok()) store = *own;
  }
  if (store == nullptr) store = FallbackStore();

  mxscan::tls::VerdictCache cache(store, /*capacity=*/2);
  const auto verdict = cache.Judge(chain, host, time);
  Require(cache.Judge(chain, host, time) == verdict);
  CheckVerdict(*verdict, chain);

  const mxscan::Tlsa tlsa = DeriveTlsa(chain, input, (flags & 2) != 0);
  const mxscan::tls::DaneVerdict dane =
      mxscan::tls::CheckDane(tlsa, chain, host, time);
  Require(!dane.valid || tlsa.authenticated());
  Require(dane.valid == (dane.matched_record >= 0));
  Require(dane.matched_record < tlsa.records_size());
  return 0;
}
