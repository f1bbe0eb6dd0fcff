#ifndef MXSCAN_SCANNER_RESULTS_SHARD_H_
#define MXSCAN_SCANNER_RESULTS_SHARD_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::results {

// Shard is `--shard I/N`: this run scans the domains whose stable hash
// modulo N is I, so that N runs on N machines split an input between them
// without coordination.
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;

  bool Contains(absl::string_view domain) const;
};

// ParseShard accepts "I/N" with 0 <= I < N.
absl::StatusOr<Shard> ParseShard(absl::string_view text);

// StableHash is FNV-1a (64 bits): the same on every machine and run, unlike
// absl::Hash, which is seeded per process.
uint64_t StableHash(absl::string_view text);

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_SHARD_H_
