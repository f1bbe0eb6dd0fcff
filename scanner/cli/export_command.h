#ifndef MXSCAN_SCANNER_CLI_EXPORT_COMMAND_H_
#define MXSCAN_SCANNER_CLI_EXPORT_COMMAND_H_

#include <string>
#include <vector>

namespace mxscan::cli {

// RunExportCommand is `mxscan export DIR... --to sqlite:PATH|postgresql://...
// [--scan-name NAME] [--replace] [--psl-file FILE]`: loads the result
// directories, as one scan, into the database (scanner/export/SCHEMA.md),
// in one transaction. Prints the scan id on stdout and a summary on
// stderr. A scan already in the database is skipped (exit 0) unless
// --replace. Returns the exit code: 0 done or skipped, 1 failed (nothing of
// the scan kept), 2 usage.
int RunExportCommand(const std::vector<std::string>& paths);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_EXPORT_COMMAND_H_
