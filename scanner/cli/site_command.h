#ifndef MXSCAN_SCANNER_CLI_SITE_COMMAND_H_
#define MXSCAN_SCANNER_CLI_SITE_COMMAND_H_

#include <string>
#include <vector>

namespace mxscan::cli {

// RunSiteCommand is `mxscan site DIR... --output SITE/ [--title T]
// [--psl-file F]`: the scan's report cards as a static site
// (report_card/site.h), written into SITE/.
int RunSiteCommand(const std::vector<std::string>& dirs);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_SITE_COMMAND_H_
