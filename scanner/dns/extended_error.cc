#include "scanner/dns/extended_error.h"

#include "absl/strings/str_cat.h"
#include "scanner/dns/rdata.h"

namespace mxscan::dns {

absl::StatusOr<ExtendedError> ParseExtendedError(absl::string_view data) {
  if (data.size() < 2) {
    return absl::DataLossError(absl::StrCat(
        "Extended DNS Error option of ", data.size(), " octets (at least 2)"));
  }
  ExtendedError error;
  error.info_code = static_cast<uint16_t>((static_cast<uint8_t>(data[0]) << 8) |
                                          static_cast<uint8_t>(data[1]));
  absl::string_view text = data.substr(2, kMaxExtendedErrorText);
  // Some resolvers send a terminating NUL all the same.
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  error.extra_text = PrintableOctets(text);
  return error;
}

std::vector<ExtendedError> ExtendedErrors(
    const std::vector<EdnsOption>& options) {
  std::vector<ExtendedError> errors;
  for (const EdnsOption& option : options) {
    if (option.code != kEdnsOptionExtendedError) continue;
    absl::StatusOr<ExtendedError> error = ParseExtendedError(option.data);
    if (error.ok()) errors.push_back(*std::move(error));
  }
  return errors;
}

const char* ExtendedErrorName(uint16_t info_code) {
  static const char* const kNames[] = {
      "Other Error",
      "Unsupported DNSKEY Algorithm",
      "Unsupported DS Digest Type",
      "Stale Answer",
      "Forged Answer",
      "DNSSEC Indeterminate",
      "DNSSEC Bogus",
      "Signature Expired",
      "Signature Not Yet Valid",
      "DNSKEY Missing",
      "RRSIGs Missing",
      "No Zone Key Bit Set",
      "NSEC Missing",
      "Cached Error",
      "Not Ready",
      "Blocked",
      "Censored",
      "Filtered",
      "Prohibited",
      "Stale NXDomain Answer",
      "Not Authoritative",
      "Not Supported",
      "No Reachable Authority",
      "Network Error",
      "Invalid Data",
      "Signature Expired before Valid",
      "Too Early",
      "Unsupported NSEC3 Iterations Value",
      "Unable to conform to policy",
      "Synthesized",
      "Invalid Query Type",
  };
  if (info_code < sizeof(kNames) / sizeof(kNames[0])) return kNames[info_code];
  return "Unassigned";
}

bool IsDnssecFailure(uint16_t info_code) {
  return (info_code >= 6 && info_code <= 12) || info_code == 25 ||
         info_code == 27;
}

std::string Describe(const ExtendedError& error) {
  return absl::StrCat(error.info_code, " (", ExtendedErrorName(error.info_code),
                      ")", error.extra_text.empty() ? "" : ": ",
                      error.extra_text);
}

}  // namespace mxscan::dns
