#include "scanner/results/shard.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mxscan::results {

uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

bool Shard::Contains(absl::string_view domain) const {
  return count <= 1 || StableHash(domain) % count == index;
}

absl::StatusOr<Shard> ParseShard(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  Shard shard;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &shard.index) ||
      !absl::SimpleAtoi(parts[1], &shard.count) || shard.count == 0 ||
      shard.index >= shard.count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard \"", text, "\": want I/N with 0 <= I < N, e.g. 0/4"));
  }
  return shard;
}

}  // namespace mxscan::results
