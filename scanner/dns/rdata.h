#ifndef MXSCAN_SCANNER_DNS_RDATA_H_
#define MXSCAN_SCANNER_DNS_RDATA_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "scanner/dns/message.h"

namespace mxscan::dns {

// Typed RDATA: what a record says, decoded once from the wire, so that no
// consumer parses a presentation string again. Names are canonical
// (lowercase, trailing dot), decompressed. Presentation text is made only
// where text is printed (rdata_text.h).

// The longest text of an address (INET6_ADDRSTRLEN without the NUL).
inline constexpr size_t kMaxAddressText = 45;

// A (4 bytes) or AAAA (16 bytes).
struct AddressData {
  bool ip6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4

  absl::Span<const uint8_t> octets() const {
    return absl::MakeConstSpan(bytes.data(), ip6 ? 16 : 4);
  }
  // ToString: the dotted quad or the RFC 5952 form.
  std::string ToString() const;
  // AppendTo appends the same text to `out`.
  void AppendTo(std::string* out) const;
  // WriteText writes the same text to `out` (room for kMaxAddressText
  // characters) and returns its length.
  size_t WriteText(char* out) const;
  friend bool operator==(const AddressData& a, const AddressData& b) {
    return a.ip6 == b.ip6 && a.bytes == b.bytes;
  }
};

// NS, CNAME, PTR (and the obsolete single-name types MB, MD, MF, MG, MR).
struct NameData {
  std::string name;
};

// MX (RFC 1035 section 3.3.9); exchange "." is a null MX (RFC 7505).
struct MxData {
  uint16_t preference = 0;
  std::string exchange;
};

// TXT: its character-strings, as octets (no escaping of any kind).
struct TxtData {
  std::vector<std::string> strings;
  // Joined: the strings concatenated with nothing between them, as SPF
  // (RFC 7208 section 3.3), DMARC, MTA-STS, TLS-RPT, BIMI and DKIM read a
  // record.
  std::string Joined() const;
};

struct SoaData {
  std::string mname;
  std::string rname;
  uint32_t serial = 0;
  uint32_t refresh = 0;
  uint32_t retry = 0;
  uint32_t expire = 0;
  uint32_t minimum = 0;
};

struct SrvData {
  uint16_t priority = 0;
  uint16_t weight = 0;
  uint16_t port = 0;
  std::string target;
};

// TLSA (RFC 6698 section 2.1); `association` is the raw bytes.
struct TlsaData {
  uint8_t usage = 0;
  uint8_t selector = 0;
  uint8_t matching_type = 0;
  std::string association;
};

// CAA (RFC 8659 section 4.1).
struct CaaData {
  uint8_t flags = 0;
  std::string tag;
  std::string value;
};

// Any other type: the RDATA octets as they were on the wire (RFC 3597
// forbids name compression in them; MINFO, the one other RFC 1035 type
// with names, has its names written out uncompressed here).
struct OpaqueData {
  std::string octets;
};

using Rdata = std::variant<OpaqueData, AddressData, NameData, MxData, TxtData,
                           SoaData, SrvData, TlsaData, CaaData>;

// ParseRdata decodes the RDATA of `record` (a record of a message parsed
// from `packet`) into its typed form. Fails when the RDATA is malformed for
// its type: wrong length, names running out of the RDATA or badly
// compressed, trailing octets.
absl::StatusOr<Rdata> ParseRdata(absl::Span<const uint8_t> packet,
                                 const RecordView& record);

// PrintableOctets renders octets (TXT strings, records read from them) for
// text output: printable ASCII and space as they are, other octets as
// \DDD.
std::string PrintableOctets(absl::string_view octets);

// Builders for tests, fakes and the sim (never for data off the wire).
// AddressFromText fails on anything but an IPv4 or IPv6 address.
absl::StatusOr<AddressData> AddressFromText(absl::string_view text);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_RDATA_H_
