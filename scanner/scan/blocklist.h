#ifndef MXSCAN_SCANNER_SCAN_BLOCKLIST_H_
#define MXSCAN_SCANNER_SCAN_BLOCKLIST_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::scan {

// Blocklist is what a scan never contacts or scans (--blocklist: the
// opt-out list): IPv4 and IPv6 networks (no DNS resolver, mail server or
// policy host in them is contacted) and domain names (neither they nor
// their subdomains are scanned: they get a record saying so). Immutable
// once loaded, shared read-only by every worker.
class Blocklist {
 public:
  // Parse reads one CIDR, address or domain name per line; '#' starts a
  // comment.
  // Fails on the first bad line, naming it.
  static absl::StatusOr<Blocklist> Parse(absl::string_view text);
  static absl::StatusOr<Blocklist> Load(const std::string& path);

  // Contains is true when `ip` (text form) lies in a listed network.
  // Text that is not an address is never contained.
  bool Contains(absl::string_view ip) const;
  // ContainsDomain is true when `domain` or a parent of it is listed.
  bool ContainsDomain(absl::string_view domain) const;
  size_t size() const { return networks_.size() + domains_.size(); }

 private:
  struct Network {
    int family;  // AF_INET or AF_INET6
    std::array<uint8_t, 16> address;
    int prefix;
  };
  std::vector<Network> networks_;
  absl::flat_hash_set<std::string> domains_;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_BLOCKLIST_H_
