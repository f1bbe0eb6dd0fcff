#ifndef MXSCAN_SCANNER_CLI_EXPLAIN_COMMAND_H_
#define MXSCAN_SCANNER_CLI_EXPLAIN_COMMAND_H_

#include <string>
#include <vector>

namespace mxscan::cli {

// RunExplainCommand is `mxscan explain DOMAIN --from DIR[,DIR...]
// [--format text|json]`: the domain's report card (controls met and
// failed, the fix for each failure, the evidence in brief).
int RunExplainCommand(const std::vector<std::string>& args);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_EXPLAIN_COMMAND_H_
