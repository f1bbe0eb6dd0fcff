#ifndef MXSCAN_SCANNER_CHECKS_SPF_DNS_ANSWERS_H_
#define MXSCAN_SCANNER_CHECKS_SPF_DNS_ANSWERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/checks/spf/ip_address.h"
#include "scanner/dns/lookup.h"

namespace mxscan::checks::spf {

// How SPF sees one DNS answer (RFC 7208 sections 4.4 and 4.6.4).
enum class AnswerKind {
  kRecords,  // NOERROR with at least one record of the type asked
  kVoid,     // NXDOMAIN, or NOERROR without such records (NODATA)
  kFailure,  // SERVFAIL, REFUSED, TIMEOUT, ERROR: never "no record"
};

// Classify sorts `result`, an answer to a question of `type`; CNAMEs of
// the chain do not count as records.
AnswerKind Classify(const dns::LookupResult& result, uint16_t type);

// Addresses returns the A and AAAA records of an answer.
std::vector<IpAddress> Addresses(const dns::LookupResult& result);

// MxNames returns the exchange of each MX record (canonical, with its
// trailing dot), in answer order; a null MX gives ".".
std::vector<std::string> MxNames(const dns::LookupResult& result);

// PtrNames returns the names of the PTR records, in answer order.
std::vector<std::string> PtrNames(const dns::LookupResult& result);

// AddressType is the question type for addresses of `ip`'s family.
uint16_t AddressType(const IpAddress& ip);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_DNS_ANSWERS_H_
