#include "scanner/tls/census.h"

#include <algorithm>
#include <utility>

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
ClientHelloSpec Hello(const std::string& server_name, uint16_t version,
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

std::optional<std::string> TlsCensus::NextHello() {
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
      spec = Hello(server_name_, kTls13, remaining_, AllGroups(), true);
      break;
    case Step::kTls13Groups:
      spec = Hello(server_name_, kTls13, SuitesOf(kTls13), remaining_, false);
      break;
    case Step::kTls12Suites:
      spec = Hello(server_name_, kTls12, remaining_, AllGroups(), false);
      break;
    case Step::kPreference: {
      std::vector<uint16_t> reversed(result_.tls12_suites.rbegin(),
                                     result_.tls12_suites.rend());
      spec =
          Hello(server_name_, kTls12, std::move(reversed), AllGroups(), false);
      break;
    }
    case Step::kDone:
      return std::nullopt;
  }
  ++result_.handshakes;
  awaiting_ = true;
  return BuildClientHello(spec);
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
  switch (step_) {
    case Step::kTls13Suites:
    case Step::kTls12Suites:
    case Step::kPreference:
      picked = answer->cipher_suite;
      break;
    case Step::kTls13Groups:
      picked = answer->kind == ServerHelloSummary::Kind::kHelloRetryRequest
                   ? answer->group
                   : 0;
      break;
    case Step::kDone:
      return;
  }
  if (step_ == Step::kPreference) {
    if (!refused) {
      result_.server_preference = picked == result_.tls12_suites.front();
    }
    step_ = Step::kDone;
    return;
  }
  auto offered = std::find(remaining_.begin(), remaining_.end(), picked);
  if (!refused && picked != 0 && offered != remaining_.end()) {
    (step_ == Step::kTls13Suites   ? result_.tls13_suites
     : step_ == Step::kTls13Groups ? result_.tls13_groups
                                   : result_.tls12_suites)
        .push_back(picked);
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
      step_ =
          result_.tls12_suites.size() >= 2 ? Step::kPreference : Step::kDone;
      return;
    case Step::kPreference:
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
  for (uint16_t group : census.tls13_groups) {
    note(GroupName(group), GroupClass(group));
  }
  return out;
}

}  // namespace mxscan::tls
