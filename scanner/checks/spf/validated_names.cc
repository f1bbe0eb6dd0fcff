#include "scanner/checks/spf/validated_names.h"

#include <memory>
#include <utility>

#include "scanner/checks/spf/domain_name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {
namespace {

// Shared by the address lookups of one resolution; the last answer to
// arrive reports.
struct Pending {
  IpAddress ip;
  ValidatedNames result;
  std::vector<std::string> candidates;
  std::vector<bool> valid;
  size_t outstanding = 0;
  absl::AnyInvocable<void(ValidatedNames)> done;

  void Report() {
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (valid[i]) result.names.push_back(CanonicalName(candidates[i]));
    }
    done(std::move(result));
  }
};

}  // namespace

void ResolveValidatedNames(DnsSource& source, const IpAddress& ip,
                           int max_names,
                           absl::AnyInvocable<void(ValidatedNames)> done) {
  auto pending = std::make_shared<Pending>();
  pending->ip = ip;
  pending->done = std::move(done);
  DnsSource* src = &source;
  source.Lookup(
      ip.ReverseName(), dns::rr_type::kPtr,
      [pending, src, max_names](const dns::LookupResult& answer) {
        pending->result.ptr_answer = Classify(answer, dns::rr_type::kPtr);
        if (pending->result.ptr_answer != AnswerKind::kRecords) {
          pending->Report();
          return;
        }
        pending->candidates = PtrNames(answer);
        if (pending->candidates.size() > static_cast<size_t>(max_names)) {
          pending->candidates.resize(max_names);
        }
        pending->valid.assign(pending->candidates.size(), false);
        pending->outstanding = pending->candidates.size();
        if (pending->outstanding == 0) {
          pending->Report();
          return;
        }
        // Copy the names first: a lookup's callback may never touch a
        // vector that is still being iterated here (it cannot run now,
        // but keep the loop independent of that promise).
        const std::vector<std::string> names = pending->candidates;
        for (size_t i = 0; i < names.size(); ++i) {
          src->Lookup(names[i], AddressType(pending->ip),
                      [pending, i](const dns::LookupResult& addresses) {
                        for (const IpAddress& a : Addresses(addresses)) {
                          if (a == pending->ip) pending->valid[i] = true;
                        }
                        if (--pending->outstanding == 0) pending->Report();
                      });
        }
      });
}

std::string ChooseValidatedName(const std::vector<std::string>& names,
                                absl::string_view domain) {
  const std::string wanted = CanonicalName(domain);
  for (const std::string& name : names) {
    if (name == wanted) return name;
  }
  for (const std::string& name : names) {
    if (IsSameOrSubdomain(name, wanted)) return name;
  }
  if (!names.empty()) return names.front();
  return "unknown";
}

}  // namespace mxscan::checks::spf
