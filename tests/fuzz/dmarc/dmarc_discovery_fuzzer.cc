// Fuzz target: DMARC policy discovery (scanner/checks/dmarc/discovery)
// over a zone the input describes, under both profiles: the DNS Tree Walk
// of RFC 9989 and RFC 7489's Organizational Domain from a Public Suffix
// List that the input may also supply. The TXT answers are what hostile
// or broken name servers publish. Checks what must hold whatever the zone
// (as tests/checks/dmarc/discovery_random_test.cc, coverage-guided here):
// one callback, never synchronous; each question asked once; at most
// eight tree-walk queries about the domain; a failed own lookup never
// reads as "no record"; the result's fields agree with each other; and
// the list's answers are suffixes of the names asked about.
//
// Input: byte 0 holds flags (bit 0: RFC 7489, else RFC 9989; bit 1: no
// report authorisation lookups; bits 2-3: the domain exists unknown / yes
// / no). Then lines: the first is the domain; "psl RULE" adds a rule to
// the Public Suffix List (default: a few TLDs); "NAME !S" makes lookups
// of NAME's TXT fail (S: t timeout, s SERVFAIL, else error); "NAME TEXT"
// publishes TEXT as a TXT record of NAME.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/dmarc/discovery.h"
#include "scanner/checks/dmarc/record.h"
#include "scanner/checks/dmarc/tree_walk.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace {

using ::mxscan::testing::Txt;

using namespace mxscan::checks::dmarc;  // NOLINT: a fuzz target's brevity
using mxscan::checks::org_domain::PublicSuffixList;
using mxscan::dns::LookupStatus;

void Require(bool condition) {
  if (!condition) std::abort();
}

bool IsFailure(mxscan::DnsStatus status) {
  return status != mxscan::NOERROR && status != mxscan::NXDOMAIN;
}

// The list's answers are the name's own labels (lowercased, no trailing
// dot), or "" for a name that is not a domain name.
void CheckList(const PublicSuffixList& psl, absl::string_view name) {
  const std::string suffix = psl.PublicSuffix(name);
  const std::string org = psl.OrganizationalDomain(name);
  Require(suffix.empty() == org.empty());
  if (org.empty()) return;
  Require(org.size() >= suffix.size() && absl::EndsWith(org, suffix));
  absl::string_view plain = name;
  absl::ConsumeSuffix(&plain, ".");
  Require(absl::EndsWithIgnoreCase(plain, org));
}

struct Zone {
  std::string domain;
  std::string psl_text;
  std::set<std::string> failed;  // owners whose TXT lookups fail
};

Zone Load(absl::string_view text, mxscan::testing::FakeDnsSource* dns) {
  Zone zone;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (first) {
      zone.domain = std::string(line);
      first = false;
      continue;
    }
    if (absl::ConsumePrefix(&line, "psl ")) {
      zone.psl_text.append(line.data(), line.size());
      zone.psl_text.push_back('\n');
      continue;
    }
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos || space == 0) continue;
    const absl::string_view owner = line.substr(0, space);
    const absl::string_view data = line.substr(space + 1);
    if (absl::StartsWith(data, "!")) {
      const char kind = data.size() > 1 ? data[1] : 'e';
      dns->SetStatus(owner, mxscan::dns::rr_type::kTxt,
                     kind == 't'   ? LookupStatus::kTimeout
                     : kind == 's' ? LookupStatus::kServFail
                                   : LookupStatus::kError);
      zone.failed.insert(std::string(owner));
    } else {
      dns->AddRecord(owner, mxscan::dns::rr_type::kTxt, Txt(data));
    }
  }
  return zone;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 8192) return 0;
  const uint8_t flags = data[0];
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  mxscan::testing::FakeDnsSource dns;
  const Zone zone = Load(text, &dns);

  absl::StatusOr<PublicSuffixList> psl =
      PublicSuffixList::FromString(zone.psl_text);
  if (!psl.ok()) {
    psl = PublicSuffixList::FromString("com\nnet\norg\nco.uk\n*.ck\n!www.ck\n");
  }
  Require(psl.ok());
  CheckList(*psl, zone.domain);

  DmarcDiscoveryOptions options;
  options.profile = (flags & 1) ? DmarcProfile::kRfc7489 : DmarcProfile::kRfc9989;
  options.psl = &*psl;
  options.check_report_authorization = (flags & 2) == 0;
  if ((flags >> 2 & 3) == 1) options.domain_exists = true;
  if ((flags >> 2 & 3) == 2) options.domain_exists = false;

  int calls = 0;
  mxscan::DmarcResult r;
  const absl::Status started =
      DiscoverDmarc(dns, zone.domain, options, [&](mxscan::DmarcResult x) {
        ++calls;
        r = std::move(x);
      });
  Require(calls == 0);
  dns.RunUntilIdle();
  if (!started.ok()) {
    Require(calls == 0 && dns.asked().empty());
    return 0;
  }
  Require(calls == 1);

  const std::set<std::string> distinct(dns.asked().begin(), dns.asked().end());
  Require(distinct.size() == dns.asked().size());
  absl::string_view domain = zone.domain;
  absl::ConsumeSuffix(&domain, ".");
  size_t walk_queries = 0;
  for (const std::string& question : dns.asked()) {
    absl::string_view name = question;
    if (!absl::ConsumePrefix(&name, "_dmarc.")) continue;
    name = name.substr(0, name.find(". "));
    walk_queries += IsSameOrSubdomain(domain, name);
  }
  Require(walk_queries <= kMaxTreeWalkQueries);

  Require(r.profile() == DmarcProfileName(options.profile));
  Require(r.valid() == (r.present() && r.errors().empty()));
  if (IsFailure(r.dns_status())) Require(!r.valid());
  Require(r.policy().empty() || r.policy() == "none" ||
          r.policy() == "quarantine" || r.policy() == "reject");
  if (!r.record().empty()) Require(r.present());
  std::set<std::string> uris(r.rua().begin(), r.rua().end());
  uris.insert(r.ruf().begin(), r.ruf().end());
  for (const std::string& d : r.unauthorized_destinations()) {
    Require(uris.count(d) == 1);
  }
  for (const std::string& owner : zone.failed) CheckList(*psl, owner);
  std::string wire;
  Require(r.SerializeToString(&wire));
  return 0;
}
