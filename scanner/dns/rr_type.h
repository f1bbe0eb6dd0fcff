#ifndef MXSCAN_SCANNER_DNS_RR_TYPE_H_
#define MXSCAN_SCANNER_DNS_RR_TYPE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::dns {

// Resource record types the scanner asks for or reads (RFC 1035 and later).
namespace rr_type {
inline constexpr uint16_t kA = 1;
inline constexpr uint16_t kNs = 2;
inline constexpr uint16_t kCname = 5;
inline constexpr uint16_t kSoa = 6;
inline constexpr uint16_t kPtr = 12;
inline constexpr uint16_t kMx = 15;
inline constexpr uint16_t kTxt = 16;
inline constexpr uint16_t kAaaa = 28;
inline constexpr uint16_t kSrv = 33;
inline constexpr uint16_t kOpt = 41;
inline constexpr uint16_t kDs = 43;
inline constexpr uint16_t kRrsig = 46;
inline constexpr uint16_t kDnskey = 48;
inline constexpr uint16_t kTlsa = 52;
inline constexpr uint16_t kCaa = 257;
}  // namespace rr_type

inline constexpr uint16_t kClassIn = 1;

// RrTypeFromName parses "MX", "aaaa" or the RFC 3597 form "TYPE65".
absl::StatusOr<uint16_t> RrTypeFromName(absl::string_view name);
// RrTypeName returns the mnemonic ("MX") or "TYPE<n>" for unknown types.
std::string RrTypeName(uint16_t type);
// RrTypeMnemonic returns the mnemonic without a copy, or "" for unknown
// types.
absl::string_view RrTypeMnemonic(uint16_t type);

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_RR_TYPE_H_
