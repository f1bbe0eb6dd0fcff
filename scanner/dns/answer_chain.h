#ifndef MXSCAN_SCANNER_DNS_ANSWER_CHAIN_H_
#define MXSCAN_SCANNER_DNS_ANSWER_CHAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/message.h"

namespace mxscan::dns {

// ChainStep is what one NOERROR/NXDOMAIN answer contributes to a lookup.
struct ChainStep {
  std::vector<Answer> answers;      // CNAMEs followed, then final records
  std::vector<std::string> cnames;  // owner of each CNAME followed
  // Set when the chain ends in a name this answer holds no data for: the
  // client asks again for `next_name` (an authoritative server answers
  // only for its own zones).
  std::string next_name;
  absl::Status error;  // malformed RDATA, CNAME loop, chain too long
};

// FollowAnswer walks the answer section from `name`: records of `type`
// owned by the current name end the walk; a CNAME owned by it moves the
// walk to its target (unless `type` is CNAME itself). Records not on the
// chain are ignored. `visited` holds names already on the chain (updated);
// `max_cnames` bounds its length over the whole lookup.
ChainStep FollowAnswer(absl::Span<const uint8_t> packet,
                       const ParsedResponse& response,
                       const std::string& name, uint16_t type,
                       std::vector<std::string>* visited, size_t max_cnames);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_ANSWER_CHAIN_H_
