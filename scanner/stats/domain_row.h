#ifndef MXSCAN_SCANNER_STATS_DOMAIN_ROW_H_
#define MXSCAN_SCANNER_STATS_DOMAIN_ROW_H_

#include <string>

#include "proto/mxscan.pb.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::stats {

// One CSV row per domain with the headline fields, for spreadsheets
// (`mxscan dump --format csv`): the record's own fields and the metrics
// of its summary, as METRICS.md defines them.
const std::string& DomainCsvHeader();
std::string DomainCsvRow(const DomainResult& result,
                         const DomainSummary& summary);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_DOMAIN_ROW_H_
