#ifndef MXSCAN_SCANNER_DNS_EXTENDED_ERROR_H_
#define MXSCAN_SCANNER_DNS_EXTENDED_ERROR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/dns/message.h"

namespace mxscan::dns {

// Extended DNS Errors (RFC 8914): why a resolver answered as it did, an
// EDNS option (code 15) of INFO-CODE (16 bits) and EXTRA-TEXT (UTF-8, not
// NUL-terminated). Pure.

inline constexpr uint16_t kEdnsOptionExtendedError = 15;
// EXTRA-TEXT kept at most (the rest is cut): a hostile resolver cannot
// bloat records with it.
inline constexpr size_t kMaxExtendedErrorText = 256;

struct ExtendedError {
  uint16_t info_code = 0;
  std::string extra_text;  // printable ASCII; other octets as \DDD
};

// ParseExtendedError reads one option's data. Fails when it is shorter
// than the INFO-CODE.
absl::StatusOr<ExtendedError> ParseExtendedError(absl::string_view data);

// ExtendedErrors: the well-formed Extended DNS Errors among `options`, in
// order (malformed ones are skipped).
std::vector<ExtendedError> ExtendedErrors(
    const std::vector<EdnsOption>& options);

// ExtendedErrorName: the registry's name of an INFO-CODE ("DNSSEC Bogus"),
// "Unassigned" for others.
const char* ExtendedErrorName(uint16_t info_code);

// IsDnssecFailure: INFO-CODEs that say the answer failed DNSSEC validation
// (RFC 8914 section 4: 6 DNSSEC Bogus, 7 Signature Expired, 8 Signature Not
// Yet Valid, 9 DNSKEY Missing, 10 RRSIGs Missing, 11 No Zone Key Bit Set,
// 12 NSEC Missing; and, from the IANA registry, 25 Signature Expired before
// Valid and 27 Unsupported NSEC3 Iterations Value).
bool IsDnssecFailure(uint16_t info_code);

// Describe: "6 (DNSSEC Bogus): text", for records and messages.
std::string Describe(const ExtendedError& error);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_EXTENDED_ERROR_H_
