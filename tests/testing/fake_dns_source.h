#ifndef MXSCAN_TESTS_TESTING_FAKE_DNS_SOURCE_H_
#define MXSCAN_TESTS_TESTING_FAKE_DNS_SOURCE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/checks/dns_source.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rdata.h"
#include "tests/testing/rdata_builders.h"

namespace mxscan::testing {

// FakeDnsSource is a DnsSource over in-memory zone data, for the tests of
// the checks. Answers are queued and delivered by RunUntilIdle(), never
// from inside Lookup(), as the real source does.
//
// Names are compared without case and trailing dot. A question about a
// name with no data at or below it is NXDOMAIN; about a name that has data
// of other types or names below it, NOERROR with no answers (NODATA). SetStatus() forces a status
// (TIMEOUT, SERVFAIL, ...) for one (name, type).
class FakeDnsSource : public checks::DnsSource {
 public:
  // AddRecord adds one record of `type` with typed RDATA (rdata_builders.h:
  // Txt("v=spf1 -all"), Mx(10, "mx.example.org"), Ip("192.0.2.1"), ...).
  void AddRecord(absl::string_view name, uint16_t type, dns::Rdata rdata,
                 uint32_t ttl = 300);
  // SetStatus makes every lookup of (name, type) end with `status`.
  void SetStatus(absl::string_view name, uint16_t type,
                 dns::LookupStatus status);
  // SetAuthenticated sets the AD bit on answers for (name, type).
  void SetAuthenticated(absl::string_view name, uint16_t type);
  // SetEdnsOptions gives answers for (name, type) these EDNS options (an
  // Extended DNS Error, say), whatever their status.
  void SetEdnsOptions(absl::string_view name, uint16_t type,
                      std::vector<dns::EdnsOption> options);

  void Lookup(absl::string_view name, uint16_t type, Callback done) override;

  // Delivers queued answers (and those queued meanwhile) until none is left.
  void RunUntilIdle();

  // Every question asked, in order, as "name TYPE".
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  static std::string Key(absl::string_view name);
  dns::LookupResult Answer(const std::string& name, uint16_t type) const;

  std::map<std::pair<std::string, uint16_t>, std::vector<dns::Answer>>
      records_;
  std::map<std::string, int> names_;  // names with any data
  std::map<std::pair<std::string, uint16_t>, dns::LookupStatus> statuses_;
  std::map<std::pair<std::string, uint16_t>, bool> authenticated_;
  std::map<std::pair<std::string, uint16_t>, std::vector<dns::EdnsOption>>
      edns_options_;
  std::deque<std::pair<dns::LookupResult, Callback>> pending_;
  std::vector<std::string> asked_;
};

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_TESTING_FAKE_DNS_SOURCE_H_
