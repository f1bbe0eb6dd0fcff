#ifndef MXSCAN_SCANNER_SCAN_BLOCKLIST_H_
#define MXSCAN_SCANNER_SCAN_BLOCKLIST_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::scan {

// Blocklist is the set of networks a scan never contacts (--blocklist: an
// operator's opt-out list). IPv4 and IPv6 CIDRs; immutable once loaded,
// shared read-only by every worker.
class Blocklist {
 public:
  // Parse reads one CIDR or address per line; '#' starts a comment.
  // Fails on the first bad line, naming it.
  static absl::StatusOr<Blocklist> Parse(absl::string_view text);
  static absl::StatusOr<Blocklist> Load(const std::string& path);

  // Contains is true when `ip` (text form) lies in a listed network.
  // Text that is not an address is never contained.
  bool Contains(absl::string_view ip) const;
  size_t size() const { return networks_.size(); }

 private:
  struct Network {
    int family;  // AF_INET or AF_INET6
    std::array<uint8_t, 16> address;
    int prefix;
  };
  std::vector<Network> networks_;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_BLOCKLIST_H_
