#ifndef MXSCAN_SCANNER_BASE_TOKEN_BUCKET_H_
#define MXSCAN_SCANNER_BASE_TOKEN_BUCKET_H_

#include <cstdint>

namespace mxscan::base {

// TokenBucket limits a rate of events (`--rate`): `rate_per_s` tokens are
// added per second up to `burst`; each event takes one. A rate of 0 means
// unlimited. Pure logic: the caller supplies the clock, in milliseconds.
class TokenBucket {
 public:
  TokenBucket(double rate_per_s, double burst, int64_t now_ms);

  bool unlimited() const { return rate_per_ms_ <= 0; }
  // Takes one token if one is available at `now_ms`.
  bool TryTake(int64_t now_ms);
  // Milliseconds until a token will be available (0 when one is).
  int64_t MsUntilAvailable(int64_t now_ms);

 private:
  void Refill(int64_t now_ms);

  double rate_per_ms_;
  double burst_;
  double tokens_;
  int64_t last_ms_;
};

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_TOKEN_BUCKET_H_
