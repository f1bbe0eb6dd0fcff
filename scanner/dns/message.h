#ifndef MXSCAN_SCANNER_DNS_MESSAGE_H_
#define MXSCAN_SCANNER_DNS_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::dns {

// DNS messages (RFC 1035 section 4, EDNS0 per RFC 6891): building queries
// and reading responses. Pure functions over bytes; nothing here does I/O.

inline constexpr size_t kHeaderSize = 12;
// The EDNS0 buffer size the DNS flag day 2020 recommends.
inline constexpr uint16_t kEdnsUdpSize = 1232;

namespace rcode {
inline constexpr int kNoError = 0;
inline constexpr int kFormErr = 1;
inline constexpr int kServFail = 2;
inline constexpr int kNxDomain = 3;
inline constexpr int kNotImp = 4;
inline constexpr int kRefused = 5;
}  // namespace rcode

struct QueryOptions {
  bool recursion_desired = true;
  // RFC 6840 section 5.7: AD=1 in a query asks for the AD bit in the answer.
  bool authentic_data = true;
  bool dnssec_ok = false;
  // RFC 4035 section 3.2.2: CD=1 asks a validating resolver for the data
  // even when it does not validate.
  bool checking_disabled = false;
  uint16_t edns_udp_size = kEdnsUdpSize;
};

// BuildQuery replaces `out` with a query for (name, type, class IN) carrying
// message ID `id` and an EDNS0 OPT record. `name` is in presentation form.
absl::Status BuildQuery(uint16_t id, absl::string_view name, uint16_t type,
                        const QueryOptions& options, std::string* out);

// SetMessageId rewrites the ID of a message of at least 2 bytes.
void SetMessageId(uint16_t id, std::string* message);

struct Header {
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t qdcount = 0;
  uint16_t ancount = 0;
  uint16_t nscount = 0;
  uint16_t arcount = 0;

  bool qr() const { return flags & 0x8000; }
  int opcode() const { return (flags >> 11) & 0xF; }
  bool aa() const { return flags & 0x0400; }
  bool tc() const { return flags & 0x0200; }
  bool rd() const { return flags & 0x0100; }
  bool ra() const { return flags & 0x0080; }
  bool ad() const { return flags & 0x0020; }
  bool cd() const { return flags & 0x0010; }
  int rcode() const { return flags & 0xF; }
};

// ReadHeader decodes the fixed header; false when `packet` is too short.
bool ReadHeader(absl::Span<const uint8_t> packet, Header* header);

// IsAnswerTo is the cheap check run on every datagram before any parse: the
// response has QR set, the query's ID and opcode, exactly one question, and
// that question equals the query's (name compared ignoring ASCII case, type
// and class exactly). Anything else is not an answer to `query` and must be
// ignored (RFC 5452 section 9.1).
bool IsAnswerTo(absl::Span<const uint8_t> response,
                absl::Span<const uint8_t> query);
// The same, for the answer to an earlier transmission of `query`'s
// question that carried `id` (a retry goes out with a new ID).
bool IsAnswerTo(absl::Span<const uint8_t> response,
                absl::Span<const uint8_t> query, uint16_t id);

// RecordView is one resource record of a parsed message; its RDATA stays in
// the message bytes (names inside RDATA may be compressed against them).
struct RecordView {
  std::string name;  // canonical presentation form
  uint16_t type = 0;
  uint16_t rr_class = 0;
  uint32_t ttl = 0;
  size_t record_offset = 0;  // where the owner name starts
  size_t rdata_offset = 0;
  uint16_t rdata_length = 0;
};

// One EDNS option (RFC 6891 section 6.1.2): its code and data as sent.
struct EdnsOption {
  uint16_t code = 0;
  std::string data;
  friend bool operator==(const EdnsOption& a, const EdnsOption& b) {
    return a.code == b.code && a.data == b.data;
  }
};

// What the OPT record of a response says (RFC 6891 section 6.1.3).
struct Edns {
  uint16_t udp_size = 0;
  uint8_t version = 0;
  bool dnssec_ok = false;
  std::vector<EdnsOption> options;
};

struct ParsedResponse {
  Header header;
  // RCODE including the EDNS0 extended bits.
  int rcode = 0;
  bool has_edns = false;
  Edns edns;  // when has_edns
  std::vector<RecordView> answers;
  std::vector<RecordView> authority;
};

// ParseResponse decodes a whole message: header, the question (skipped),
// answer and authority records, and the additional section (read for the
// OPT record only, with its options). Fails on any structural error:
// truncated sections, bad names or compression loops, records running past
// the end, more than one OPT record or one whose options overrun it.
absl::StatusOr<ParsedResponse> ParseResponse(absl::Span<const uint8_t> packet);
// ParseResponse into `*parsed`, reusing the memory of an earlier parse
// (a client parses every answer into one). On failure `*parsed` holds
// whatever was read before the error.
absl::Status ParseResponse(absl::Span<const uint8_t> packet,
                           ParsedResponse* parsed);

// AsBytes views a std::string as bytes.
inline absl::Span<const uint8_t> AsBytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_MESSAGE_H_
