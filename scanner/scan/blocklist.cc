#include "scanner/scan/blocklist.h"

#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/scan/domain_input.h"

namespace mxscan::scan {
namespace {

bool ParseAddress(const std::string& text, int* family,
                  std::array<uint8_t, 16>* out) {
  out->fill(0);
  // inet_pton would stop at a NUL and accept what comes before it.
  if (text.find('\0') != std::string::npos) return false;
  if (inet_pton(AF_INET, text.c_str(), out->data()) == 1) {
    *family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), out->data()) == 1) {
    *family = AF_INET6;
    return true;
  }
  return false;
}

bool PrefixMatches(const std::array<uint8_t, 16>& a,
                   const std::array<uint8_t, 16>& b, int prefix) {
  int i = 0;
  for (; prefix >= 8; prefix -= 8, ++i) {
    if (a[i] != b[i]) return false;
  }
  if (prefix == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - prefix));
  return (a[i] & mask) == (b[i] & mask);
}

}  // namespace

absl::StatusOr<Blocklist> Blocklist::Parse(absl::string_view text) {
  Blocklist list;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    std::vector<std::string> parts = absl::StrSplit(line, '/');
    Network network;
    if (parts.size() == 1 &&
        !ParseAddress(parts[0], &network.family, &network.address)) {
      // Not an address: a domain that opted out, with its subdomains.
      absl::StatusOr<std::string> domain = NormalizeDomain(line);
      if (!domain.ok() || domain->find('.') == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "blocklist line ", line_number, ": \"", line,
            "\" is not an address, a CIDR or a domain name"));
      }
      list.domains_.insert(*std::move(domain));
      continue;
    }
    if (parts.size() > 2 ||
        !ParseAddress(parts[0], &network.family, &network.address)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "blocklist line ", line_number, ": \"", line,
          "\" is not an address or CIDR"));
    }
    const int max_prefix = network.family == AF_INET ? 32 : 128;
    network.prefix = max_prefix;
    if (parts.size() == 2 &&
        (!absl::SimpleAtoi(parts[1], &network.prefix) || network.prefix < 0 ||
         network.prefix > max_prefix)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "blocklist line ", line_number, ": bad prefix length in \"", line,
          "\""));
    }
    list.networks_.push_back(network);
  }
  return list;
}

absl::StatusOr<Blocklist> Blocklist::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read blocklist ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().size() > (64u << 20)) {
    return absl::InvalidArgumentError("blocklist larger than 64 MiB");
  }
  return Parse(text.str());
}

bool Blocklist::ContainsDomain(absl::string_view domain) const {
  if (domains_.empty()) return false;
  absl::string_view name = domain;
  absl::ConsumeSuffix(&name, ".");
  while (true) {
    if (domains_.contains(absl::AsciiStrToLower(name))) return true;
    const size_t dot = name.find('.');
    if (dot == absl::string_view::npos) return false;
    name.remove_prefix(dot + 1);
  }
}

bool Blocklist::Contains(absl::string_view ip) const {
  int family = 0;
  std::array<uint8_t, 16> address;
  if (!ParseAddress(std::string(ip), &family, &address)) return false;
  for (const Network& n : networks_) {
    if (n.family == family && PrefixMatches(n.address, address, n.prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace mxscan::scan
