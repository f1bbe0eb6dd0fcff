#ifndef MXSCAN_SCANNER_CLI_DNS_COMMAND_H_
#define MXSCAN_SCANNER_CLI_DNS_COMMAND_H_

namespace mxscan::cli {

// RunDnsCommand is `mxscan dns --type T`: bulk-resolves every input name
// (one per line) and writes exactly one result per input line, as JSONL or
// length-delimited DnsLookup records. Flags are already parsed; `argv`
// holds the raw arguments (for repeatable flags). Returns the exit code.
int RunDnsCommand(int argc, char** argv);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_DNS_COMMAND_H_
