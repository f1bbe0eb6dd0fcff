#include "scanner/dns/rr_type.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mxscan::dns {
namespace {

struct TypeName {
  uint16_t type;
  const char* name;
};

constexpr TypeName kTypeNames[] = {
    {rr_type::kA, "A"},         {rr_type::kNs, "NS"},
    {rr_type::kCname, "CNAME"}, {rr_type::kSoa, "SOA"},
    {rr_type::kPtr, "PTR"},     {rr_type::kMx, "MX"},
    {rr_type::kTxt, "TXT"},     {rr_type::kAaaa, "AAAA"},
    {rr_type::kSrv, "SRV"},     {rr_type::kOpt, "OPT"},
    {rr_type::kDs, "DS"},       {rr_type::kRrsig, "RRSIG"},
    {rr_type::kDnskey, "DNSKEY"}, {rr_type::kTlsa, "TLSA"},
    {rr_type::kCaa, "CAA"},
};

}  // namespace

absl::StatusOr<uint16_t> RrTypeFromName(absl::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (absl::EqualsIgnoreCase(name, t.name)) return t.type;
  }
  if (absl::StartsWithIgnoreCase(name, "TYPE")) {
    uint32_t value = 0;
    if (absl::SimpleAtoi(name.substr(4), &value) && value <= 65535) {
      return static_cast<uint16_t>(value);
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown record type \"", name, "\""));
}

absl::string_view RrTypeMnemonic(uint16_t type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return absl::string_view();
}

std::string RrTypeName(uint16_t type) {
  const absl::string_view mnemonic = RrTypeMnemonic(type);
  if (!mnemonic.empty()) return std::string(mnemonic);
  return absl::StrCat("TYPE", type);
}

}  // namespace mxscan::dns
