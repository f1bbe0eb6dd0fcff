#include "scanner/base/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace mxscan::base {

TokenBucket::TokenBucket(double rate_per_s, double burst, int64_t now_ms)
    : rate_per_ms_(rate_per_s / 1000.0),
      burst_(std::max(1.0, burst)),
      tokens_(std::max(1.0, burst)),
      last_ms_(now_ms) {}

void TokenBucket::Refill(int64_t now_ms) {
  if (now_ms <= last_ms_) return;
  tokens_ = std::min(burst_, tokens_ + (now_ms - last_ms_) * rate_per_ms_);
  last_ms_ = now_ms;
}

bool TokenBucket::TryTake(int64_t now_ms) {
  if (unlimited()) return true;
  Refill(now_ms);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

int64_t TokenBucket::MsUntilAvailable(int64_t now_ms) {
  if (unlimited()) return 0;
  Refill(now_ms);
  if (tokens_ >= 1.0) return 0;
  return static_cast<int64_t>(std::ceil((1.0 - tokens_) / rate_per_ms_));
}

}  // namespace mxscan::base
