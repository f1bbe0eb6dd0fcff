#ifndef MXSCAN_SCANNER_DNS_NAME_H_
#define MXSCAN_SCANNER_DNS_NAME_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::dns {

// Limits from RFC 1035 section 2.3.4.
inline constexpr size_t kMaxLabelLength = 63;
inline constexpr size_t kMaxNameWireLength = 255;

// NormalizeName turns a presentation-form name ("Example.ORG", "example.org.",
// "a\.b.example") into the canonical form used everywhere in mxscan: ASCII
// lowercase, escapes kept, one trailing dot ("." for the root). Fails on empty
// labels, labels over 63 octets, names over 255 octets on the wire, bad
// escapes, and bytes that are not printable ASCII.
absl::StatusOr<std::string> NormalizeName(absl::string_view name);
// NormalizeName replaces `*out` with the canonical form (reusing its
// storage); on failure `*out` is left as it was.
absl::Status NormalizeName(absl::string_view name, std::string* out);

// AppendWireName appends the uncompressed wire form of a presentation-form
// name to `out`. Fails like NormalizeName.
absl::Status AppendWireName(absl::string_view name, std::string* out);
// WriteWireName writes the same wire form to `out`, which has room for
// kMaxNameWireLength octets, and returns its length.
absl::StatusOr<size_t> WriteWireName(absl::string_view name, uint8_t* out);

// ReadWireName reads the (possibly compressed) name at `*offset` of `packet`,
// moves `*offset` past it (past the first pointer, not its target) and
// appends its canonical presentation form to `out` (lowercase, RFC 1035
// escapes for '.', '\\' and non-printable octets, trailing dot). Compression
// pointers must point strictly before the label that holds them, which rules
// out loops; the expanded name must fit 255 octets. On failure `out` and
// `*offset` are left as they were.
absl::Status ReadWireName(absl::Span<const uint8_t> packet, size_t* offset,
                          std::string* out);

// CheckWireName is ReadWireName without the text: the same checks, the
// same new offset, for names nobody reads (the additional section).
absl::Status CheckWireName(absl::Span<const uint8_t> packet, size_t* offset);

// SkipWireName moves `*offset` past the name at `*offset` without expanding
// it. Fails when the name runs past the packet.
absl::Status SkipWireName(absl::Span<const uint8_t> packet, size_t* offset);

// AppendEscapedOctets appends octets in RFC 1035 presentation form: '\\'
// (and '.' if `escape_dot`) escaped with a backslash, octets outside
// printable ASCII as \DDD; letters lowercased if `lowercase`.
void AppendEscapedOctets(absl::string_view octets, bool lowercase,
                         bool escape_dot, std::string* out);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_NAME_H_
