#include "scanner/dns/lookup.h"

#include "absl/strings/strip.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::dns {

const char* LookupStatusName(LookupStatus status) {
  switch (status) {
    case LookupStatus::kNoError:
      return "NOERROR";
    case LookupStatus::kNxDomain:
      return "NXDOMAIN";
    case LookupStatus::kServFail:
      return "SERVFAIL";
    case LookupStatus::kRefused:
      return "REFUSED";
    case LookupStatus::kTimeout:
      return "TIMEOUT";
    case LookupStatus::kError:
      return "ERROR";
  }
  return "ERROR";
}

std::vector<std::string> TxtRecords(const LookupResult& result) {
  std::vector<std::string> texts;
  if (result.status != LookupStatus::kNoError) return texts;
  for (const Answer& answer : result.answers) {
    const TxtData* txt = answer.As<TxtData>();
    if (txt != nullptr && answer.type == rr_type::kTxt) {
      texts.push_back(txt->Joined());
    }
  }
  return texts;
}

std::string CnameTarget(const LookupResult& result) {
  if (result.cname_chain.empty()) return "";
  for (const Answer& answer : result.answers) {
    if (answer.type != rr_type::kCname) {
      return std::string(absl::StripSuffix(answer.name, "."));
    }
  }
  return "";
}

}  // namespace mxscan::dns
