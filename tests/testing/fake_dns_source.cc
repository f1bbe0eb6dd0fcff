#include "tests/testing/fake_dns_source.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::testing {

std::string FakeDnsSource::Key(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return absl::StrCat(absl::AsciiStrToLower(name), ".");
}

void FakeDnsSource::AddRecord(absl::string_view name, uint16_t type,
                              dns::Rdata rdata, uint32_t ttl) {
  const std::string key = Key(name);
  records_[{key, type}].push_back(
      dns::Answer{key, type, ttl, std::move(rdata)});
  ++names_[key];
}

void FakeDnsSource::SetStatus(absl::string_view name, uint16_t type,
                              dns::LookupStatus status) {
  statuses_[{Key(name), type}] = status;
}

void FakeDnsSource::SetAuthenticated(absl::string_view name, uint16_t type) {
  authenticated_[{Key(name), type}] = true;
}

void FakeDnsSource::SetEdnsOptions(absl::string_view name, uint16_t type,
                                   std::vector<dns::EdnsOption> options) {
  edns_options_[{Key(name), type}] = std::move(options);
}

dns::LookupResult FakeDnsSource::Answer(const std::string& name,
                                        uint16_t type) const {
  dns::LookupResult r;
  r.name = name;
  r.type = type;
  r.attempts = 1;
  auto options = edns_options_.find({name, type});
  if (options != edns_options_.end()) r.edns_options = options->second;
  auto forced = statuses_.find({name, type});
  if (forced != statuses_.end()) {
    r.status = forced->second;
    r.error = dns::LookupStatusName(forced->second);
    return r;
  }
  r.authenticated = authenticated_.count({name, type}) > 0;
  // Follow CNAMEs as a recursive resolver would (bounded).
  std::string current = name;
  for (int depth = 0; depth < 10; ++depth) {
    auto direct = records_.find({current, type});
    if (direct != records_.end()) {
      for (const dns::Answer& a : direct->second) r.answers.push_back(a);
      r.status = dns::LookupStatus::kNoError;
      r.rcode = 0;
      return r;
    }
    auto cname = records_.find({current, dns::rr_type::kCname});
    if (cname == records_.end() || type == dns::rr_type::kCname) break;
    r.answers.push_back(cname->second.front());
    r.cname_chain.push_back(current);
    current = Key(std::get<dns::NameData>(cname->second.front().rdata).name);
  }
  // A name exists if it holds data or is an empty non-terminal (has
  // names below it), as RFC 8020 relies on.
  bool exists = names_.count(current) > 0;
  for (auto it = names_.begin(); !exists && it != names_.end(); ++it) {
    exists = absl::EndsWith(it->first, absl::StrCat(".", current));
  }
  if (exists) {
    r.status = dns::LookupStatus::kNoError;
    r.rcode = 0;
  } else {
    r.status = dns::LookupStatus::kNxDomain;
    r.rcode = 3;
  }
  return r;
}

void FakeDnsSource::Lookup(absl::string_view name, uint16_t type,
                           Callback done) {
  const std::string key = Key(name);
  asked_.push_back(absl::StrCat(key, " ", dns::RrTypeName(type)));
  pending_.emplace_back(Answer(key, type), std::move(done));
}

void FakeDnsSource::RunUntilIdle() {
  while (!pending_.empty()) {
    auto item = std::move(pending_.front());
    pending_.pop_front();
    item.second(item.first);
  }
}

}  // namespace mxscan::testing
