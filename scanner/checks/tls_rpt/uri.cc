#include "scanner/checks/tls_rpt/uri.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::tls_rpt {
namespace {

bool IsUnreserved(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsSubDelim(char c) {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

// Checks that every byte of `s` is unreserved, a sub-delim, one of `extra`,
// or part of a "%" HEXDIG HEXDIG triplet.
absl::Status CheckChars(absl::string_view s, absl::string_view extra,
                        absl::string_view component) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() ||
          !absl::ascii_isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !absl::ascii_isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad percent-encoding in the ", component));
      }
      i += 2;
      continue;
    }
    if (IsUnreserved(c) || IsSubDelim(c) ||
        extra.find(c) != absl::string_view::npos) {
      continue;
    }
    const unsigned char u = static_cast<unsigned char>(c);
    const std::string what =
        u == ' ' ? "a space"
        : u > 0x20 && u < 0x7f
            ? absl::StrCat("character '", absl::string_view(&c, 1), "'")
            : absl::StrCat("byte 0x", absl::Hex(u, absl::kZeroPad2));
    return absl::InvalidArgumentError(
        absl::StrCat(what, " not allowed in the ", component));
  }
  return absl::OkStatus();
}

absl::Status ParseAuthority(absl::string_view authority, Uri* uri) {
  if (const size_t at = authority.find('@'); at != absl::string_view::npos) {
    uri->userinfo = std::string(authority.substr(0, at));
    if (absl::Status s = CheckChars(uri->userinfo, ":", "userinfo"); !s.ok()) {
      return s;
    }
    authority.remove_prefix(at + 1);
  }
  absl::string_view host = authority;
  absl::string_view port;
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("unterminated IP literal");
    }
    host = authority.substr(0, close + 1);
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty() && !absl::ConsumePrefix(&after, ":")) {
      return absl::InvalidArgumentError("junk after the IP literal");
    }
    port = after;
    for (const char c : host.substr(1, host.size() - 2)) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) && c != ':' &&
          c != '.' && c != 'v' && c != 'V') {
        return absl::InvalidArgumentError("bad IP literal");
      }
    }
  } else {
    if (const size_t colon = authority.find(':');
        colon != absl::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (absl::Status s = CheckChars(host, "", "host"); !s.ok()) return s;
  }
  for (const char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("port is not a number");
    }
  }
  uri->host = std::string(host);
  uri->port = std::string(port);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Uri> ParseUri(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty URI");
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError("no scheme");
  }
  const absl::string_view scheme = text.substr(0, colon);
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (scheme.empty() ||
      !absl::ascii_isalpha(static_cast<unsigned char>(scheme[0]))) {
    return absl::InvalidArgumentError("no scheme");
  }
  for (const char c : scheme) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' &&
        c != '-' && c != '.') {
      return absl::InvalidArgumentError("bad scheme");
    }
  }
  Uri uri;
  uri.scheme = absl::AsciiStrToLower(scheme);
  absl::string_view rest = text.substr(colon + 1);

  if (const size_t hash = rest.find('#'); hash != absl::string_view::npos) {
    uri.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
    if (absl::Status s = CheckChars(uri.fragment, ":@/?", "fragment");
        !s.ok()) {
      return s;
    }
  }
  if (const size_t question = rest.find('?');
      question != absl::string_view::npos) {
    uri.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
    if (absl::Status s = CheckChars(uri.query, ":@/?", "query"); !s.ok()) {
      return s;
    }
  }
  if (absl::ConsumePrefix(&rest, "//")) {
    uri.has_authority = true;
    const size_t slash = rest.find('/');
    const absl::string_view authority = rest.substr(0, slash);
    if (absl::Status s = ParseAuthority(authority, &uri); !s.ok()) return s;
    rest = slash == absl::string_view::npos ? absl::string_view()
                                            : rest.substr(slash);
  }
  uri.path = std::string(rest);
  if (absl::Status s = CheckChars(uri.path, ":@/", "path"); !s.ok()) return s;
  return uri;
}

bool IsFqdnHost(absl::string_view host) {
  absl::ConsumeSuffix(&host, ".");
  if (host.empty() || host.size() > 253) return false;
  const std::vector<absl::string_view> labels = absl::StrSplit(host, '.');
  if (labels.size() < 2) return false;
  for (const absl::string_view label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
  }
  return true;
}

}  // namespace mxscan::checks::tls_rpt
