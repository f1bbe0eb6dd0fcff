#ifndef MXSCAN_SCANNER_SCAN_LOOKUP_NOW_H_
#define MXSCAN_SCANNER_SCAN_LOOKUP_NOW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/dns/client.h"

namespace mxscan::scan {

struct Question {
  std::string name;
  uint16_t type = 0;
};

// LookupNow asks `questions` through a client made from `options`, on a
// loop of its own, and blocks until each has its result (the client's
// timeouts and retries apply): the few questions asked before a scan
// starts (is the resolver validating, does the EHLO name resolve here).
// Results are in the order of `questions`.
std::vector<dns::LookupResult> LookupNow(
    const dns::ClientOptions& options, const std::vector<Question>& questions);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_LOOKUP_NOW_H_
