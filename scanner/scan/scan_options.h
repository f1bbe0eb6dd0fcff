#ifndef MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_
#define MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_

#include <uv.h>

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/checks/org_domain/public_suffix_list.h"

namespace mxscan::tls {
class ClientContext;
class VerdictCache;
}  // namespace mxscan::tls

namespace mxscan::scan {

class Blocklist;
class ProbeCache;

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
  // Certificates are judged as of this time (the scan's start).
  int64_t scan_time_s = 0;
  // Addresses never contacted (the MTA-STS policy hosts here; the probe
  // cache checks the mail servers). Null: none.
  const Blocklist* blocklist = nullptr;
  int https_port = 443;
  int https_timeout_ms = 10000;
  // Every resolver passed the validation check before the scan
  // (resolver_check.h): answers' AD bits and SERVFAILs say something about
  // DNSSEC. Otherwise every DNSSEC status is NOT_VALIDATED.
  bool resolver_validates = false;
  // Probe mail servers at IPv6 addresses (off on a scanner without IPv6:
  // they are then "not probed", not reported unreachable).
  bool probe_ipv6 = true;
};

// ScanServices are one worker loop's shared machinery for the parts of a
// domain scan beyond DNS. Null members turn those parts off (--no-smtp).
struct ScanServices {
  uv_loop_t* loop = nullptr;
  ProbeCache* probes = nullptr;
  const tls::ClientContext* tls = nullptr;
  tls::VerdictCache* verdicts = nullptr;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SCAN_OPTIONS_H_
