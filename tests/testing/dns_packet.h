#ifndef MXSCAN_TESTS_TESTING_DNS_PACKET_H_
#define MXSCAN_TESTS_TESTING_DNS_PACKET_H_

// Builders of DNS messages for tests. ResponseSpec goes through ldns (its
// wire-format code only, never its DNSSEC or crypto functions), so that the
// well-formed packets the tests feed to mxscan come from an independent
// implementation; WireWriter writes bytes by hand for malformed ones.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::testing {

// ResponseSpec describes a response; Wire() turns it into bytes.
struct ResponseSpec {
  uint16_t id = 0x1234;
  std::string qname = "example.org.";
  uint16_t qtype = 1;   // A
  uint16_t qclass = 1;  // IN
  bool qr = true;
  bool rd = true;
  bool ra = true;
  bool aa = false;
  bool ad = false;
  int opcode = 0;
  int rcode = 0;  // the header's 4 bits
  // Records in zone-file syntax, e.g. "example.org. 300 IN A 192.0.2.1".
  std::vector<std::string> answers;
  std::vector<std::string> authority;
  std::vector<std::string> additional;
  // An OPT record is added when edns_udp_size is not 0.
  uint16_t edns_udp_size = 1232;
  uint8_t edns_extended_rcode = 0;  // upper 8 bits of the 12-bit RCODE
  bool edns_do = false;

  // Wire encodes the message with ldns_pkt2wire (which compresses names).
  // Aborts the test binary if ldns rejects the spec: specs are test data.
  std::string Wire() const;
};

// LdnsRecordWire returns the uncompressed wire form of one record in
// zone-file syntax (owner, type, class, TTL, RDLENGTH, RDATA).
std::string LdnsRecordWire(absl::string_view zone_line);

// LdnsRdataText renders RDATA field `index` of `zone_line` with ldns.
std::string LdnsRdfText(absl::string_view zone_line, size_t index);

// WireWriter appends big-endian fields and raw names, for hand-made and
// deliberately broken messages.
class WireWriter {
 public:
  WireWriter& U8(uint8_t v);
  WireWriter& U16(uint16_t v);
  WireWriter& U32(uint32_t v);
  WireWriter& Bytes(absl::string_view bytes);
  // Labels as given, then the root octet: Name({"www", "example", "org"}).
  WireWriter& Name(const std::vector<std::string>& labels);
  // A compression pointer to `offset`.
  WireWriter& Pointer(uint16_t offset);
  // Header with the given counts; flags default to a plain response.
  WireWriter& Header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
                     uint16_t ns, uint16_t ar);
  // Record header after an owner name: TYPE CLASS TTL RDLENGTH.
  WireWriter& RecordHeader(uint16_t type, uint16_t rr_class, uint32_t ttl,
                           uint16_t rdlength);
  // Overwrites the 16-bit field at `offset` (e.g. to patch a count).
  WireWriter& PatchU16(size_t offset, uint16_t v);

  size_t size() const { return bytes_.size(); }
  const std::string& str() const { return bytes_; }
  absl::Span<const uint8_t> span() const {
    return absl::Span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(bytes_.data()), bytes_.size());
  }

 private:
  std::string bytes_;
};

// Standard flags of a recursive response: QR, RD, RA.
inline constexpr uint16_t kResponseFlags = 0x8180;

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_TESTING_DNS_PACKET_H_
