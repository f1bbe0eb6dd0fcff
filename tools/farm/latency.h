#ifndef MXSCAN_TOOLS_FARM_LATENCY_H_
#define MXSCAN_TOOLS_FARM_LATENCY_H_

// Deterministic heavy-tailed delays for the simulated sector's servers (the
// farm's --reply-delay, tools/fakedns/latency_dns_proxy's --delay): a
// log-normal distribution given by its median and sigma (the standard
// deviation of the delay's logarithm), capped. Each draw is a pure
// function of a 64-bit key, so a run with the same seed gives every
// question or reply the same delay whatever order they come in.
//
// Quantiles for a median M: p90 = M e^(1.28 sigma), p99 = M e^(2.33
// sigma), p99.9 = M e^(3.09 sigma); e.g. M = 50 ms, sigma 1.2: p99 0.8 s,
// p99.9 2 s; M = 200 ms, sigma 1.5: p99 6.6 s, p99.9 20 s.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace mxscan::farm {

// splitmix64's finaliser: a well-mixed 64-bit hash of `a` and `b`.
inline uint64_t MixKey(uint64_t a, uint64_t b) {
  uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// FNV-1a of a string, for keys made of names and addresses.
inline uint64_t HashText(absl::string_view text) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ull;
  }
  return h;
}

// A uniform double in (0, 1) from a key.
inline double UnitFromKey(uint64_t key) {
  return (static_cast<double>(MixKey(key, 0x5EED) >> 11) + 0.5) /
         9007199254740992.0;  // 2^53
}

struct LogNormalDelay {
  double median_ms = 0;  // 0: no delay at all
  double sigma = 0;      // 0: always the median
  int64_t max_ms = 0;    // 0: no cap

  bool enabled() const { return median_ms > 0; }

  // The delay of the draw `key`, in milliseconds (Box-Muller over two
  // uniforms derived from the key).
  int64_t Draw(uint64_t key) const {
    if (!enabled()) return 0;
    const double u1 = UnitFromKey(MixKey(key, 1));
    const double u2 = UnitFromKey(MixKey(key, 2));
    const double z =
        std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    double ms = median_ms * std::exp(sigma * z);
    if (max_ms > 0 && ms > static_cast<double>(max_ms)) {
      ms = static_cast<double>(max_ms);
    }
    return static_cast<int64_t>(std::llround(ms));
  }

  // Parses "MEDIAN_MS[:SIGMA[:MAX_MS]]" ("0" turns delays off).
  static bool Parse(absl::string_view text, LogNormalDelay* out) {
    LogNormalDelay d;
    const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
    if (parts.empty() || parts.size() > 3) return false;
    if (!absl::SimpleAtod(parts[0], &d.median_ms) || d.median_ms < 0) {
      return false;
    }
    if (parts.size() > 1 &&
        (!absl::SimpleAtod(parts[1], &d.sigma) || d.sigma < 0 || d.sigma > 5)) {
      return false;
    }
    if (parts.size() > 2 &&
        (!absl::SimpleAtoi(parts[2], &d.max_ms) || d.max_ms < 0)) {
      return false;
    }
    *out = d;
    return true;
  }
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_LATENCY_H_
