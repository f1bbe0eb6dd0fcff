#ifndef MXSCAN_SCANNER_STATS_DIFF_H_
#define MXSCAN_SCANNER_STATS_DIFF_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"
#include "scanner/stats/metrics.h"

namespace mxscan::stats {

// ScanDiff compares two scans: the tallies of each, and per metric the
// domains present in both that gained or lost the property. It keeps the
// old scan's metric bits per domain (tens of bytes a domain); the new scan
// streams through.
class ScanDiff {
 public:
  struct Changes {
    std::vector<std::string> gained;
    std::vector<std::string> lost;
  };

  // Every old record first, then every new one, then Finish().
  void AddOld(const DomainSummary& summary);
  void AddNew(const DomainSummary& summary);
  void Finish();

  const Aggregate& old_scan() const { return old_; }
  const Aggregate& new_scan() const { return new_; }
  const Changes& changes(Metric m) const {
    return changes_[static_cast<size_t>(m)];
  }
  // Domains only in the new scan / only in the old one (sorted).
  const std::vector<std::string>& added() const { return added_; }
  const std::vector<std::string>& removed() const { return removed_; }

 private:
  struct OldDomain {
    std::bitset<kMetricCount> metrics;
    bool seen_in_new = false;
  };

  Aggregate old_;
  Aggregate new_;
  absl::flat_hash_map<std::string, OldDomain> old_domains_;
  std::array<Changes, kMetricCount> changes_;
  std::vector<std::string> added_;
  std::vector<std::string> removed_;
};

// `list_limit` caps each list of domains (the count is always given).
// `warnings` (ComparabilityWarnings of the two scans' manifests) lead the
// report.
std::string RenderDiffMarkdown(const ScanDiff& diff, size_t list_limit,
                               const std::vector<std::string>& warnings);
std::string RenderDiffJson(const ScanDiff& diff,
                           const std::vector<std::string>& warnings);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_DIFF_H_
