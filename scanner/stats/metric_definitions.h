#ifndef MXSCAN_SCANNER_STATS_METRIC_DEFINITIONS_H_
#define MXSCAN_SCANNER_STATS_METRIC_DEFINITIONS_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::stats {

// What each metric means, as scanner/stats/METRICS.md defines it: the
// document is compiled into the binary, so that a report (the site's
// controls page) quotes the definitions it was built with.

// ParseMetricDefinitions reads the table rows of a METRICS.md text,
// "| `key` | definition |" or "| `a`, `b` | definition |", into key ->
// definition (markdown as written). Pure.
std::map<std::string, std::string> ParseMetricDefinitions(
    absl::string_view markdown);

// MetricDefinition: the compiled-in definition of `key`; "" for none.
// Thread-safe.
const std::string& MetricDefinition(absl::string_view key);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_METRIC_DEFINITIONS_H_
