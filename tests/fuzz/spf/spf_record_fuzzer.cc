// Fuzz target: the SPF record parser, macro parsing and expansion, the TXT
// presentation helpers and address parsing; then, with the input published
// as the TXT record of example.org, check_host() and the policy walk over a
// small fake zone. Checks invariants, not just the absence of crashes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/spf/answer_cache.h"
#include "scanner/checks/spf/check_host.h"
#include "scanner/checks/spf/domain_name.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/checks/spf/macro.h"
#include "scanner/checks/spf/policy_walk.h"
#include "scanner/checks/spf/record.h"
#include "scanner/checks/spf/txt_record.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace {

using ::mxscan::testing::Ip;
using ::mxscan::testing::Mx;
using ::mxscan::testing::Name;
using ::mxscan::testing::Txt;

using namespace mxscan::checks::spf;  // NOLINT: a fuzz target, one function
namespace rr = mxscan::dns::rr_type;

void Require(bool condition) {
  if (!condition) std::abort();
}

bool IsPrintable(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) > 0x7e) {
      return false;
    }
  }
  return true;
}

MacroValues Values() {
  MacroValues values;
  values.sender = "strong-bad@email.example.com";
  values.local_part = "strong-bad";
  values.sender_domain = "email.example.com";
  values.domain = "email.example.com";
  values.ip = *IpAddress::Parse("2001:db8::cb01");
  values.helo = "mx.example.org";
  values.validated_name = "mx.example.org";
  values.timestamp = 1700000000;
  return values;
}

void ExpandAll(const Record& record) {
  const MacroValues values = Values();
  auto expand = [&](const std::optional<DomainSpec>& spec) {
    if (!spec.has_value()) return;
    const std::string target =
        TargetName(ExpandMacroString(spec->macro, values));
    if (IsQueryableName(target)) {
      Require(target.size() <= kMaxTargetNameLength);
      Require(MakeQuestion(target, rr::kA).first.size() >= 1);
    }
  };
  for (const Directive& d : record.directives) {
    expand(d.domain_spec);
    Require(d.ip4_prefix >= 0 && d.ip4_prefix <= 32);
    Require(d.ip6_prefix >= 0 && d.ip6_prefix <= 128);
    if (d.kind == MechanismKind::kIp4) Require(!d.network.is_ip6());
    if (d.kind == MechanismKind::kIp6) Require(d.network.is_ip6());
    Require(!d.text.empty());
  }
  expand(record.redirect);
  expand(record.explanation);
}

void FuzzMacros(absl::string_view input) {
  for (MacroSyntax syntax :
       {MacroSyntax::kDomainSpec, MacroSyntax::kExplanation}) {
    absl::StatusOr<MacroString> macro = ParseMacroString(input, syntax);
    if (!macro.ok()) continue;
    const std::string expanded = ExpandMacroString(*macro, Values());
    if (syntax == MacroSyntax::kDomainSpec) {
      // Visible ASCII in, visible ASCII (or %_ spaces) out.
      for (char c : expanded) Require(c >= 0x20 && c <= 0x7e);
    }
  }
  absl::StatusOr<DomainSpec> spec = ParseDomainSpec(input);
  if (spec.ok()) Require(spec->text == input);
}

void FuzzAddresses(absl::string_view input) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(input);
  if (!ip.ok()) return;
  absl::StatusOr<IpAddress> again = IpAddress::Parse(ip->ToString());
  Require(again.ok() && *again == *ip);
  Require(!ip->ReverseName().empty());
  Require(ip->InNetwork(*ip, ip->bits()));
}

// check_host() and the policy walk with the input as example.org's record.
void FuzzEvaluation(absl::string_view input) {
  mxscan::testing::FakeDnsSource dns;
  dns.AddRecord("example.org", rr::kTxt, Txt(input));
  dns.AddRecord("example.org", rr::kA, Ip("192.0.2.1"));
  dns.AddRecord("example.org", rr::kMx, Mx(10, "mx.example.org."));
  dns.AddRecord("mx.example.org", rr::kA, Ip("192.0.2.2"));
  dns.AddRecord("_spf.example.org", rr::kTxt,
                Txt("v=spf1 ip4:192.0.2.0/24 ~all"));
  dns.AddRecord("1.2.0.192.in-addr.arpa", rr::kPtr, Name("example.org."));
  dns.SetStatus("slow.example.org", rr::kA,
                mxscan::dns::LookupStatus::kTimeout);

  int calls = 0;
  CheckHostRequest request = CheckHostRequest::ForMailFrom(
      *IpAddress::Parse("192.0.2.1"), "user@example.org", "mx.example.org");
  CheckHost(dns, request, [&calls](CheckHostResult result) {
    ++calls;
    Require(result.dns_lookups <= 11);
    Require(result.explanation.empty() || result.result == Result::kFail);
  });
  dns.RunUntilIdle();
  Require(calls == 1);

  mxscan::checks::spf::AnswerCache cache;
  for (int round = 0; round < 8; ++round) {
    WalkOutcome outcome = WalkPolicy("example.org", cache);
    if (outcome.missing.empty()) {
      Require(!outcome.result.valid() || outcome.result.present());
      std::string wire;
      Require(outcome.result.SerializeToString(&wire));
      break;
    }
    for (const Question& question : outcome.missing) {
      dns.Lookup(question.first, question.second,
                 [&cache, question](const mxscan::dns::LookupResult& answer) {
                   cache.Put(question, answer);
                 });
    }
    dns.RunUntilIdle();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<Record> record = ParseRecord(input);
  if (!IsSpfRecord(input)) Require(!record.ok());
  if (record.ok()) ExpandAll(*record);
  // The same text behind a version tag reaches the term parser even when
  // the input itself does not start with one.
  absl::StatusOr<Record> tagged =
      ParseRecord(std::string("v=spf1 ") + std::string(input));
  if (tagged.ok()) ExpandAll(*tagged);

  FuzzMacros(input);
  FuzzAddresses(input);
  Require(IsPrintable(mxscan::dns::PrintableOctets(input)));

  if (size <= 2048) FuzzEvaluation(input);
  return 0;
}
