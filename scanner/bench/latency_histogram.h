#ifndef MXSCAN_SCANNER_BENCH_LATENCY_HISTOGRAM_H_
#define MXSCAN_SCANNER_BENCH_LATENCY_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mxscan::bench {

// LatencyHistogram counts durations (nanoseconds) for percentiles in
// bounded memory whatever the number of samples: values below 64 ns are
// kept exactly, larger ones in buckets 1/64 of their magnitude wide (a
// reported percentile is at most 1.6% above the true one). min, max and
// the mean are exact. Pure logic; not thread-safe.
class LatencyHistogram {
 public:
  void Add(uint64_t ns);
  // Merge adds every sample of `other`.
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t min_ns() const { return count_ == 0 ? 0 : min_ns_; }
  uint64_t max_ns() const { return max_ns_; }
  double mean_ns() const;
  // Percentile returns the nearest-rank `p`-th percentile (0 < p <= 100):
  // the upper bound of the bucket holding the ceil(p% of count)-th
  // smallest sample, never above max_ns(). 0 when empty.
  uint64_t Percentile(double p) const;

  // The bucket a value falls in, and the largest value of a bucket
  // (exposed for tests).
  static size_t BucketOf(uint64_t ns);
  static uint64_t BucketUpperBound(size_t bucket);

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t min_ns_ = 0;
  uint64_t max_ns_ = 0;
  // Sum of all samples, as a double: 2^53 ns is over 100 days.
  double sum_ns_ = 0;
};

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_LATENCY_HISTOGRAM_H_
