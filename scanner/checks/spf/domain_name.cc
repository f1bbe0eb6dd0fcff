#include "scanner/checks/spf/domain_name.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/dns/name.h"

namespace mxscan::checks::spf {

std::string TargetName(absl::string_view expanded) {
  absl::ConsumeSuffix(&expanded, ".");
  while (expanded.size() > kMaxTargetNameLength) {
    const size_t dot = expanded.find('.');
    if (dot == absl::string_view::npos) break;  // one huge label: give up
    expanded.remove_prefix(dot + 1);
  }
  return std::string(expanded);
}

bool IsQueryableName(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  if (name.empty() || name.size() > kMaxTargetNameLength) return false;
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > dns::kMaxLabelLength) return false;
  }
  return true;
}

bool IsWellFormedDomain(absl::string_view domain) {
  if (!IsQueryableName(domain)) return false;
  absl::ConsumeSuffix(&domain, ".");
  for (char c : domain) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return false;
  }
  if (domain.front() == '[') return false;
  const size_t dot = domain.rfind('.');
  if (dot == absl::string_view::npos) return false;  // single label
  const absl::string_view top = domain.substr(dot + 1);
  bool all_digits = true;
  for (char c : top) all_digits = all_digits && absl::ascii_isdigit(c);
  return !all_digits;
}

std::string PresentationName(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  // Dots stay label separators: SPF has no way to write a dot inside a label.
  dns::AppendEscapedOctets(name, /*lowercase=*/false, /*escape_dot=*/false,
                           &out);
  return out;
}

std::string CanonicalName(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return absl::AsciiStrToLower(name);
}

bool IsSameOrSubdomain(absl::string_view name, absl::string_view parent) {
  const std::string n = CanonicalName(name);
  const std::string p = CanonicalName(parent);
  if (p.empty()) return false;
  if (n == p) return true;
  return n.size() > p.size() && absl::EndsWith(n, p) &&
         n[n.size() - p.size() - 1] == '.';
}

}  // namespace mxscan::checks::spf
