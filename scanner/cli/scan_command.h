#ifndef MXSCAN_SCANNER_CLI_SCAN_COMMAND_H_
#define MXSCAN_SCANNER_CLI_SCAN_COMMAND_H_

namespace mxscan::cli {

// RunScanCommand is `mxscan scan`: scans every input domain and writes one
// DomainResult per domain into result files under --output. Flags are
// already parsed; `argv` holds the raw arguments. Returns the exit code.
int RunScanCommand(int argc, char** argv);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_SCAN_COMMAND_H_
