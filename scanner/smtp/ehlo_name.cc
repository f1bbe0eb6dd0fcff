#include "scanner/smtp/ehlo_name.h"

#include <arpa/inet.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

bool IsPublicAddress(absl::string_view ip) {
  const std::string text(ip);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    const uint32_t a = ntohl(v4.s_addr);
    auto in = [a](uint32_t net, int bits) {
      return (a >> (32 - bits)) == (net >> (32 - bits));
    };
    return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) ||
             in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
             in(0x64400000, 10) || in(0xC0000200, 24) || in(0xC6336400, 24) ||
             in(0xCB007100, 24) || in(0xE0000000, 4) || in(0xF0000000, 4));
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  const uint8_t* b = v6.s6_addr;
  const bool loopback_or_any =
      std::all_of(b, b + 15, [](uint8_t x) { return x == 0; });
  const bool unique_local = (b[0] & 0xFE) == 0xFC;
  const bool link_local = b[0] == 0xFE && (b[1] & 0xC0) == 0x80;
  const bool documentation =
      b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8;
  const bool v4_mapped =
      std::all_of(b, b + 10, [](uint8_t x) { return x == 0; }) &&
      b[10] == 0xFF && b[11] == 0xFF;
  return !(loopback_or_any || unique_local || link_local || documentation ||
           v4_mapped || b[0] == 0xFF);
}

std::vector<std::string> EhloDnsWarnings(
    absl::string_view ehlo_name, const std::vector<std::string>& name_addresses,
    const std::vector<std::string>& public_addresses,
    const std::vector<std::vector<std::string>>& ptr_names) {
  std::vector<std::string> warnings;
  if (public_addresses.empty()) return warnings;
  const std::string name =
      absl::AsciiStrToLower(absl::StripSuffix(ehlo_name, "."));
  bool forward = false;
  for (const std::string& a : public_addresses) {
    forward = forward || std::find(name_addresses.begin(), name_addresses.end(),
                                   a) != name_addresses.end();
  }
  if (!forward) {
    warnings.push_back(absl::StrCat(
        "the EHLO name \"", name, "\" resolves to ",
        name_addresses.empty() ? "no address"
                               : absl::StrJoin(name_addresses, ", "),
        ", none of this machine's public addresses (",
        absl::StrJoin(public_addresses, ", "),
        "): receivers that check forward DNS may distrust the session"));
  }
  for (size_t i = 0; i < public_addresses.size() && i < ptr_names.size(); ++i) {
    bool reverse = false;
    for (const std::string& ptr : ptr_names[i]) {
      reverse =
          reverse || absl::AsciiStrToLower(absl::StripSuffix(ptr, ".")) == name;
    }
    if (!reverse) {
      warnings.push_back(absl::StrCat(
          "the PTR record of ", public_addresses[i], " ",
          ptr_names[i].empty()
              ? "is missing"
              : absl::StrCat("names ", absl::StrJoin(ptr_names[i], ", ")),
          ", not the EHLO name \"", name,
          "\": receivers that check reverse DNS may refuse the session"));
    }
  }
  return warnings;
}

}  // namespace mxscan::smtp
