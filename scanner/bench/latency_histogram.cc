#include "scanner/bench/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace mxscan::bench {
namespace {

// Sub-buckets per power of two (and the values kept exactly).
constexpr int kSubBits = 6;
constexpr uint64_t kSub = uint64_t{1} << kSubBits;

int BitWidth(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

}  // namespace

size_t LatencyHistogram::BucketOf(uint64_t ns) {
  if (ns < kSub) return static_cast<size_t>(ns);
  // ns >> shift is in [kSub, 2 kSub).
  const int shift = BitWidth(ns) - kSubBits - 1;
  return static_cast<size_t>(kSub + static_cast<uint64_t>(shift) * kSub +
                             ((ns >> shift) - kSub));
}

uint64_t LatencyHistogram::BucketUpperBound(size_t bucket) {
  if (bucket < kSub) return bucket;
  const uint64_t shift = (bucket - kSub) / kSub;
  const uint64_t sub = kSub + (bucket - kSub) % kSub;
  const uint64_t upper = ((sub + 1) << shift) - 1;
  // The last bucket's bound would wrap past 2^64 - 1.
  return upper < (sub << shift) ? UINT64_MAX : upper;
}

void LatencyHistogram::Add(uint64_t ns) {
  const size_t bucket = BucketOf(ns);
  if (bucket >= buckets_.size()) buckets_.resize(bucket + 1, 0);
  ++buckets_[bucket];
  if (count_ == 0 || ns < min_ns_) min_ns_ = ns;
  max_ns_ = std::max(max_ns_, ns);
  ++count_;
  sum_ns_ += static_cast<double>(ns);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) {
    buckets_.resize(other.buckets_.size(), 0);
  }
  for (size_t i = 0; i < other.buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  min_ns_ = count_ == 0 ? other.min_ns_ : std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  count_ += other.count_;
  sum_ns_ += other.sum_ns_;
}

double LatencyHistogram::mean_ns() const {
  return count_ == 0 ? 0 : sum_ns_ / static_cast<double>(count_);
}

uint64_t LatencyHistogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(
             std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9)));
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      return std::clamp(BucketUpperBound(i), min_ns_, max_ns_);
    }
  }
  return max_ns_;
}

}  // namespace mxscan::bench
