#include "scanner/tls/hostname_match.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace mxscan::tls {
namespace {

constexpr size_t kMaxNameLength = 253;

bool IsLabelChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

bool IsValidLabel(absl::string_view label) {
  if (label.empty()) return false;
  for (char c : label) {
    if (!IsLabelChar(c)) return false;
  }
  return true;
}

// Splits a lowercased name without its trailing dot into labels; false when
// the name is empty or too long. Labels are not validated here.
bool SplitName(absl::string_view name, std::string* lowered,
               std::vector<absl::string_view>* labels) {
  if (absl::EndsWith(name, ".")) name.remove_suffix(1);
  if (name.empty() || name.size() > kMaxNameLength) return false;
  *lowered = absl::AsciiStrToLower(name);
  *labels = absl::StrSplit(*lowered, '.');
  return true;
}

}  // namespace

bool IsIpLiteral(absl::string_view host) {
  if (absl::StrContains(host, ':') || absl::StartsWith(host, "[")) {
    return true;
  }
  if (absl::EndsWith(host, ".")) host.remove_suffix(1);
  // No top-level label is all digits, so such a name is an address (also
  // the shortened forms inet_aton accepts, like "127.1").
  const size_t dot = host.rfind('.');
  const absl::string_view last =
      dot == absl::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  for (char c : last) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool MatchesPresentedName(absl::string_view presented,
                          absl::string_view host) {
  if (IsIpLiteral(host)) return false;
  std::string host_lower;
  std::vector<absl::string_view> host_labels;
  if (!SplitName(host, &host_lower, &host_labels)) return false;
  for (absl::string_view label : host_labels) {
    if (!IsValidLabel(label)) return false;
  }

  std::string pattern_lower;
  std::vector<absl::string_view> pattern_labels;
  if (!SplitName(presented, &pattern_lower, &pattern_labels)) return false;
  const bool wildcard = pattern_labels[0] == "*";
  for (size_t i = wildcard ? 1 : 0; i < pattern_labels.size(); ++i) {
    if (!IsValidLabel(pattern_labels[i])) return false;
  }
  // "*.com" would cover a whole top-level domain.
  if (wildcard && pattern_labels.size() < 3) return false;

  if (pattern_labels.size() != host_labels.size()) return false;
  for (size_t i = wildcard ? 1 : 0; i < pattern_labels.size(); ++i) {
    if (pattern_labels[i] != host_labels[i]) return false;
  }
  return true;
}

bool HostnameMatches(absl::Span<const std::string> san_dns_names,
                     absl::Span<const std::string> common_names,
                     absl::string_view host) {
  const absl::Span<const std::string> presented =
      san_dns_names.empty() ? common_names : san_dns_names;
  for (const std::string& name : presented) {
    if (MatchesPresentedName(name, host)) return true;
  }
  return false;
}

}  // namespace mxscan::tls
