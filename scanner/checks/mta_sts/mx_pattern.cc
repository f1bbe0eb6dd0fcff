#include "scanner/checks/mta_sts/mx_pattern.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::mta_sts {
namespace {

// sub-domain = Let-dig [Ldh-str] (RFC 5321 section 4.1.2), at most 63 octets.
bool IsSubDomain(absl::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  auto let_dig = [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c));
  };
  if (!let_dig(label.front()) || !let_dig(label.back())) return false;
  for (const char c : label) {
    if (!let_dig(c) && c != '-') return false;
  }
  return true;
}

absl::string_view StripOneDot(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return name;
}

}  // namespace

bool IsValidMxPattern(absl::string_view pattern) {
  absl::string_view domain = pattern;
  absl::ConsumePrefix(&domain, "*.");
  if (domain.empty() || domain.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(domain, '.')) {
    if (!IsSubDomain(label)) return false;
  }
  return true;
}

bool MxMatchesPattern(absl::string_view host, absl::string_view pattern) {
  host = StripOneDot(host);
  pattern = StripOneDot(pattern);
  if (host.empty() || pattern.empty()) return false;
  if (absl::ConsumePrefix(&pattern, "*")) {
    // `pattern` is now ".example.com": the host must be one label plus it.
    if (pattern.size() < 2 || pattern.front() != '.') return false;
    if (host.size() <= pattern.size()) return false;
    const size_t label_length = host.size() - pattern.size();
    if (!absl::EqualsIgnoreCase(host.substr(label_length), pattern)) {
      return false;
    }
    return host.substr(0, label_length).find('.') == absl::string_view::npos;
  }
  return absl::EqualsIgnoreCase(host, pattern);
}

std::vector<std::string> MxHostsNotCovered(
    absl::Span<const std::string> mx_hosts,
    absl::Span<const std::string> patterns) {
  std::vector<std::string> not_covered;
  for (const std::string& host : mx_hosts) {
    bool covered = false;
    for (const std::string& pattern : patterns) {
      if (MxMatchesPattern(host, pattern)) {
        covered = true;
        break;
      }
    }
    if (!covered) not_covered.push_back(host);
  }
  return not_covered;
}

}  // namespace mxscan::checks::mta_sts
