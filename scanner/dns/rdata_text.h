#ifndef MXSCAN_SCANNER_DNS_RDATA_TEXT_H_
#define MXSCAN_SCANNER_DNS_RDATA_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "scanner/dns/message.h"
#include "scanner/dns/rdata.h"

namespace mxscan::dns {

// RdataText renders typed RDATA in the presentation form mxscan prints
// (`mxscan dns`, dumps): A/AAAA addresses; names (NS, CNAME, PTR) canonical
// with trailing dot; MX "10 mx.example."; TXT the character-strings joined
// with nothing between them, printable ASCII and space kept as they are
// (backslash included) and other octets as \DDD; SOA, SRV, TLSA (hex
// lowercase), CAA as in zone files. Other types (OpaqueData) are rendered by
// ldns from their octets (wire format code only); that fails when the octets
// are malformed for the type (fewer fields than it requires).
absl::StatusOr<std::string> RdataText(uint16_t type, const Rdata& rdata);

// RdataToText is ParseRdata then RdataText: one record of a message as
// text.
absl::StatusOr<std::string> RdataToText(absl::Span<const uint8_t> packet,
                                        const RecordView& record);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_RDATA_TEXT_H_
