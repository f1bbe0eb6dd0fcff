#ifndef MXSCAN_SCANNER_DNS_LOOKUP_H_
#define MXSCAN_SCANNER_DNS_LOOKUP_H_

#include <cstdint>
#include <string>
#include <vector>

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

struct Answer {
  std::string name;  // canonical owner name
  uint16_t type = 0;
  uint32_t ttl = 0;
  std::string data;  // presentation form (rdata_text.h)
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
};

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_LOOKUP_H_
