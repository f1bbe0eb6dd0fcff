#include "scanner/checks/dmarc/report_uri.h"

#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::dmarc {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

absl::string_view TrimWsp(absl::string_view s) {
  while (!s.empty() && IsWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWsp(s.back())) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// URI characters of RFC 3986 (unreserved, reserved and '%'), except "," and
// "!" which a DMARC URI must percent-encode, and ";" which ends the tag.
bool IsUriChar(char c) {
  if (absl::ascii_isalnum(c)) return true;
  return absl::string_view("-._~:/?#[]@$&'()*+=%").find(c) !=
         absl::string_view::npos;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return absl::InvalidArgumentError("truncated percent-encoding");
    }
    const int hi = HexValue(s[i + 1]);
    const int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError("malformed percent-encoding");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// ValidHost accepts a DNS name of letter/digit/hyphen/underscore labels, or
// a bracketed address literal.
bool ValidHost(absl::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') return host.size() > 2 && host.back() == ']';
  absl::ConsumeSuffix(&host, ".");
  if (host.empty() || host.size() > 253) return false;
  size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

std::string CanonicalHost(absl::string_view host) {
  absl::ConsumeSuffix(&host, ".");
  return absl::AsciiStrToLower(host);
}

// ParseSize reads "10", "10m", "0G" (and, noted, "10 K") into bytes.
absl::StatusOr<uint64_t> ParseSize(absl::string_view text,
                                   std::vector<std::string>* notes) {
  text = TrimWsp(text);
  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  if (digits == 0) {
    return absl::InvalidArgumentError("size after '!' has no digits");
  }
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const uint64_t d = text[i] - '0';
    if (value > (std::numeric_limits<uint64_t>::max() - d) / 10) {
      return absl::InvalidArgumentError("size overflows 64 bits");
    }
    value = value * 10 + d;
  }
  absl::string_view unit = text.substr(digits);
  const absl::string_view trimmed_unit = TrimWsp(unit);
  if (trimmed_unit.size() != unit.size()) {
    notes->push_back("white space inside a URI size suffix tolerated");
  }
  unit = trimmed_unit;
  if (unit.empty()) return value;
  int shift;
  switch (unit.size() == 1 ? absl::ascii_tolower(unit[0]) : '?') {
    case 'k':
      shift = 10;
      break;
    case 'm':
      shift = 20;
      break;
    case 'g':
      shift = 30;
      break;
    case 't':
      shift = 40;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown size unit '", unit, "'"));
  }
  if (value > (std::numeric_limits<uint64_t>::max() >> shift)) {
    return absl::InvalidArgumentError("size overflows 64 bits");
  }
  return value << shift;
}

// ParseMailbox fills `address` and `host` from a mailto: URI's path.
absl::Status ParseMailbox(absl::string_view path, ReportUri* uri,
                          std::vector<std::string>* notes) {
  // Header fields after '?' (RFC 6068) are not part of the mailbox.
  path = path.substr(0, path.find('?'));
  absl::StatusOr<std::string> decoded = PercentDecode(path);
  if (!decoded.ok()) return decoded.status();
  const size_t at = decoded->rfind('@');
  if (at == std::string::npos) {
    return absl::InvalidArgumentError("mailto: URI without '@'");
  }
  absl::string_view local = absl::string_view(*decoded).substr(0, at);
  absl::string_view domain = absl::string_view(*decoded).substr(at + 1);
  // Folding white space around the local part and the domain is CFWS and
  // carries no meaning; inside either it makes the address unusable.
  const absl::string_view trimmed_local = TrimWsp(local);
  const absl::string_view trimmed_domain = TrimWsp(domain);
  if (trimmed_local.size() != local.size() ||
      trimmed_domain.size() != domain.size()) {
    notes->push_back(absl::StrCat("encoded white space in report address '",
                                  *decoded, "' ignored"));
  }
  if (trimmed_local.empty()) {
    return absl::InvalidArgumentError("mailto: URI with an empty local part");
  }
  for (char c : trimmed_local) {
    if (static_cast<unsigned char>(c) <= ' ' ||
        static_cast<unsigned char>(c) >= 0x7F) {
      return absl::InvalidArgumentError(
          "mailto: local part with white space or control characters");
    }
  }
  if (!ValidHost(trimmed_domain)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mailto: URI with an invalid domain '", trimmed_domain, "'"));
  }
  uri->host = CanonicalHost(trimmed_domain);
  uri->address = absl::StrCat(trimmed_local, "@", uri->host);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReportUri> ParseReportUri(absl::string_view element,
                                         std::vector<std::string>* notes) {
  element = TrimWsp(element);
  ReportUri uri;
  // "!" must be percent-encoded inside a DMARC URI, so the first one starts
  // the size suffix.
  const size_t bang = element.find('!');
  absl::string_view text = TrimWsp(element.substr(0, bang));
  if (bang != absl::string_view::npos) {
    absl::StatusOr<uint64_t> size = ParseSize(element.substr(bang + 1), notes);
    if (!size.ok()) return size.status();
    uri.max_size_bytes = *size;
    if (text.size() != element.substr(0, bang).size()) {
      notes->push_back("white space before '!' in a URI tolerated");
    }
  }
  if (text.empty()) return absl::InvalidArgumentError("empty URI");

  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986).
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::ascii_isalpha(text[0])) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a URI (no scheme)"));
  }
  for (char c : text.substr(0, colon)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' is not a URI (bad scheme)"));
    }
  }
  for (char c : text) {
    if (!IsUriChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "URI '", text, "' has a character that must be percent-encoded"));
    }
  }
  uri.uri = std::string(text);
  uri.scheme = absl::AsciiStrToLower(text.substr(0, colon));
  const absl::string_view rest = text.substr(colon + 1);
  if (rest.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("URI '", text, "' is empty after its scheme"));
  }
  if (uri.scheme == "mailto") {
    absl::Status status = ParseMailbox(rest, &uri, notes);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("URI '", text, "': ", status.message()));
    }
  } else if (uri.scheme == "http" || uri.scheme == "https") {
    absl::string_view authority = rest;
    if (!absl::ConsumePrefix(&authority, "//")) {
      return absl::InvalidArgumentError(
          absl::StrCat("URI '", text, "' has no authority"));
    }
    authority = authority.substr(0, authority.find_first_of("/?#"));
    authority = authority.substr(authority.rfind('@') + 1);  // userinfo
    if (!authority.empty() && authority.front() != '[') {
      authority = authority.substr(0, authority.find(':'));  // port
    }
    if (!ValidHost(authority)) {
      return absl::InvalidArgumentError(
          absl::StrCat("URI '", text, "' has an invalid host"));
    }
    uri.host = CanonicalHost(authority);
  }
  absl::StatusOr<std::string> decoded = PercentDecode(rest);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("URI '", text, "': ", decoded.status().message()));
  }
  return uri;
}

}  // namespace mxscan::checks::dmarc
