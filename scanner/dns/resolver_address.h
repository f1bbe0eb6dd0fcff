#ifndef MXSCAN_SCANNER_DNS_RESOLVER_ADDRESS_H_
#define MXSCAN_SCANNER_DNS_RESOLVER_ADDRESS_H_

#include <sys/socket.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::dns {

// ResolverAddress is one DNS server the client sends questions to.
struct ResolverAddress {
  sockaddr_storage address{};
  std::string text;  // "127.0.0.1:53" or "[::1]:53"

  int family() const { return address.ss_family; }
  const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&address);
  }
  // Same family, address and port (what answer matching compares).
  bool Matches(const sockaddr* other) const;
};

// ParseResolverAddress accepts "IPv4", "IPv4:PORT", "IPv6", "[IPv6]:PORT";
// the port defaults to 53. Host names are refused: a resolver is an address.
absl::StatusOr<ResolverAddress> ParseResolverAddress(absl::string_view text);

// SystemResolvers reads the nameserver lines of a resolv.conf file.
absl::StatusOr<std::vector<ResolverAddress>> SystemResolvers(
    const std::string& path = "/etc/resolv.conf");

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_RESOLVER_ADDRESS_H_
