#ifndef MXSCAN_SCANNER_CHECKS_DNS_SOURCE_H_
#define MXSCAN_SCANNER_CHECKS_DNS_SOURCE_H_

#include <cstdint>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "scanner/dns/lookup.h"

namespace mxscan::checks {

// DnsSource is how a check asks DNS questions without doing any I/O
// itself: in the scanner it is the scan-wide cache in front of the async
// DNS client; in tests it is a fake holding zone data.
//
// Lookup asks (name, type, IN) and calls `done` exactly once, and never
// from inside Lookup() itself (always later, from the event loop), so a
// check may call Lookup() anywhere without re-entering itself. The
// LookupResult carries the status that decided the answer: a TIMEOUT or
// SERVFAIL is never "no record". A check that is destroyed must not have
// lookups outstanding (callers keep it alive until all have answered).
class DnsSource {
 public:
  using Callback = absl::AnyInvocable<void(const dns::LookupResult&)>;
  using OwnedCallback = absl::AnyInvocable<void(dns::LookupResult)>;
  virtual ~DnsSource() = default;
  virtual void Lookup(absl::string_view name, uint16_t type, Callback done) = 0;
  // LookupOwned is Lookup for a caller that keeps the answer (a cache):
  // `done` receives it to own. By default a copy of what Lookup gives; a
  // source that makes its answers (the DNS client) hands them over
  // without one.
  virtual void LookupOwned(absl::string_view name, uint16_t type,
                           OwnedCallback done) {
    Lookup(name, type,
           [done = std::move(done)](const dns::LookupResult& result) mutable {
             done(result);
           });
  }
};

}  // namespace mxscan::checks

#endif  // MXSCAN_SCANNER_CHECKS_DNS_SOURCE_H_
