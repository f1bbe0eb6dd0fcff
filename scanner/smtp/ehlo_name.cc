#include "scanner/smtp/ehlo_name.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::smtp {

bool IsFullyQualified(absl::string_view name) {
  name = absl::StripSuffix(name, ".");
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "localhost" || absl::EndsWith(lower, ".localdomain") ||
      absl::EndsWith(lower, ".local") || absl::EndsWith(lower, ".localhost")) {
    return false;
  }
  std::vector<absl::string_view> labels = absl::StrSplit(lower, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') return false;
    }
  }
  // An IPv4 address is not a name.
  for (char c : labels.back()) {
    if (!absl::ascii_isdigit(c)) return true;
  }
  return false;
}

EhloNameChoice ChooseEhloName(absl::string_view host_name,
                              absl::string_view mailname,
                              absl::string_view hosts) {
  host_name = absl::StripAsciiWhitespace(host_name);
  if (IsFullyQualified(host_name)) {
    return {std::string(absl::StripSuffix(host_name, ".")), "host name", ""};
  }
  const absl::string_view mail =
      absl::StripAsciiWhitespace(mailname.substr(0, mailname.find('\n')));
  if (IsFullyQualified(mail)) {
    return {std::string(absl::StripSuffix(mail, ".")), "/etc/mailname", ""};
  }
  for (absl::string_view line : absl::StrSplit(hosts, '\n')) {
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() < 2) continue;
    bool names_host = false;
    for (size_t i = 1; i < fields.size(); ++i) {
      names_host = names_host || absl::EqualsIgnoreCase(fields[i], host_name);
    }
    if (!names_host) continue;
    for (size_t i = 1; i < fields.size(); ++i) {
      if (IsFullyQualified(fields[i])) {
        return {std::string(absl::StripSuffix(fields[i], ".")), "/etc/hosts",
                ""};
      }
    }
  }
  EhloNameChoice choice;
  choice.name = host_name.empty() ? "localhost" : std::string(host_name);
  choice.source = "host name";
  choice.warning = absl::StrCat(
      "the EHLO name \"", choice.name,
      "\" is not a fully qualified domain name (RFC 5321 section 4.1.1.1); "
      "strict receivers reject such a greeting, which degrades the SMTP "
      "results: give --ehlo-name NAME, a name whose A/AAAA record is the "
      "scanning machine's public address and whose PTR record names it");
  return choice;
}

}  // namespace mxscan::smtp
