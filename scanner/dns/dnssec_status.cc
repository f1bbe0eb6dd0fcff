#include "scanner/dns/dnssec_status.h"

#include <vector>

#include "absl/strings/str_join.h"
#include "scanner/dns/extended_error.h"

namespace mxscan::dns {

const char* DnssecStatusName(DnssecStatus status) {
  switch (status) {
    case DnssecStatus::kSecure:
      return "SECURE";
    case DnssecStatus::kInsecure:
      return "INSECURE";
    case DnssecStatus::kBogus:
      return "BOGUS";
    case DnssecStatus::kIndeterminate:
      return "INDETERMINATE";
    case DnssecStatus::kNotValidated:
      return "NOT_VALIDATED";
  }
  return "INDETERMINATE";
}

DnssecStatus DnssecStatusOf(const LookupResult& result,
                            bool resolver_validates) {
  if (!resolver_validates) return DnssecStatus::kNotValidated;
  switch (result.status) {
    case LookupStatus::kNoError:
    case LookupStatus::kNxDomain:
      return result.authenticated ? DnssecStatus::kSecure
                                  : DnssecStatus::kInsecure;
    case LookupStatus::kServFail:
      for (const ExtendedError& e : ExtendedErrors(result.edns_options)) {
        if (IsDnssecFailure(e.info_code)) return DnssecStatus::kBogus;
      }
      return DnssecStatus::kIndeterminate;
    default:
      return DnssecStatus::kIndeterminate;
  }
}

std::string DnssecDetail(const LookupResult& result) {
  std::vector<std::string> parts;
  for (const ExtendedError& e : ExtendedErrors(result.edns_options)) {
    parts.push_back(Describe(e));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace mxscan::dns
