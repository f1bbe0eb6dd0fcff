#include "scanner/checks/spf/record.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::spf {
namespace {

constexpr absl::string_view kVersion = "v=spf1";

// Printable form of record text for messages (control octets escaped).
std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

absl::Status TermError(absl::string_view term, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("term ", Quoted(term), ": ", why));
}

// toplabel = ( *alphanum ALPHA *alphanum ) /
//            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool IsTopLabel(absl::string_view label) {
  if (label.empty()) return false;
  bool has_alpha = false;
  bool has_dash = false;
  for (char c : label) {
    if (c == '-') {
      has_dash = true;
    } else if (absl::ascii_isalpha(c)) {
      has_alpha = true;
    } else if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  if (has_dash) {
    return absl::ascii_isalnum(label.front()) &&
           absl::ascii_isalnum(label.back());
  }
  return has_alpha;
}

// ParseCidrDigits reads the digits of a CIDR length: no leading zero, at
// most `max` (RFC 7208 section 5.6).
absl::StatusOr<int> ParseCidrDigits(absl::string_view digits, int max,
                                    absl::string_view family) {
  auto bad = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid ", family, " CIDR length ", Quoted(absl::StrCat("/", digits)),
        " (0 to ", max, ", no leading zeros)"));
  };
  if (digits.empty() || digits.size() > 3) return bad();
  if (digits.size() > 1 && digits[0] == '0') return bad();
  int value = 0;
  for (char c : digits) {
    if (!absl::ascii_isdigit(c)) return bad();
    value = value * 10 + (c - '0');
  }
  if (value > max) return bad();
  return value;
}

size_t TrailingDigitsStart(absl::string_view text) {
  size_t j = text.size();
  while (j > 0 && absl::ascii_isdigit(text[j - 1])) --j;
  return j;
}

// StripDualCidr removes a trailing dual-cidr-length ("/24", "//64",
// "/24//64") from the argument of a or mx and returns what precedes it.
absl::StatusOr<absl::string_view> StripDualCidr(absl::string_view rest,
                                                Directive* directive) {
  size_t j = TrailingDigitsStart(rest);
  if (j < rest.size() && j >= 2 && rest[j - 1] == '/' && rest[j - 2] == '/') {
    absl::StatusOr<int> v6 = ParseCidrDigits(rest.substr(j), 128, "IPv6");
    if (!v6.ok()) return v6.status();
    directive->ip6_prefix = *v6;
    rest = rest.substr(0, j - 2);
    j = TrailingDigitsStart(rest);
  }
  if (j < rest.size() && j >= 1 && rest[j - 1] == '/') {
    absl::StatusOr<int> v4 = ParseCidrDigits(rest.substr(j), 32, "IPv4");
    if (!v4.ok()) return v4.status();
    directive->ip4_prefix = *v4;
    rest = rest.substr(0, j - 1);
  }
  return rest;
}

// ParseOptionalDomain handles `[ ":" domain-spec ]` (a, mx, ptr).
absl::Status ParseOptionalDomain(absl::string_view rest, Directive* directive) {
  if (rest.empty()) return absl::OkStatus();
  if (rest[0] != ':') {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected ", Quoted(rest), " after the mechanism name"));
  }
  absl::StatusOr<DomainSpec> spec = ParseDomainSpec(rest.substr(1));
  if (!spec.ok()) return spec.status();
  directive->domain_spec = *std::move(spec);
  return absl::OkStatus();
}

// ParseRequiredDomain handles `":" domain-spec` (include, exists).
absl::Status ParseRequiredDomain(absl::string_view rest, Directive* directive) {
  if (rest.empty() || rest[0] != ':') {
    return absl::InvalidArgumentError(absl::StrCat(
        MechanismName(directive->kind), " needs \":\" and a domain-spec"));
  }
  return ParseOptionalDomain(rest, directive);
}

// ParseNetwork handles ip4 / ip6: ":" network [ "/" length ].
absl::Status ParseNetwork(absl::string_view rest, Directive* directive) {
  const bool ip6 = directive->kind == MechanismKind::kIp6;
  if (rest.empty() || rest[0] != ':') {
    return absl::InvalidArgumentError(
        absl::StrCat(MechanismName(directive->kind), " needs \":\" and a",
                     ip6 ? "n IPv6" : "n IPv4", " network"));
  }
  rest.remove_prefix(1);
  absl::string_view network = rest;
  absl::string_view length;
  bool has_length = false;
  const size_t slash = rest.find('/');
  if (slash != absl::string_view::npos) {
    network = rest.substr(0, slash);
    length = rest.substr(slash + 1);
    has_length = true;
  }
  absl::StatusOr<IpAddress> address =
      ip6 ? IpAddress::ParseIp6(network) : IpAddress::ParseIp4(network);
  if (!address.ok()) return address.status();
  directive->network = *address;
  if (has_length) {
    absl::StatusOr<int> prefix =
        ParseCidrDigits(length, ip6 ? 128 : 32, ip6 ? "IPv6" : "IPv4");
    if (!prefix.ok()) return prefix.status();
    (ip6 ? directive->ip6_prefix : directive->ip4_prefix) = *prefix;
  }
  return absl::OkStatus();
}

absl::Status ParseDirective(absl::string_view term, Record* record) {
  Directive directive;
  directive.text = std::string(term);
  absl::string_view rest = term;
  switch (rest.empty() ? '\0' : rest[0]) {
    case '+':
      directive.qualifier = Qualifier::kPass;
      rest.remove_prefix(1);
      break;
    case '-':
      directive.qualifier = Qualifier::kFail;
      rest.remove_prefix(1);
      break;
    case '~':
      directive.qualifier = Qualifier::kSoftFail;
      rest.remove_prefix(1);
      break;
    case '?':
      directive.qualifier = Qualifier::kNeutral;
      rest.remove_prefix(1);
      break;
    default:
      break;
  }
  size_t name_end = 0;
  while (name_end < rest.size() && absl::ascii_isalnum(rest[name_end])) {
    ++name_end;
  }
  const std::string name = absl::AsciiStrToLower(rest.substr(0, name_end));
  rest.remove_prefix(name_end);
  if (name.empty())
    return TermError(term, "neither a mechanism nor a modifier");

  absl::Status status;
  if (name == "all") {
    directive.kind = MechanismKind::kAll;
    if (!rest.empty())
      status = absl::InvalidArgumentError("all takes no argument");
  } else if (name == "include" || name == "exists") {
    directive.kind =
        name == "include" ? MechanismKind::kInclude : MechanismKind::kExists;
    status = ParseRequiredDomain(rest, &directive);
  } else if (name == "a" || name == "mx") {
    directive.kind = name == "a" ? MechanismKind::kA : MechanismKind::kMx;
    absl::StatusOr<absl::string_view> before = StripDualCidr(rest, &directive);
    status = before.ok() ? ParseOptionalDomain(*before, &directive)
                         : before.status();
  } else if (name == "ptr") {
    directive.kind = MechanismKind::kPtr;
    status = ParseOptionalDomain(rest, &directive);
  } else if (name == "ip4" || name == "ip6") {
    directive.kind = name == "ip4" ? MechanismKind::kIp4 : MechanismKind::kIp6;
    status = ParseNetwork(rest, &directive);
  } else {
    return TermError(term, absl::StrCat("unknown mechanism ", Quoted(name)));
  }
  if (!status.ok()) return TermError(term, status.message());
  record->directives.push_back(std::move(directive));
  return absl::OkStatus();
}

absl::Status ParseModifier(absl::string_view term, absl::string_view name,
                           absl::string_view value, Record* record) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "redirect" || lower == "exp") {
    std::optional<DomainSpec>& slot =
        lower == "redirect" ? record->redirect : record->explanation;
    if (slot.has_value()) {
      return TermError(term, absl::StrCat(lower, "= appears more than once"));
    }
    absl::StatusOr<DomainSpec> spec = ParseDomainSpec(value);
    if (!spec.ok()) return TermError(term, spec.status().message());
    slot = *std::move(spec);
    return absl::OkStatus();
  }
  // Unknown modifiers are ignored, but only once their value is a valid
  // macro-string (RFC 7208 section 6).
  absl::StatusOr<MacroString> macro =
      ParseMacroString(value, MacroSyntax::kExplanation);
  if (!macro.ok()) return TermError(term, macro.status().message());
  record->unknown_modifiers.push_back(
      Modifier{std::string(name), std::string(value)});
  return absl::OkStatus();
}

absl::Status ParseTerm(absl::string_view term, Record* record) {
  // name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), then "=": a
  // modifier. Anything else must be a directive.
  if (!term.empty() && absl::ascii_isalpha(term[0])) {
    size_t i = 1;
    while (i < term.size() && (absl::ascii_isalnum(term[i]) || term[i] == '-' ||
                               term[i] == '_' || term[i] == '.')) {
      ++i;
    }
    if (i < term.size() && term[i] == '=') {
      return ParseModifier(term, term.substr(0, i), term.substr(i + 1), record);
    }
  }
  return ParseDirective(term, record);
}

}  // namespace

const char* QualifierSymbol(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::kPass:
      return "+";
    case Qualifier::kFail:
      return "-";
    case Qualifier::kSoftFail:
      return "~";
    case Qualifier::kNeutral:
      return "?";
  }
  return "?";
}

const char* MechanismName(MechanismKind kind) {
  switch (kind) {
    case MechanismKind::kAll:
      return "all";
    case MechanismKind::kInclude:
      return "include";
    case MechanismKind::kA:
      return "a";
    case MechanismKind::kMx:
      return "mx";
    case MechanismKind::kPtr:
      return "ptr";
    case MechanismKind::kIp4:
      return "ip4";
    case MechanismKind::kIp6:
      return "ip6";
    case MechanismKind::kExists:
      return "exists";
  }
  return "?";
}

bool CountsAsDnsLookup(MechanismKind kind) {
  switch (kind) {
    case MechanismKind::kInclude:
    case MechanismKind::kA:
    case MechanismKind::kMx:
    case MechanismKind::kPtr:
    case MechanismKind::kExists:
      return true;
    default:
      return false;
  }
}

bool Record::HasAll() const {
  for (const Directive& d : directives) {
    if (d.kind == MechanismKind::kAll) return true;
  }
  return false;
}

bool Record::PermitsNothing() const {
  for (const Directive& d : directives) {
    if (d.qualifier != Qualifier::kFail) return false;
  }
  return !redirect.has_value() || HasAll();
}

bool IsSpfRecord(absl::string_view text) {
  if (!absl::StartsWithIgnoreCase(text, kVersion)) return false;
  return text.size() == kVersion.size() || text[kVersion.size()] == ' ';
}

std::optional<SpfLookalike> FindSpfLookalike(absl::string_view text) {
  if (IsSpfRecord(text)) return std::nullopt;
  absl::string_view core = absl::StripAsciiWhitespace(text);
  bool quoted = false;
  if (core.size() >= 2 && (core.front() == '"' || core.front() == '\'')) {
    const char quote = core.front();
    core.remove_prefix(1);
    if (!core.empty() && core.back() == quote) core.remove_suffix(1);
    core = absl::StripAsciiWhitespace(core);
    quoted = true;
  }
  if (!absl::StartsWithIgnoreCase(core, kVersion)) return std::nullopt;
  SpfLookalike found;
  std::string meant(core);
  if (quoted) {
    found.why = "the record is in literal quotes";
  } else if (core.size() != text.size()) {
    found.why = "white space before v=spf1";
  }
  if (core.size() > kVersion.size() && core[kVersion.size()] != ' ') {
    // "v=spf1,mx,a,-all", "v=spf1;mx": separators other than spaces.
    const char separator = core[kVersion.size()];
    if (found.why.empty()) {
      found.why = absl::StrCat("'", std::string(1, separator),
                               "' after v=spf1 where RFC 7208 section 4.5 "
                               "requires a space");
    }
    if (separator == ',' || separator == ';' || separator == '\t') {
      for (char& c : meant) {
        if (c == separator) c = ' ';
      }
    } else {
      meant.clear();
    }
  }
  if (found.why.empty()) return std::nullopt;
  if (!meant.empty() && !ParseRecord(meant).ok()) meant.clear();
  found.meant = std::move(meant);
  return found;
}

absl::StatusOr<DomainSpec> ParseDomainSpec(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty domain-spec");
  absl::StatusOr<MacroString> macro =
      ParseMacroString(text, MacroSyntax::kDomainSpec);
  if (!macro.ok()) return macro.status();
  if (!macro->ends_with_macro_expand) {
    absl::string_view name = text;
    absl::ConsumeSuffix(&name, ".");
    const size_t dot = name.rfind('.');
    if (dot == absl::string_view::npos || !IsTopLabel(name.substr(dot + 1))) {
      std::string why = absl::StrCat(
          "domain-spec ", Quoted(text),
          " must end in a dot and a top-level label (letters, digits, "
          "inner '-', not all digits) or in a macro");
      if (IpAddress::ParseIp4(text).ok()) {
        absl::StrAppend(&why, "; an address needs ip4:, not a or mx");
      }
      return absl::InvalidArgumentError(why);
    }
  }
  return DomainSpec{std::string(text), *std::move(macro)};
}

absl::StatusOr<Record> ParseRecord(absl::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) > 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(
          "record is not 7-bit ASCII (octet ",
          absl::CHexEscape(text.substr(i, 1)), " at offset ", i, ")"));
    }
  }
  if (!IsSpfRecord(text)) {
    return absl::InvalidArgumentError(
        "not an SPF record: it must start with \"v=spf1\" and a space");
  }
  Record record;
  // terms = *( 1*SP ( directive / modifier ) ), then *SP: only spaces
  // separate terms; any other white space is part of a (bad) term.
  for (absl::string_view term :
       absl::StrSplit(text.substr(kVersion.size()), ' ', absl::SkipEmpty())) {
    absl::Status status = ParseTerm(term, &record);
    if (!status.ok()) return status;
  }
  return record;
}

}  // namespace mxscan::checks::spf
