#include "scanner/core/socket_address.h"

#include <uv.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::core {

absl::StatusOr<sockaddr_storage> SocketAddress(const std::string& ip,
                                               int port) {
  sockaddr_storage address{};
  const int rc = ip.find(':') != std::string::npos
                     ? uv_ip6_addr(ip.c_str(), port,
                                   reinterpret_cast<sockaddr_in6*>(&address))
                     : uv_ip4_addr(ip.c_str(), port,
                                   reinterpret_cast<sockaddr_in*>(&address));
  if (rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", ip, "\" is not an IP address"));
  }
  return address;
}

}  // namespace mxscan::core
