#ifndef MXSCAN_SCANNER_SCAN_SECOND_CHANCE_H_
#define MXSCAN_SCANNER_SCAN_SECOND_CHANCE_H_

#include <algorithm>
#include <cstddef>
#include <deque>
#include <utility>

namespace mxscan::scan {

// EvictSecondChance bounds a scan-wide cache (DnsCache, ProbeCache): it
// takes keys from the front of `order` (insertion order) and erases their
// entries while `entries` holds more than `max_entries`. An entry still in
// flight (`!answered`: waiters need it) or used since eviction last looked
// at it (`referenced`) gets another round at the back instead, so that
// what many domains share stays while what one domain needed passes
// through. A few steps per call (one call per insertion) keep the size
// near the bound, amortised, without rescanning a long run of entries in
// flight. `Map` maps keys to entries with `bool answered, referenced`.
template <typename Map, typename Key>
void EvictSecondChance(size_t max_entries, Map& entries,
                       std::deque<Key>& order) {
  size_t budget = std::min<size_t>(order.size(), 8);
  while (entries.size() > max_entries && budget-- > 0) {
    Key key = std::move(order.front());
    order.pop_front();
    auto it = entries.find(key);
    if (it == entries.end()) continue;
    if (!it->second.answered || it->second.referenced) {
      it->second.referenced = false;
      order.push_back(std::move(key));
      continue;
    }
    entries.erase(it);
  }
}

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SECOND_CHANCE_H_
