#include "scanner/bench/bench_target.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mxscan::bench {
namespace {

absl::Status Refuse(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--target \"", text, "\" ", why,
      "; mxscan bench measures one explicitly named server "
      "(HOST:PORT, IPv4:PORT or [IPv6]:PORT)"));
}

// A host name of letters, digits and hyphens in dot-separated labels
// (RFC 1123), at most 253 bytes; a trailing dot is allowed.
bool IsHostName(absl::string_view name) {
  if (absl::EndsWith(name, ".")) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
  }
  return true;
}

// "127.0.0.1-9", "10.0.0-5.1": the labels are digits and hyphens only,
// which no host name of a real top-level domain is.
bool LooksLikeAddressRange(absl::string_view name) {
  if (name.find('-') == absl::string_view::npos) return false;
  for (char c : name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

// Why an IP literal cannot be a benchmark target, or "" when it can be.
std::string UnusableAddress(absl::string_view host, bool* is_ip) {
  const std::string h(host);
  in_addr v4;
  in6_addr v6;
  *is_ip = true;
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    const uint32_t a = ntohl(v4.s_addr);
    if (a == 0) return "is the unspecified address";
    if (a == 0xffffffffu) return "is the broadcast address";
    if ((a >> 28) == 0xe) return "is a multicast address (many hosts)";
    return "";
  }
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    static const in6_addr kAny = IN6ADDR_ANY_INIT;
    if (std::memcmp(&v6, &kAny, sizeof(v6)) == 0) {
      return "is the unspecified address";
    }
    if (v6.s6_addr[0] == 0xff) return "is a multicast address (many hosts)";
    return "";
  }
  *is_ip = false;
  return "";
}

}  // namespace

std::string FormatHostPort(absl::string_view host, uint16_t port) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<BenchTarget> ParseBenchTarget(absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        "--target is required: the one server to measure, HOST:PORT");
  }
  if (text.find_first_of(",; \t\r\n") != absl::string_view::npos) {
    return Refuse(text, "is a list of targets");
  }
  if (text.front() == '@') return Refuse(text, "names a file of targets");
  if (text.find('/') != absl::string_view::npos) {
    return Refuse(text, "is a network (CIDR) or a path, not one host");
  }
  if (text.find_first_of("*?") != absl::string_view::npos) {
    return Refuse(text, "holds a wildcard");
  }

  absl::string_view host;
  absl::string_view port_text;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return Refuse(text, "is not [IPv6]:PORT");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      return Refuse(text, "has no port");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) {
      return Refuse(text, "is an IPv6 address without brackets ([::1]:25)");
    }
  }
  uint32_t port = 0;
  if (port_text.empty() || !absl::SimpleAtoi(port_text, &port) || port == 0 ||
      port > 65535 ||
      port_text.find_first_not_of("0123456789") != absl::string_view::npos) {
    return Refuse(text, "has no valid port (1-65535)");
  }
  if (host.empty()) return Refuse(text, "has no host");

  BenchTarget target;
  target.port = static_cast<uint16_t>(port);
  const std::string unusable = UnusableAddress(host, &target.host_is_ip);
  if (!unusable.empty()) return Refuse(text, unusable);
  if (!target.host_is_ip) {
    if (text.front() == '[') return Refuse(text, "is not [IPv6]:PORT");
    if (LooksLikeAddressRange(host)) return Refuse(text, "is an address range");
    if (!IsHostName(host)) return Refuse(text, "is not a host name");
  }
  target.host = std::string(host);
  return target;
}

}  // namespace mxscan::bench
