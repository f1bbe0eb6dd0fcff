#ifndef MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_
#define MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_

#include <string>
#include <vector>

#include "scanner/checks/org_domain/public_suffix_list.h"

namespace mxscan::scan {

enum class DmarcRules { kRfc9989, kRfc7489 };

// ScanOptions are the per-scan settings every DomainScan reads.
struct ScanOptions {
  std::vector<std::string> dkim_selectors;
  DmarcRules dmarc_rules = DmarcRules::kRfc9989;
  // Loaded once per scan, shared read-only by every worker; needed by the
  // rfc7489 rules.
  const checks::org_domain::PublicSuffixList* psl = nullptr;
  // Clock for scanStartedAt, in milliseconds since the epoch; 0 = now.
  int64_t fixed_start_ms = 0;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_
