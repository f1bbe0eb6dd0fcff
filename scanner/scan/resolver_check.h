#ifndef MXSCAN_SCANNER_SCAN_RESOLVER_CHECK_H_
#define MXSCAN_SCANNER_SCAN_RESOLVER_CHECK_H_

#include <string>
#include <vector>

#include "scanner/dns/client.h"

namespace mxscan::scan {

// Whether a resolver validates DNSSEC, asked before a scan: the DNSSEC and
// DANE figures mean something only through one that does. A validating
// resolver sets the AD bit on an answer it validated (RFC 4035 section
// 3.2.3, asked for with AD=1 per RFC 6840 section 5.7); the root zone is
// signed, so its DNSKEY RRset must come back with AD.
struct ResolverValidation {
  std::string address;  // HOST:PORT
  bool validating = false;
  // "validating", "not validating", or "not validating (TIMEOUT)" when the
  // question was not answered.
  std::string validation;
};

// CheckResolvers asks each of `options.resolvers` for the DNSKEY RRset of
// `name` (the root; a simulated root in tests) with DO and AD set, on a
// loop of its own, and returns one verdict per resolver, in order. Blocks
// until each has answered or timed out (the client's timeout and at most
// one retry).
std::vector<ResolverValidation> CheckResolvers(
    const dns::ClientOptions& options, const std::string& name = ".");

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_RESOLVER_CHECK_H_
