#ifndef MXSCAN_SCANNER_TLS_SCT_LIST_H_
#define MXSCAN_SCANNER_TLS_SCT_LIST_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace mxscan::tls {

// Certificate Transparency: how many Signed Certificate Timestamps a
// server's certificate carries (RFC 6962). Pure; never fails on garbage.

// CountSctList counts the SCTs of a SignedCertificateTimestampList in its
// TLS encoding (RFC 6962 section 3.3: a 2-byte length, then SCTs of 1 to
// 65535 bytes each behind their own 2-byte length), as the
// signed_certificate_timestamp TLS extension carries it. nullopt when the
// lengths do not add up, the list is empty or an SCT is empty.
std::optional<int> CountSctList(absl::string_view list);

// CountEmbeddedScts counts the SCTs of the X.509 extension
// 1.3.6.1.4.1.11129.2.4.2 from the contents of its extnValue: a DER OCTET
// STRING holding the TLS-encoded list. nullopt when malformed.
std::optional<int> CountEmbeddedScts(absl::string_view extension_value);

// The DER of the extension's OID, 1.3.6.1.4.1.11129.2.4.2, without tag and
// length.
inline constexpr unsigned char kEmbeddedSctOid[] = {
    0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02};

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_SCT_LIST_H_
