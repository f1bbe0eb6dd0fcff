#ifndef MXSCAN_SCANNER_SCAN_SCAN_CONTEXT_H_
#define MXSCAN_SCANNER_SCAN_SCAN_CONTEXT_H_

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "scanner/dns/lookup.h"
#include "scanner/scan/scan_options.h"

namespace mxscan::scan {

// ScanContext is what the sub-flows of one domain's scan (an MX host, the
// MTA-STS policy) share with the scan that composes them: every DNS
// question goes through Ask(), which records a failed question once in
// the record's errors; work other than DNS (a probe, a fetch) is bracketed
// by Hold() and Release(); the record is finished when nothing is held or
// asked any more. Lives on the thread of the scan's DNS source.
class ScanContext {
 public:
  using Handler = absl::AnyInvocable<void(const dns::LookupResult&)>;
  virtual ~ScanContext() = default;

  // Ask asks (name, type) and calls `handler` with the answer.
  virtual void Ask(absl::string_view name, uint16_t type, Handler handler) = 0;
  virtual void Hold() = 0;
  virtual void Release() = 0;
  // Finding adds a finding about the domain to its record.
  virtual void Finding(std::string text) = 0;

  virtual const ScanOptions& options() const = 0;
  // Null, or with null members, when probing is off (--no-smtp).
  virtual const ScanServices* services() const = 0;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SCAN_CONTEXT_H_
