#include "scanner/base/rtt_estimate.h"

#include <algorithm>

namespace mxscan::base {

void RttEstimate::Sample(int64_t rtt_ms) {
  rtt_ms = std::max<int64_t>(rtt_ms, 0);
  if (!has_samples_) {
    has_samples_ = true;
    srtt_ms_ = rtt_ms;
    rttvar_ms_ = rtt_ms / 2;
    return;
  }
  const int64_t deviation =
      srtt_ms_ > rtt_ms ? srtt_ms_ - rtt_ms : rtt_ms - srtt_ms_;
  // In this order (RFC 6298 2.3): RTTVAR uses the SRTT before the sample.
  rttvar_ms_ = (3 * rttvar_ms_ + deviation) / 4;
  srtt_ms_ = (7 * srtt_ms_ + rtt_ms) / 8;
}

int64_t RttEstimate::TimeoutMs() const {
  return has_samples_ ? srtt_ms_ + 4 * rttvar_ms_ : 0;
}

}  // namespace mxscan::base
