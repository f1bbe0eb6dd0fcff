#include "scanner/dns/resolver_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mxscan::dns {

bool ResolverAddress::Matches(const sockaddr* other) const {
  if (other == nullptr || other->sa_family != address.ss_family) return false;
  if (other->sa_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&address);
    const auto* b = reinterpret_cast<const sockaddr_in*>(other);
    return a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (other->sa_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&address);
    const auto* b = reinterpret_cast<const sockaddr_in6*>(other);
    return a->sin6_port == b->sin6_port &&
           std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(in6_addr)) == 0;
  }
  return false;
}

absl::StatusOr<ResolverAddress> ParseResolverAddress(absl::string_view text) {
  std::string host;
  uint32_t port = 53;
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "[")) {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("resolver \"", text, "\": missing ']'"));
    }
    host = std::string(rest.substr(0, close));
    rest.remove_prefix(close + 1);
    if (!rest.empty()) {
      if (!absl::ConsumePrefix(&rest, ":") || !absl::SimpleAtoi(rest, &port)) {
        return absl::InvalidArgumentError(
            absl::StrCat("resolver \"", text, "\": bad port"));
      }
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const size_t colon = text.find(':');
    host = std::string(text.substr(0, colon));
    if (!absl::SimpleAtoi(text.substr(colon + 1), &port)) {
      return absl::InvalidArgumentError(
          absl::StrCat("resolver \"", text, "\": bad port"));
    }
  } else {
    host = std::string(text);
  }
  if (port == 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver \"", text, "\": port out of range"));
  }
  ResolverAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    out.text = absl::StrCat(host, ":", port);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    out.text = absl::StrCat("[", host, "]:", port);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolver \"", text, "\" is not an IPv4 or IPv6 address"));
  }
  return out;
}

absl::StatusOr<std::vector<ResolverAddress>> SystemResolvers(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::vector<ResolverAddress> resolvers;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words.size() >= 2 && words[0] == "nameserver") {
      // Scoped IPv6 addresses ("fe80::1%eth0") are not supported.
      absl::StatusOr<ResolverAddress> r = ParseResolverAddress(
          words[1].find(':') != absl::string_view::npos
              ? absl::StrCat("[", words[1], "]")
              : std::string(words[1]));
      if (r.ok()) resolvers.push_back(*std::move(r));
    }
  }
  if (resolvers.empty()) {
    return absl::NotFoundError(absl::StrCat("no usable nameserver in ", path));
  }
  return resolvers;
}

}  // namespace mxscan::dns
