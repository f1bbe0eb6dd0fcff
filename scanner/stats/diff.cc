#include "scanner/stats/diff.h"

#include <algorithm>

namespace mxscan::stats {

void ScanDiff::AddOld(const DomainSummary& summary) {
  old_.Add(summary);
  old_domains_[summary.domain].metrics = summary.metrics;
}

void ScanDiff::AddNew(const DomainSummary& summary) {
  new_.Add(summary);
  auto it = old_domains_.find(summary.domain);
  if (it == old_domains_.end()) {
    added_.push_back(summary.domain);
    return;
  }
  it->second.seen_in_new = true;
  const std::bitset<kMetricCount> before = it->second.metrics;
  for (size_t i = 0; i < kMetricCount; ++i) {
    if (summary.metrics.test(i) && !before.test(i)) {
      changes_[i].gained.push_back(summary.domain);
    } else if (!summary.metrics.test(i) && before.test(i)) {
      changes_[i].lost.push_back(summary.domain);
    }
  }
}

void ScanDiff::Finish() {
  for (const auto& [domain, state] : old_domains_) {
    if (!state.seen_in_new) removed_.push_back(domain);
  }
  std::sort(added_.begin(), added_.end());
  std::sort(removed_.begin(), removed_.end());
  for (Changes& c : changes_) {
    std::sort(c.gained.begin(), c.gained.end());
    std::sort(c.lost.begin(), c.lost.end());
  }
}

}  // namespace mxscan::stats
