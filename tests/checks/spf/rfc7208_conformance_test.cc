// The RFC 7208 conformance suite (openspf.org / pyspf rfc7208-tests.yml,
// see data/SOURCE.txt), run against CheckHost over a FakeDnsSource: one
// test per case, named after it, and a summary line "N of 203 pass".
//
// Conventions of the suite's own driver that this test follows:
// - the identity is MAIL FROM, or postmaster@HELO when it is empty;
// - "explanation: DEFAULT" means no exp= applied (our explanation is empty:
//   the receiver substitutes its own default);
// - "result" may list several acceptable results;
// - SPF (type 99) records are copied to TXT where a name has no TXT entry.

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/spf/check_host.h"
#include "scanner/checks/spf/ip_address.h"
#include "tests/checks/spf/rfc7208_suite.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::checks::spf {
namespace {

using ::mxscan::testing::FakeDnsSource;
using ::mxscan::testing::LoadSuite;
using ::mxscan::testing::LoadZone;
using ::mxscan::testing::Suite;
using ::mxscan::testing::SuiteCase;
using ::mxscan::testing::SuitePath;

constexpr size_t kSuiteCases = 203;

// Cases not run, with the reason. Keep in sync with README.md. Empty: every
// case runs.
const std::map<std::string, std::string>& SkipList() {
  static const auto* skips = new std::map<std::string, std::string>{};
  return *skips;
}

// Cases whose explanation is compared without regard to case, with the
// reason. Keep in sync with README.md.
const std::map<std::string, std::string>& CaselessExplanations() {
  static const auto* cases = new std::map<std::string, std::string>{
      {"v-macro-ip6",
       "the suite writes the %{i} nibbles of an IPv6 address in uppercase "
       "(RFC 4408's example); RFC 7208 section 7.4 writes them in lowercase, "
       "as CheckHost does"},
  };
  return *cases;
}

const Suite* LoadedSuite() {
  static const Suite* suite = []() -> const Suite* {
    absl::StatusOr<Suite> loaded = LoadSuite(SuitePath());
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load the suite: %s\n",
                   loaded.status().ToString().c_str());
      return nullptr;
    }
    return new Suite(*std::move(loaded));
  }();
  return suite;
}

std::vector<SuiteCase> Cases() {
  const Suite* suite = LoadedSuite();
  return suite == nullptr ? std::vector<SuiteCase>{} : suite->cases;
}

int passed_cases = 0;

// Prints the summary once every case has run.
class SummaryEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("RFC 7208 suite: %d of %zu pass, %zu skipped\n", passed_cases,
                Cases().size(), SkipList().size());
  }
};

const auto* const kSummary =
    ::testing::AddGlobalTestEnvironment(new SummaryEnvironment);

class Rfc7208Test : public ::testing::TestWithParam<SuiteCase> {
 protected:
  void TearDown() override {
    if (!HasFailure() && !IsSkipped()) ++passed_cases;
  }
};

TEST_P(Rfc7208Test, MatchesSuite) {
  const SuiteCase& c = GetParam();
  auto skip = SkipList().find(c.name);
  if (skip != SkipList().end()) GTEST_SKIP() << skip->second;

  FakeDnsSource dns;
  ASSERT_TRUE(LoadZone(LoadedSuite()->zones[c.scenario_index], &dns).ok());
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(c.host);
  ASSERT_TRUE(ip.ok()) << ip.status();
  CheckHostRequest request =
      CheckHostRequest::ForMailFrom(*ip, c.mail_from, c.helo);
  request.receiver = "receiver.example.net";
  request.timestamp = 1700000000;

  std::optional<CheckHostResult> result;
  CheckHost(dns, request,
            [&result](CheckHostResult r) { result = std::move(r); });
  dns.RunUntilIdle();
  ASSERT_TRUE(result.has_value()) << "check_host never finished";

  const std::string got = ResultName(result->result);
  const std::string context = absl::StrCat(
      "case ", c.name, " (", c.scenario, ", spec ", c.spec, "): got ", got,
      ", expected ", absl::StrJoin(c.results, " or "), "; mechanism \"",
      result->mechanism, "\"; error \"", result->error, "\"; explanation \"",
      result->explanation, "\"; asked: ", absl::StrJoin(dns.asked(), ", "));
  EXPECT_THAT(c.results, ::testing::Contains(got)) << context;
  if (c.explanation.has_value()) {
    if (*c.explanation == "DEFAULT") {
      EXPECT_EQ(result->explanation, "") << context;
    } else if (CaselessExplanations().count(c.name) > 0) {
      EXPECT_TRUE(absl::EqualsIgnoreCase(result->explanation, *c.explanation))
          << context;
    } else {
      EXPECT_EQ(result->explanation, *c.explanation) << context;
    }
  }
  std::printf("[rfc7208] %-32s %-9s expected %s\n", c.name.c_str(), got.c_str(),
              absl::StrJoin(c.results, "|").c_str());
}

std::string CaseName(const ::testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (!absl::ascii_isalnum(ch)) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Suite, Rfc7208Test, ::testing::ValuesIn(Cases()),
                         CaseName);

TEST(Rfc7208SuiteTest, LoadsEveryCase) {
  ASSERT_NE(LoadedSuite(), nullptr);
  EXPECT_EQ(LoadedSuite()->cases.size(), kSuiteCases);
  EXPECT_EQ(LoadedSuite()->zones.size(), 16u);
}

TEST(Rfc7208SuiteTest, ListsOnlyRealCases) {
  ASSERT_NE(LoadedSuite(), nullptr);
  std::map<std::string, int> names;
  for (const SuiteCase& c : LoadedSuite()->cases) ++names[c.name];
  for (const auto& [name, reason] : SkipList()) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
  for (const auto& [name, reason] : CaselessExplanations()) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
}

}  // namespace
}  // namespace mxscan::checks::spf
