#include "scanner/tls/census.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/tls/client_hello.h"
#include "scanner/tls/group_selection.h"
#include "scanner/tls/tls_codepoints.h"

namespace mxscan::tls {
namespace {

std::vector<uint16_t> SuitesOf(uint16_t version) {
  std::vector<uint16_t> out;
  for (const CipherSuite& s : CensusCipherSuites()) {
    if (s.version == version) out.push_back(s.code);
  }
  return out;
}

std::vector<uint16_t> AllGroups() {
  std::vector<uint16_t> out;
  for (const GroupInfo& g : CensusGroups()) out.push_back(g.code);
  return out;
}

// The selection probe's hello (browser-like extensions, an X25519 share)
// narrowed to one version and the suites and groups of a step.
ClientHelloSpec HelloOf(const std::string& server_name, uint16_t version,
                        std::vector<uint16_t> suites,
                        std::vector<uint16_t> groups, bool x25519_share) {
  ClientHelloSpec spec = PostQuantumSelectionHello(server_name);
  spec.versions = {version};
  spec.cipher_suites = std::move(suites);
  spec.groups = std::move(groups);
  std::vector<std::pair<uint16_t, std::string>> shares;
  for (auto& share : spec.key_shares) {
    if (x25519_share && share.first == kGroupX25519) {
      shares.push_back(std::move(share));
    }
  }
  spec.key_shares = std::move(shares);
  return spec;
}

}  // namespace

TlsCensus::TlsCensus(std::string server_name, bool tls13)
    : server_name_(std::move(server_name)),
      step_(tls13 ? Step::kTls13Suites : Step::kTls12Suites) {
  remaining_ = SuitesOf(tls13 ? kTls13 : kTls12);
}

std::vector<uint16_t> TlsCensus::AcceptedWith(absl::string_view kind) const {
  std::vector<uint16_t> out;
  for (uint16_t code : result_.tls12_suites) {
    const CipherSuite* suite = FindCipherSuite(code);
    if (suite != nullptr && absl::StrContains(suite->name, kind)) {
      out.push_back(code);
    }
  }
  return out;
}

std::optional<TlsCensus::Hello> TlsCensus::NextHello() {
  if (step_ == Step::kDone) return std::nullopt;
  if (result_.handshakes >= kMaxHandshakes) {
    result_.error =
        absl::StrCat("stopped after ", kMaxHandshakes, " handshakes");
    step_ = Step::kDone;
    return std::nullopt;
  }
  ClientHelloSpec spec;
  switch (step_) {
    case Step::kTls13Suites:
      spec = HelloOf(server_name_, kTls13, remaining_, AllGroups(), true);
      break;
    case Step::kTls13Groups:
      spec = HelloOf(server_name_, kTls13, SuitesOf(kTls13), remaining_, false);
      break;
    case Step::kTls12Suites:
      spec = HelloOf(server_name_, kTls12, remaining_, AllGroups(), false);
      break;
    case Step::kPreference: {
      std::vector<uint16_t> reversed(result_.tls12_suites.rbegin(),
                                     result_.tls12_suites.rend());
      spec = HelloOf(server_name_, kTls12, std::move(reversed), AllGroups(),
                     false);
      break;
    }
    case Step::kTls12Curves: {
      // The curves found stay on the list, last: in TLS 1.2 the list also
      // names the curves an ECDSA certificate may be on (RFC 8422 section
      // 5.1), and a server whose certificate's curve is missing refuses.
      std::vector<uint16_t> curves = remaining_;
      if (curves_found_last_) {
        curves.insert(curves.end(), result_.tls12_curves.begin(),
                      result_.tls12_curves.end());
      }
      spec = HelloOf(server_name_, kTls12, AcceptedWith("_ECDHE_"),
                     std::move(curves), false);
      break;
    }
    case Step::kTls12Dhe:
      spec =
          HelloOf(server_name_, kTls12, AcceptedWith("_DHE_"),
                  {kGroupFfdhe2048, kGroupFfdhe3072, kGroupFfdhe4096}, false);
      break;
    case Step::kDone:
      return std::nullopt;
  }
  ++result_.handshakes;
  awaiting_ = true;
  return Hello{BuildClientHello(spec),
               step_ == Step::kTls12Curves || step_ == Step::kTls12Dhe};
}

void TlsCensus::OnAnswer(const std::optional<ServerHelloSummary>& answer,
                         absl::string_view error) {
  if (!awaiting_) return;
  awaiting_ = false;
  if (!answer.has_value()) {
    result_.error = std::string(error);
    step_ = Step::kDone;
    return;
  }
  const bool refused = answer->kind == ServerHelloSummary::Kind::kAlert;
  // What the server picked from the offer, if it is one of ours.
  uint16_t picked = 0;
  std::vector<uint16_t>* found = nullptr;
  switch (step_) {
    case Step::kTls13Suites:
      picked = answer->cipher_suite;
      found = &result_.tls13_suites;
      break;
    case Step::kTls12Suites:
      picked = answer->cipher_suite;
      found = &result_.tls12_suites;
      break;
    case Step::kTls13Groups:
      picked = answer->kind == ServerHelloSummary::Kind::kHelloRetryRequest
                   ? answer->group
                   : 0;
      found = &result_.tls13_groups;
      break;
    case Step::kTls12Curves:
      picked = answer->group;
      found = &result_.tls12_curves;
      break;
    case Step::kPreference:
      if (!refused) {
        result_.server_preference =
            answer->cipher_suite == result_.tls12_suites.front();
      }
      Advance();
      return;
    case Step::kTls12Dhe:
      if (!refused) result_.dhe_bits = answer->dhe_bits;
      Advance();
      return;
    case Step::kDone:
      return;
  }
  auto offered = std::find(remaining_.begin(), remaining_.end(), picked);
  if (step_ == Step::kTls12Curves) {
    if (refused && !curves_found_last_ && !found->empty()) {
      curves_found_last_ = true;  // once more, with the curves found last
      return;
    }
    if (!refused &&
        std::find(found->begin(), found->end(), picked) != found->end()) {
      Advance();  // it prefers one found already: no new one to find
      return;
    }
    curves_found_last_ = false;
  }
  if (!refused && picked != 0 && offered != remaining_.end()) {
    found->push_back(picked);
    remaining_.erase(offered);
    if (!remaining_.empty()) return;  // offer the rest
  } else if (!refused) {
    // A pick we did not offer (or none): the server is not to be trusted
    // with this step; what was found stands.
    result_.error = absl::StrCat("the server answered with 0x",
                                 absl::Hex(picked), ", which was not offered");
  }
  Advance();
}

void TlsCensus::Advance() {
  switch (step_) {
    case Step::kTls13Suites:
      step_ = Step::kTls13Groups;
      remaining_ = AllGroups();
      return;
    case Step::kTls13Groups:
      step_ = Step::kTls12Suites;
      remaining_ = SuitesOf(kTls12);
      return;
    case Step::kTls12Suites:
      if (result_.tls12_suites.size() >= 2) {
        step_ = Step::kPreference;
        return;
      }
      [[fallthrough]];
    case Step::kPreference:
      step_ = Step::kTls12Curves;
      remaining_ = {kGroupX25519, kGroupSecp256r1, kGroupSecp384r1,
                    kGroupSecp521r1, kGroupX448};
      if (!AcceptedWith("_ECDHE_").empty()) return;
      [[fallthrough]];
    case Step::kTls12Curves:
      step_ = AcceptedWith("_DHE_").empty() ? Step::kDone : Step::kTls12Dhe;
      return;
    case Step::kTls12Dhe:
    case Step::kDone:
      step_ = Step::kDone;
      return;
  }
}

CensusClass ClassifyCensus(const CensusResult& census,
                           const std::vector<std::string>& versions_accepted) {
  CensusClass out;
  auto note = [&out](const std::string& what, TlsClass c) {
    out.worst = Worse(out.worst, c);
    if (c != TlsClass::kGood) {
      out.findings.push_back(absl::StrCat(what, ": ", TlsClassName(c)));
    }
  };
  for (const std::string& version : versions_accepted) {
    note(version, VersionClass(version));
  }
  for (const auto* suites : {&census.tls13_suites, &census.tls12_suites}) {
    for (uint16_t code : *suites) {
      const CipherSuite* suite = FindCipherSuite(code);
      if (suite != nullptr) note(suite->name, suite->klass);
    }
  }
  for (const auto* groups : {&census.tls13_groups, &census.tls12_curves}) {
    for (uint16_t group : *groups) note(GroupName(group), GroupClass(group));
  }
  if (census.dhe_bits > 0) {
    note(absl::StrCat("DHE ", census.dhe_bits, " bits"),
         census.dhe_bits >= 3072   ? TlsClass::kSufficient
         : census.dhe_bits >= 2048 ? TlsClass::kPhaseOut
                                   : TlsClass::kInsufficient);
  }
  return out;
}

}  // namespace mxscan::tls
