#ifndef MXSCAN_SCANNER_SCAN_DOMAIN_SCAN_H_
#define MXSCAN_SCANNER_SCAN_DOMAIN_SCAN_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/dns_source.h"
#include "scanner/scan/domain_input.h"
#include "scanner/scan/scan_options.h"

namespace mxscan::scan {

// StartDomainScan runs every check of one domain concurrently: over `dns`
// MX and the addresses of each MX host, null and implicit MX, TLSA per MX
// host, SPF, DMARC, MTA-STS TXT, TLS-RPT, BIMI, DKIM selectors and the AD
// bit of the MX answer; with `services`, the SMTP probe of every MX
// address (STARTTLS, certificate, DANE) and the MTA-STS policy fetch. It
// calls `done` once with the domain's record when all have finished, and
// owns itself until then. `dns`, `options` and `services` must outlive it.
// An input whose domain failed to normalise gets its record at once
// (status ERROR, with the reason), without DNS.
void StartDomainScan(checks::DnsSource& dns, const ScanOptions& options,
                     const ScanServices* services, DomainInput input,
                     absl::AnyInvocable<void(DomainResult)> done);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_DOMAIN_SCAN_H_
