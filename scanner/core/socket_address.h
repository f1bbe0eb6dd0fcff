#ifndef MXSCAN_SCANNER_CORE_SOCKET_ADDRESS_H_
#define MXSCAN_SCANNER_CORE_SOCKET_ADDRESS_H_

#include <sys/socket.h>

#include <string>

#include "absl/status/statusor.h"

namespace mxscan::core {

// SocketAddress makes the sockaddr (sockaddr_in or sockaddr_in6, by the
// address's form) of `ip`, an IPv4 or IPv6 address in text, and `port`.
// Anything else is an error naming it. Pure.
absl::StatusOr<sockaddr_storage> SocketAddress(const std::string& ip, int port);

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_SOCKET_ADDRESS_H_
