#ifndef MXSCAN_SCANNER_DNS_LOOKUP_H_
#define MXSCAN_SCANNER_DNS_LOOKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/dns/message.h"
#include "scanner/dns/rdata.h"

namespace mxscan::dns {

// How a lookup ended. Every failure has its own value: a timeout or a
// SERVFAIL is never "no record".
enum class LookupStatus {
  kNoError,   // answered; `answers` may be empty (NODATA)
  kNxDomain,
  kServFail,
  kRefused,
  kTimeout,   // no acceptable answer within the attempts allowed
  kError,     // malformed answers, other RCODEs, CNAME loops, local errors
};

const char* LookupStatusName(LookupStatus status);

// IsFailure: the lookup ended without an answer or a proof that there is
// none (not NOERROR, not NXDOMAIN): the records asked for are unknown.
inline bool IsFailure(LookupStatus status) {
  return status != LookupStatus::kNoError && status != LookupStatus::kNxDomain;
}

struct Answer {
  std::string name;  // canonical owner name
  uint16_t type = 0;
  uint32_t ttl = 0;
  Rdata rdata;  // typed (rdata.h); text only where printed (rdata_text.h)

  // As<T> is the RDATA when it is of form T (MxData for an MX record,
  // AddressData for A and AAAA, ...), else null.
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&rdata);
  }
};

// LookupResult is what the client reports for one question, once.
struct LookupResult {
  std::string name;  // the question as asked, canonical
  uint16_t type = 0;
  LookupStatus status = LookupStatus::kError;
  int rcode = -1;              // of the final answer; -1 without one
  bool authenticated = false;  // AD bit on every answer of the chain
  bool used_tcp = false;
  std::vector<Answer> answers;  // CNAMEs in chain order, then the records
  std::vector<std::string> cname_chain;  // owners of the CNAMEs followed
  std::string error;           // why, for every status but kNoError
  uint32_t attempts = 0;       // transmissions, CNAME chasing included
  std::string resolver;        // server of the final answer
  // The EDNS options of the last answer read (RFC 8914 Extended DNS
  // Errors among them).
  std::vector<EdnsOption> edns_options;
};

// TxtRecords returns each TXT record of a NOERROR answer as the octets a
// checker reads (its character-strings joined, TxtData::Joined), skipping
// the CNAMEs of the chain and any other type. The one TXT decoder of
// mxscan: SPF, DMARC, MTA-STS, TLS-RPT, BIMI and DKIM all read records
// through it.
std::vector<std::string> TxtRecords(const LookupResult& result);

// CnameTarget is the canonical name an answer's records were found at when
// the question's name is a CNAME (no trailing dot); "" otherwise: who
// really hosts a DKIM key or an MTA-STS policy host.
std::string CnameTarget(const LookupResult& result);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_LOOKUP_H_
