#ifndef MXSCAN_TESTS_CHECKS_SPF_RFC7208_SUITE_H_
#define MXSCAN_TESTS_CHECKS_SPF_RFC7208_SUITE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::testing {

// SuiteCase is one case of the RFC 7208 test suite (rfc7208-tests.json,
// converted from the openspf/pyspf YAML). Strings are octets: the JSON's
// code points below 256 are mapped back to single octets.
struct SuiteCase {
  std::string scenario;  // the scenario's description
  std::string name;      // the case's key, unique over the suite
  std::string helo;
  std::string host;
  std::string mail_from;
  std::vector<std::string> results;        // any of them is acceptable
  std::optional<std::string> explanation;  // "DEFAULT": no exp= applies
  std::string spec;
  int scenario_index = 0;  // into Suite::zones
};

// PrintTo names a case in test output.
void PrintTo(const SuiteCase& c, std::ostream* os);

// Suite is the whole test suite: the cases and each scenario's zone data.
struct Suite {
  std::vector<SuiteCase> cases;
  std::vector<google::protobuf::Struct> zones;
};

// LoadSuite reads and parses the JSON file at `path`. Fails with the
// file or JSON error, or InvalidArgument when a case lacks a field.
absl::StatusOr<Suite> LoadSuite(const std::string& path);

// SuitePath finds the JSON in the test's runfiles (or, run by hand, from
// the workspace root).
std::string SuitePath();

// LoadZone fills `dns` with a scenario's zone data the way the suite's own
// driver reads it: TXT, SPF (type 99), A, AAAA, MX, PTR and CNAME records
// in mxscan's presentation form; SPF records copied to TXT when the name
// has no TXT entry (a "TXT: NONE" entry counts); "TIMEOUT" makes every
// type without an earlier record at that name time out. Fails with
// InvalidArgument on data it does not understand.
absl::Status LoadZone(const google::protobuf::Struct& zone, FakeDnsSource* dns);

// Octets maps a UTF-8 string's code points below 256 to single octets
// (the suite's "\xEF" are code points); others keep their UTF-8 bytes.
std::string Octets(absl::string_view utf8);

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_CHECKS_SPF_RFC7208_SUITE_H_
