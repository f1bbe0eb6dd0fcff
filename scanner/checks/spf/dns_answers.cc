#include "scanner/checks/spf/dns_answers.h"

#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {

AnswerKind Classify(const dns::LookupResult& result, uint16_t type) {
  switch (result.status) {
    case dns::LookupStatus::kNoError:
      break;
    case dns::LookupStatus::kNxDomain:
      return AnswerKind::kVoid;
    default:
      return AnswerKind::kFailure;
  }
  for (const dns::Answer& answer : result.answers) {
    if (answer.type == type) return AnswerKind::kRecords;
  }
  return AnswerKind::kVoid;
}

std::vector<IpAddress> Addresses(const dns::LookupResult& result) {
  std::vector<IpAddress> out;
  for (const dns::Answer& answer : result.answers) {
    const dns::AddressData* address = answer.As<dns::AddressData>();
    if (address != nullptr) {
      out.push_back(IpAddress::FromOctets(address->octets()));
    }
  }
  return out;
}

std::vector<std::string> MxNames(const dns::LookupResult& result) {
  std::vector<std::string> out;
  for (const dns::Answer& answer : result.answers) {
    const dns::MxData* mx = answer.As<dns::MxData>();
    if (mx != nullptr) out.push_back(mx->exchange);
  }
  return out;
}

std::vector<std::string> PtrNames(const dns::LookupResult& result) {
  std::vector<std::string> out;
  for (const dns::Answer& answer : result.answers) {
    const dns::NameData* ptr = answer.As<dns::NameData>();
    if (answer.type == dns::rr_type::kPtr && ptr != nullptr) {
      out.push_back(ptr->name);
    }
  }
  return out;
}

uint16_t AddressType(const IpAddress& ip) {
  return ip.is_ip6() ? dns::rr_type::kAaaa : dns::rr_type::kA;
}

}  // namespace mxscan::checks::spf
