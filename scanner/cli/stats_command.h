#ifndef MXSCAN_SCANNER_CLI_STATS_COMMAND_H_
#define MXSCAN_SCANNER_CLI_STATS_COMMAND_H_

#include <string>
#include <vector>

namespace mxscan::cli {

// `mxscan stats DIR... [--by sector|none] [--format md|csv|json|html]
// [--output FILE]`: sector statistics over any number of result
// directories (shards of one scan add up). Returns the exit code.
int RunStatsCommand(const std::vector<std::string>& paths);

// `mxscan diff OLD NEW [--format md|json]`: per metric and sector, the
// change between two scans and the domains that gained or lost each
// property.
int RunDiffCommand(const std::vector<std::string>& paths);

// RunTrendCommand is `mxscan trend DIR1 DIR2 ...`: each metric per sector
// over the scans, in time order (md, csv, json).
int RunTrendCommand(const std::vector<std::string>& paths);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_STATS_COMMAND_H_
