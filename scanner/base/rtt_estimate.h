#ifndef MXSCAN_SCANNER_BASE_RTT_ESTIMATE_H_
#define MXSCAN_SCANNER_BASE_RTT_ESTIMATE_H_

#include <cstdint>

namespace mxscan::base {

// RttEstimate smooths round-trip samples the way TCP does (RFC 6298
// section 2: SRTT and RTTVAR with gains 1/8 and 1/4, RTO = SRTT + 4 x
// RTTVAR), for a client that must tell a slow answer from a lost one.
// Samples must be unambiguous (the answer names the transmission it
// answers), so Karn's rule is not needed. Pure logic, in milliseconds;
// not thread-safe.
class RttEstimate {
 public:
  void Sample(int64_t rtt_ms);

  bool has_samples() const { return has_samples_; }
  // SRTT + 4 x RTTVAR; 0 before the first sample.
  int64_t TimeoutMs() const;
  int64_t smoothed_ms() const { return srtt_ms_; }

 private:
  bool has_samples_ = false;
  int64_t srtt_ms_ = 0;
  int64_t rttvar_ms_ = 0;
};

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_RTT_ESTIMATE_H_
