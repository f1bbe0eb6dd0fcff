#ifndef MXSCAN_SCANNER_CLI_ORG_DOMAIN_FLAG_H_
#define MXSCAN_SCANNER_CLI_ORG_DOMAIN_FLAG_H_

#include "absl/status/statusor.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::cli {

// The organisational-domain function of the statistics, from the Public
// Suffix List named by --psl-file (loaded once; thread-safe to call).
absl::StatusOr<stats::OrgDomainOf> OrgDomainOfFromFlags();

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_ORG_DOMAIN_FLAG_H_
