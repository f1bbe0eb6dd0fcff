#ifndef MXSCAN_SCANNER_CHECKS_SPF_HOST_ADDRESSES_H_
#define MXSCAN_SCANNER_CHECKS_SPF_HOST_ADDRESSES_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/ip_address.h"

namespace mxscan::checks::spf {

// HostMatch is what the addresses of a set of hosts showed.
struct HostMatch {
  bool matched = false;  // an address of some host is in the network
  // The first failed lookup ("A lookup of mx.example.org. failed:
  // TIMEOUT"), empty when none failed. Only decisive without a match.
  std::string failure;
};

// MatchHostAddresses asks the addresses of `ip`'s family of every host in
// `hosts` (DNS presentation form) at once, and tells whether one of them
// has `ip` within its first `prefix` bits: the mx mechanism (RFC 7208
// section 5.4). Calls `done` exactly once, when the last answer is in,
// from a `source` callback; with no hosts, at once. `source` must outlive
// the lookups; the state keeps itself alive.
void MatchHostAddresses(DnsSource& source,
                        const std::vector<std::string>& hosts,
                        const IpAddress& ip, int prefix,
                        absl::AnyInvocable<void(HostMatch)> done);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_HOST_ADDRESSES_H_
