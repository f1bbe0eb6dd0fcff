#ifndef MXSCAN_SCANNER_DNS_RDATA_TEXT_H_
#define MXSCAN_SCANNER_DNS_RDATA_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "scanner/dns/message.h"

namespace mxscan::dns {

// RdataToText renders a record's RDATA in the presentation form mxscan
// reports: A/AAAA addresses; names (NS, CNAME, PTR) canonical with trailing
// dot; MX "10 mx.example."; TXT the character-strings joined with nothing
// between them, printable ASCII and space kept as they are (backslash
// included) and other octets as \DDD; SOA,
// SRV, TLSA (hex lowercase), CAA as in zone files. Other types are rendered
// by ldns (wire format code only). Fails when the RDATA is malformed for its
// type (wrong length, names running out of the RDATA).
absl::StatusOr<std::string> RdataToText(absl::Span<const uint8_t> packet,
                                        const RecordView& record);

// TxtStrings returns the character-strings of a TXT RDATA, unescaped.
absl::StatusOr<std::vector<std::string>> TxtStrings(
    absl::Span<const uint8_t> packet, const RecordView& record);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_RDATA_TEXT_H_
