#ifndef MXSCAN_SCANNER_DNS_LOOKUP_OUTPUT_H_
#define MXSCAN_SCANNER_DNS_LOOKUP_OUTPUT_H_

#include <string>

#include "proto/mxscan.pb.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/lookup.h"

namespace mxscan::dns {

// AppendLookupJsonLine appends one line of `mxscan dns --format jsonl`:
// {"name","type","status","answers":[{"name","type","ttl","data"}],
// "authenticated"} (DESIGN.md's contract) plus "rcode", "error",
// "cnameChain", "attempts", "tcp" and "resolver" where they say something.
void AppendLookupJsonLine(const LookupResult& result, std::string* out);

// LookupToProto fills the DnsLookup record written by `--format proto`.
void LookupToProto(const LookupResult& result, DnsLookup* out);

DnsStatus ToProtoStatus(LookupStatus status);
::mxscan::DnssecStatus ToProtoDnssecStatus(DnssecStatus status);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_LOOKUP_OUTPUT_H_
