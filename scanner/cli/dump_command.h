#ifndef MXSCAN_SCANNER_CLI_DUMP_COMMAND_H_
#define MXSCAN_SCANNER_CLI_DUMP_COMMAND_H_

#include <string>
#include <vector>

namespace mxscan::cli {

// RunDumpCommand is `mxscan dump FILE|DIR... --format jsonl|csv`: prints
// every DomainResult of the result files, as proto3 JSON lines (field
// names as DESIGN.md's contract) or as one CSV row per domain with the
// headline fields. Returns the exit code.
int RunDumpCommand(const std::vector<std::string>& paths);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_DUMP_COMMAND_H_
