#include "scanner/checks/spf/host_addresses.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/checks/spf/dns_answers.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {
namespace {

// Shared by the lookups of one call; the last answer reports.
struct Join {
  IpAddress ip;
  int prefix = 0;
  size_t outstanding = 0;
  HostMatch match;
  absl::AnyInvocable<void(HostMatch)> done;
};

}  // namespace

void MatchHostAddresses(DnsSource& source,
                        const std::vector<std::string>& hosts,
                        const IpAddress& ip, int prefix,
                        absl::AnyInvocable<void(HostMatch)> done) {
  if (hosts.empty()) {
    done(HostMatch());
    return;
  }
  auto join = std::make_shared<Join>();
  join->ip = ip;
  join->prefix = prefix;
  join->outstanding = hosts.size();
  join->done = std::move(done);
  const uint16_t type = AddressType(ip);
  for (const std::string& host : hosts) {
    source.Lookup(host, type, [join, host, type](const dns::LookupResult& r) {
      if (Classify(r, type) == AnswerKind::kFailure &&
          join->match.failure.empty()) {
        join->match.failure =
            absl::StrCat(dns::RrTypeName(type), " lookup of ", host,
                         " failed: ", dns::LookupStatusName(r.status));
      }
      for (const IpAddress& address : Addresses(r)) {
        if (join->ip.InNetwork(address, join->prefix)) {
          join->match.matched = true;
        }
      }
      if (--join->outstanding == 0) join->done(std::move(join->match));
    });
  }
}

}  // namespace mxscan::checks::spf
