#ifndef MXSCAN_SCANNER_STATS_COLLECT_H_
#define MXSCAN_SCANNER_STATS_COLLECT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::stats {

struct Collected {
  Aggregate aggregate;
  uint64_t records = 0;
  uint64_t torn = 0;  // torn last records dropped (interrupted writes)
};

// CollectFiles summarises and tallies every DomainResult of `files`,
// spreading the files over `threads` threads (each with its own Aggregate,
// merged at the end: the same result as one thread). Memory does not grow
// with the number of records. `org_domain_of` must be thread-safe.
absl::StatusOr<Collected> CollectFiles(const std::vector<std::string>& files,
                                       const OrgDomainOf& org_domain_of,
                                       int threads);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_COLLECT_H_
