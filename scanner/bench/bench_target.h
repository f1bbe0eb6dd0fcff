#ifndef MXSCAN_SCANNER_BENCH_BENCH_TARGET_H_
#define MXSCAN_SCANNER_BENCH_BENCH_TARGET_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::bench {

// BenchTarget is the one server `mxscan bench` measures.
struct BenchTarget {
  std::string host;  // a host name, or an IP literal (IPv6 without brackets)
  uint16_t port = 0;
  bool host_is_ip = false;
};

// ParseBenchTarget accepts exactly one explicitly named server,
// "HOST:PORT", "IPv4:PORT" or "[IPv6]:PORT". A benchmark drives a server
// at the highest rate it allows, so anything that could name more than
// one machine is refused with InvalidArgument saying why: a list (commas,
// semicolons or white space), a network in CIDR notation or a path ('/'),
// an address range ("127.0.0.1-9"), a wildcard, a file ("@FILE"), the
// unspecified address (0.0.0.0, ::) and multicast or broadcast addresses.
// Pure: names are not resolved here (a file named like the target is the
// caller's to check).
absl::StatusOr<BenchTarget> ParseBenchTarget(absl::string_view text);

// FormatHostPort writes "host:port", with brackets around an IPv6 host.
std::string FormatHostPort(absl::string_view host, uint16_t port);

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_BENCH_TARGET_H_
