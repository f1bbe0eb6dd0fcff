#include "scanner/results/domain_set.h"

#include <functional>
#include <string_view>

#include "scanner/results/shard.h"

namespace mxscan::results {

absl::uint128 DomainSet::Fingerprint(absl::string_view domain) {
  // FNV-1a and libstdc++'s Murmur-based string hash: unrelated functions,
  // both fixed across runs.
  const uint64_t high = StableHash(domain);
  const uint64_t low = std::hash<std::string_view>()(
      std::string_view(domain.data(), domain.size()));
  return absl::MakeUint128(high, low);
}

bool DomainSet::Insert(absl::string_view domain) {
  return fingerprints_.insert(Fingerprint(domain)).second;
}

bool DomainSet::Contains(absl::string_view domain) const {
  return fingerprints_.contains(Fingerprint(domain));
}

}  // namespace mxscan::results
