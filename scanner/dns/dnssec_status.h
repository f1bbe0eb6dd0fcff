#ifndef MXSCAN_SCANNER_DNS_DNSSEC_STATUS_H_
#define MXSCAN_SCANNER_DNS_DNSSEC_STATUS_H_

#include <string>

#include "scanner/dns/lookup.h"

namespace mxscan::dns {

// What DNSSEC validation said of one answer, as a validating resolver
// reports it (RFC 4035 section 4.3): the AD bit on a secure answer, a
// SERVFAIL with an Extended DNS Error (RFC 8914) for a bogus one. Pure.
enum class DnssecStatus {
  kSecure,         // validated (AD)
  kInsecure,       // answered, no chain of trust (an unsigned zone)
  kBogus,          // validation failed (SERVFAIL with a DNSSEC EDE)
  kIndeterminate,  // no answer to judge (other failures, EDE 5)
  kNotValidated,   // the resolver does not validate: nothing is known
};

const char* DnssecStatusName(DnssecStatus status);

// DnssecStatusOf classifies `result`, answered by a resolver that does or
// does not validate (`resolver_validates`, from the check before the scan).
DnssecStatus DnssecStatusOf(const LookupResult& result,
                            bool resolver_validates);

// DnssecDetail: the Extended DNS Errors of the answer, described
// ("6 (DNSSEC Bogus): ..."), joined with "; "; "" without any.
std::string DnssecDetail(const LookupResult& result);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_DNSSEC_STATUS_H_
