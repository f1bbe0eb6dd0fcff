#ifndef MXSCAN_SCANNER_CHECKS_SPF_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_SPF_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/checks/spf/macro.h"

namespace mxscan::checks::spf {

// The qualifier in front of a mechanism (RFC 7208 section 4.6.2).
enum class Qualifier { kPass, kFail, kSoftFail, kNeutral };

// QualifierSymbol: "+", "-", "~" or "?".
const char* QualifierSymbol(Qualifier qualifier);

enum class MechanismKind { kAll, kInclude, kA, kMx, kPtr, kIp4, kIp6, kExists };

// MechanismName: "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists".
const char* MechanismName(MechanismKind kind);

// CountsAsDnsLookup: the mechanism is one of those RFC 7208 section 4.6.4
// limits to 10 per evaluation (include, a, mx, ptr, exists).
bool CountsAsDnsLookup(MechanismKind kind);

// DomainSpec is a syntax-checked domain-spec: the text as written and its
// parsed macro-string, ready to expand.
struct DomainSpec {
  std::string text;
  MacroString macro;
};

// Directive is one mechanism with its qualifier.
struct Directive {
  Qualifier qualifier = Qualifier::kPass;
  MechanismKind kind = MechanismKind::kAll;
  // include and exists always have one; a, mx and ptr may (else <domain>).
  std::optional<DomainSpec> domain_spec;
  // ip4 / ip6: the network.
  IpAddress network;
  // a, mx (dual-cidr-length), ip4 (ip4 length), ip6 (ip6 length).
  int ip4_prefix = 32;
  int ip6_prefix = 128;
  // The term as written, for messages ("-include:_spf.example.org").
  std::string text;
};

// Modifier is a name=value term other than redirect and exp (RFC 7208
// section 6: unknown modifiers are checked for syntax, then ignored).
struct Modifier {
  std::string name;
  std::string value;
};

// Record is a parsed, syntax-checked SPF record. A value type.
struct Record {
  std::vector<Directive> directives;  // in record order
  std::optional<DomainSpec> redirect;
  std::optional<DomainSpec> explanation;  // exp=
  std::vector<Modifier> unknown_modifiers;

  // HasAll: an "all" mechanism appears (then redirect= is ignored, RFC 7208
  // section 6.1).
  bool HasAll() const;
  // PermitsNothing: no host can pass: every mechanism is qualified "-" and
  // no redirect is followed (the record of a domain that sends no mail).
  bool PermitsNothing() const;
};

// IsSpfRecord tells whether a TXT record (raw octets) is an SPF version 1
// record: "v=spf1", in any case, followed by a space or the end (RFC 7208
// section 4.5). Records for which this is false are not SPF's business.
bool IsSpfRecord(absl::string_view text);

// SpfLookalike is a TXT record that was clearly meant as an SPF record but
// is not one (IsSpfRecord is false, so every receiver ignores it): why,
// and the record it was meant to be when that can be told ("" otherwise).
struct SpfLookalike {
  std::string why;
  std::string meant;
};

// FindSpfLookalike: nullopt unless `text` (raw TXT octets) looks like a
// failed attempt at an SPF record: "v=spf1" followed by something other
// than a space ("v=spf1,mx,a,-all"), leading white space, the record in
// literal quotes, or "v=spf1" in other case after white space. `meant`
// replaces the separators or strips what surrounds the record.
std::optional<SpfLookalike> FindSpfLookalike(absl::string_view text);

// ParseRecord parses and fully syntax-checks an SPF record (raw octets, as
// published) against the ABNF of RFC 7208 sections 4.5-7: the version,
// terms separated by spaces, every mechanism and modifier with its
// domain-spec (macro syntax included), addresses and CIDR lengths.
// Fails with InvalidArgument naming the offending term for: non-ASCII or
// control octets, a missing version, unknown mechanisms, malformed
// arguments, invalid CIDR lengths, invalid modifier names, and a repeated
// redirect= or exp=. Any such error is a permerror for check_host().
absl::StatusOr<Record> ParseRecord(absl::string_view text);

// ParseDomainSpec checks one domain-spec (RFC 7208 section 7.1: a
// macro-string ending in "." toplabel, with an optional dot, or in a
// macro-expand). Fails with InvalidArgument, saying why.
absl::StatusOr<DomainSpec> ParseDomainSpec(absl::string_view text);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_RECORD_H_
