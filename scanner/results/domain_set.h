#ifndef MXSCAN_SCANNER_RESULTS_DOMAIN_SET_H_
#define MXSCAN_SCANNER_RESULTS_DOMAIN_SET_H_

#include <cstddef>

#include "absl/container/flat_hash_set.h"
#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace mxscan::results {

// DomainSet remembers which domains a scan has seen: 16 bytes a domain (a
// 128-bit fingerprint from two independent 64-bit hashes) rather than the
// name, so that ten million domains fit in ~250 MB. Two different names
// share a fingerprint with probability ~n^2 / 2^129: never, in practice.
class DomainSet {
 public:
  // Insert returns false when `domain` was in the set already.
  bool Insert(absl::string_view domain);
  bool Contains(absl::string_view domain) const;
  size_t size() const { return fingerprints_.size(); }

 private:
  static absl::uint128 Fingerprint(absl::string_view domain);

  absl::flat_hash_set<absl::uint128> fingerprints_;
};

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_DOMAIN_SET_H_
