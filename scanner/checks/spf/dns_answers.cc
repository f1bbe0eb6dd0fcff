#include "scanner/checks/spf/dns_answers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
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
    absl::StatusOr<IpAddress> address;
    if (answer.type == dns::rr_type::kA) {
      address = IpAddress::ParseIp4(answer.data);
    } else if (answer.type == dns::rr_type::kAaaa) {
      address = IpAddress::ParseIp6(answer.data);
    } else {
      continue;
    }
    if (address.ok()) out.push_back(*address);
  }
  return out;
}

std::vector<std::string> MxNames(const dns::LookupResult& result) {
  std::vector<std::string> out;
  for (const dns::Answer& answer : result.answers) {
    if (answer.type != dns::rr_type::kMx) continue;
    absl::string_view data = absl::StripAsciiWhitespace(answer.data);
    const size_t space = data.find(' ');
    if (space == absl::string_view::npos) continue;
    out.emplace_back(absl::StripAsciiWhitespace(data.substr(space + 1)));
  }
  return out;
}

std::vector<std::string> PtrNames(const dns::LookupResult& result) {
  std::vector<std::string> out;
  for (const dns::Answer& answer : result.answers) {
    if (answer.type == dns::rr_type::kPtr) {
      out.emplace_back(absl::StripAsciiWhitespace(answer.data));
    }
  }
  return out;
}

uint16_t AddressType(const IpAddress& ip) {
  return ip.is_ip6() ? dns::rr_type::kAaaa : dns::rr_type::kA;
}

}  // namespace mxscan::checks::spf
