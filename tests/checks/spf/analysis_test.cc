#include "scanner/checks/spf/analysis.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::checks::spf {
namespace {

using ::mxscan::testing::Ip;
using ::mxscan::testing::Mx;
using ::mxscan::testing::Txt;

using ::mxscan::testing::FakeDnsSource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace rr = ::mxscan::dns::rr_type;

class AnalysisTest : public ::testing::Test {
 protected:
  mxscan::SpfResult Analyze(const char* domain = "example.org",
                            const AnalysisOptions& options = {}) {
    std::optional<mxscan::SpfResult> result;
    int calls = 0;
    AnalyzeSpf(
        dns_, domain,
        [&](mxscan::SpfResult r) {
          ++calls;
          result = std::move(r);
        },
        options);
    dns_.RunUntilIdle();
    EXPECT_EQ(calls, 1);
    // Each distinct question is asked once per analysis.
    std::map<std::string, int> asked;
    for (const std::string& q : dns_.asked()) {
      EXPECT_EQ(++asked[q], 1) << "asked twice: " << q;
    }
    return result.value_or(mxscan::SpfResult());
  }

  void Txt(const char* name, const char* text) {
    dns_.AddRecord(name, rr::kTxt, mxscan::testing::Txt(text));
  }
  void A(const char* name, const char* ip) {
    dns_.AddRecord(name, rr::kA, Ip(ip));
  }

  FakeDnsSource dns_;
};

TEST_F(AnalysisTest, SimpleValidRecord) {
  Txt("example.org", "google-site-verification=abc");
  Txt("example.org", "v=spf1 ip4:192.0.2.0/24 a mx -all");
  A("example.org", "192.0.2.1");
  dns_.AddRecord("example.org", rr::kAaaa, Ip("2001:db8::1"));
  dns_.AddRecord("example.org", rr::kMx, Mx(10, "mx.example.org."));
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.present());
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.record(), "v=spf1 ip4:192.0.2.0/24 a mx -all");
  EXPECT_EQ(r.all(), "-all");
  EXPECT_FALSE(r.permits_nothing());
  EXPECT_EQ(r.dns_lookups(), 2u);
  EXPECT_EQ(r.void_lookups(), 0u);
  EXPECT_EQ(r.dns_status(), mxscan::NOERROR);
  EXPECT_THAT(r.errors(), IsEmpty());
  EXPECT_THAT(r.warnings(), IsEmpty());
  EXPECT_THAT(r.chain(),
              ElementsAre("example.org: v=spf1 ip4:192.0.2.0/24 a mx -all"));
}

TEST_F(AnalysisTest, AllQualifiers) {
  const std::map<std::string, std::string> cases = {
      {"v=spf1 -all", "-all"}, {"v=spf1 ~all", "~all"},
      {"v=spf1 ?all", "?all"}, {"v=spf1 +all", "+all"},
      {"v=spf1 all", "+all"},  {"v=spf1 ip4:192.0.2.1", ""},
  };
  for (const auto& [record, all] : cases) {
    FakeDnsSource dns;
    dns.AddRecord("example.org", rr::kTxt, mxscan::testing::Txt(record));
    std::optional<mxscan::SpfResult> result;
    AnalyzeSpf(dns, "example.org",
               [&](mxscan::SpfResult r) { result = std::move(r); });
    dns.RunUntilIdle();
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->all(), all) << record;
  }
}

TEST_F(AnalysisTest, NoRecord) {
  Txt("example.org", "some other text");
  mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.dns_status(), mxscan::NOERROR);
  EXPECT_THAT(r.errors(), IsEmpty());
  r = Analyze("nowhere.example");
  EXPECT_FALSE(r.present());
  EXPECT_EQ(r.dns_status(), mxscan::NXDOMAIN);
}

TEST_F(AnalysisTest, TimeoutAndServfailAreNeverNoRecord) {
  dns_.SetStatus("example.org", rr::kTxt, dns::LookupStatus::kTimeout);
  mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.dns_status(), mxscan::TIMEOUT);
  EXPECT_THAT(r.errors(),
              ElementsAre("temperror: TXT lookup of example.org failed: "
                          "TIMEOUT"));
  dns_.SetStatus("example.net", rr::kTxt, dns::LookupStatus::kServFail);
  r = Analyze("example.net");
  EXPECT_EQ(r.dns_status(), mxscan::SERVFAIL);
  EXPECT_THAT(r.errors(), ElementsAre(HasSubstr("temperror")));
}

TEST_F(AnalysisTest, MultipleRecords) {
  Txt("example.org", "v=spf1 -all");
  Txt("example.org", "v=spf1 ~all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(), ElementsAre("permerror: 2 SPF records at "
                                      "example.org (exactly one is allowed)"));
  EXPECT_EQ(r.chain_size(), 2);
}

TEST_F(AnalysisTest, SyntaxError) {
  Txt("example.org", "v=spf1 ip4:192.0.2.300 -all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(),
              ElementsAre(HasSubstr("permerror: invalid record: term "
                                    "\"ip4:192.0.2.300\"")));
}

TEST_F(AnalysisTest, NonAsciiRecordIsShownEscaped) {
  Txt("example.org",
      "v=spf1 a:\xEF\xBB\xBF"
      "x.example -all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_EQ(r.record(), "v=spf1 a:\\239\\187\\191x.example -all");
  EXPECT_THAT(r.errors(), ElementsAre(HasSubstr("not 7-bit ASCII")));
}

TEST_F(AnalysisTest, IncludeChainErrorsNameTheChain) {
  Txt("example.org", "v=spf1 include:_spf.a.example -all");
  Txt("_spf.a.example", "v=spf1 ip4:192.0.2.0/24 include:gone.example ~all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.present());
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(),
              ElementsAre("include:_spf.a.example > include:gone.example: "
                          "no SPF record"));
  EXPECT_EQ(r.dns_lookups(), 2u);
  EXPECT_EQ(r.void_lookups(), 1u);
  EXPECT_THAT(r.chain(),
              ElementsAre("example.org: v=spf1 include:_spf.a.example -all",
                          "_spf.a.example: v=spf1 ip4:192.0.2.0/24 "
                          "include:gone.example ~all"));
}

TEST_F(AnalysisTest, TemperrorInsideAnInclude) {
  Txt("example.org", "v=spf1 include:_spf.a.example -all");
  dns_.SetStatus("_spf.a.example", rr::kTxt, dns::LookupStatus::kServFail);
  const mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(),
              ElementsAre("include:_spf.a.example: temperror: TXT lookup of "
                          "_spf.a.example failed: SERVFAIL"));
}

TEST_F(AnalysisTest, IncludedRecordProblems) {
  Txt("example.org",
      "v=spf1 include:two.example include:bad.example include:none.example "
      "-all");
  Txt("two.example", "v=spf1 -all");
  Txt("two.example", "v=spf1 +all");
  Txt("bad.example", "v=spf1 moo");
  Txt("none.example", "hello");
  const mxscan::SpfResult r = Analyze();
  EXPECT_THAT(
      r.errors(),
      ElementsAre("include:two.example: 2 SPF records (exactly one is allowed)",
                  "include:bad.example: invalid record: term \"moo\": unknown "
                  "mechanism \"moo\"",
                  "include:none.example: no SPF record"));
  EXPECT_EQ(r.void_lookups(), 0u);  // "hello" is a TXT record
}

TEST_F(AnalysisTest, RedirectSuppliesTheAll) {
  Txt("example.org", "v=spf1 ip4:192.0.2.1 redirect=_spf.example.net");
  Txt("_spf.example.net", "v=spf1 a:mail.example.net ~all");
  A("mail.example.net", "192.0.2.9");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.all(), "~all");
  EXPECT_EQ(r.dns_lookups(), 2u);
  EXPECT_EQ(r.chain_size(), 2);
}

TEST_F(AnalysisTest, RedirectIgnoredWithAll) {
  Txt("example.org", "v=spf1 redirect=_spf.example.net -all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.all(), "-all");
  EXPECT_EQ(r.dns_lookups(), 0u);
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("ignored")));
  for (const std::string& q : dns_.asked()) {
    EXPECT_THAT(q, ::testing::Not(HasSubstr("_spf.example.net")));
  }
}

TEST_F(AnalysisTest, MissingRedirectTarget) {
  Txt("example.org", "v=spf1 redirect=gone.example");
  const mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.all(), "");
  EXPECT_THAT(r.errors(), ElementsAre("redirect=gone.example: no SPF record"));
}

TEST_F(AnalysisTest, TooManyLookups) {
  Txt("example.org",
      "v=spf1 include:a.example include:b.example mx a ptr -all");
  Txt("a.example", "v=spf1 a:1.a.example a:2.a.example a:3.a.example ~all");
  Txt("b.example",
      "v=spf1 a:1.b.example a:2.b.example a:3.b.example a:4.b.example ~all");
  for (const char* host :
       {"1.a.example", "2.a.example", "3.a.example", "1.b.example",
        "2.b.example", "3.b.example", "4.b.example", "example.org"}) {
    A(host, "192.0.2.1");
  }
  dns_.AddRecord("example.org", rr::kMx, Mx(10, "mx.example.org."));
  const mxscan::SpfResult r = Analyze();
  EXPECT_EQ(r.dns_lookups(), 12u);
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(),
              ElementsAre("permerror: 12 DNS lookups, more than the 10 "
                          "allowed (RFC 7208 section 4.6.4); the 11th is a"));
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("ptr SHOULD NOT")));
}

TEST_F(AnalysisTest, TooManyVoidLookups) {
  Txt("example.org",
      "v=spf1 a:gone1.example mx:gone2.example include:_spf.example.org -all");
  Txt("_spf.example.org", "v=spf1 exists:gone3.example ~all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_EQ(r.void_lookups(), 3u);
  EXPECT_THAT(r.errors(),
              ElementsAre("permerror: 3 void lookups, more than the 2 "
                          "allowed (RFC 7208 section 4.6.4); the 3rd is "
                          "include:_spf.example.org > exists:gone3.example"));
}

TEST_F(AnalysisTest, AWithoutIp4IsAWarningNotAVoid) {
  Txt("example.org", "v=spf1 a:v6only.example -all");
  dns_.AddRecord("v6only.example", rr::kAaaa, Ip("2001:db8::1"));
  const mxscan::SpfResult r = Analyze();
  EXPECT_EQ(r.void_lookups(), 0u);
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings(), ElementsAre("a:v6only.example: v6only.example has "
                                        "no A record: a void lookup for IPv4 "
                                        "clients"));
}

TEST_F(AnalysisTest, TooManyMxNames) {
  Txt("example.org", "v=spf1 mx -all");
  for (int i = 0; i < 11; ++i) {
    dns_.AddRecord("example.org", rr::kMx,
                   Mx(i, "mx" + std::to_string(i) + ".example."));
  }
  const mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(), ElementsAre("mx: permerror: 11 MX records, more "
                                      "than 10 (RFC 7208 section 4.6.4)"));
}

TEST_F(AnalysisTest, IncludeLoop) {
  Txt("example.org", "v=spf1 include:a.example -all");
  Txt("a.example", "v=spf1 include:b.example ~all");
  Txt("b.example", "v=spf1 include:a.example ~all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.errors(),
              ElementsAre("include:a.example > include:b.example > "
                          "include:a.example: include loop (example.org > "
                          "a.example > b.example > a.example)"));
  EXPECT_EQ(r.dns_lookups(), 3u);
}

TEST_F(AnalysisTest, RedirectToItself) {
  Txt("example.org", "v=spf1 redirect=example.org");
  const mxscan::SpfResult r = Analyze();
  EXPECT_THAT(r.errors(), ElementsAre(HasSubstr("redirect loop")));
}

TEST_F(AnalysisTest, SharedIncludesAreAskedOnceButCountedEachTime) {
  Txt("example.org", "v=spf1 include:a.example include:b.example -all");
  Txt("a.example", "v=spf1 include:_spf.provider.example ~all");
  Txt("b.example", "v=spf1 include:_spf.provider.example ~all");
  Txt("_spf.provider.example", "v=spf1 ip4:192.0.2.0/24 ~all");
  const mxscan::SpfResult r = Analyze();  // checks each question asked once
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.dns_lookups(), 4u);
  EXPECT_EQ(r.chain_size(), 4);
}

TEST_F(AnalysisTest, MacrosThatNeedTheSenderAreNotFollowed) {
  Txt("example.org",
      "v=spf1 exists:%{i}._spf.example.org include:%{l}.example.net "
      "a:%{d} mx:%{o2} -all");
  A("example.org", "192.0.2.1");
  dns_.AddRecord("example.org", rr::kMx, Mx(10, "mx.example.org."));
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.dns_lookups(), 4u);
  EXPECT_THAT(
      r.warnings(),
      ElementsAre("exists:%{i}._spf.example.org: depends on the sender or "
                  "the client address (%{i}): not followed",
                  "include:%{l}.example.net: depends on the sender or the "
                  "client address (%{l}): not followed"));
}

TEST_F(AnalysisTest, TermsAfterAllAreNotCounted) {
  Txt("example.org", "v=spf1 -all include:a.example");
  const mxscan::SpfResult r = Analyze();
  EXPECT_EQ(r.dns_lookups(), 0u);
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("never evaluated")));
}

TEST_F(AnalysisTest, ExplanationTargetIsChecked) {
  Txt("example.org", "v=spf1 -all exp=why.example.org");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("exp=why.example.org")));
}

TEST_F(AnalysisTest, ExplanationOfAnIncludedRecordIsNotFetched) {
  Txt("example.org", "v=spf1 include:a.example -all");
  Txt("a.example", "v=spf1 ~all exp=why.a.example");
  const mxscan::SpfResult r = Analyze();
  EXPECT_THAT(r.warnings(), IsEmpty());
  for (const std::string& q : dns_.asked()) {
    EXPECT_THAT(q, ::testing::Not(HasSubstr("why.a.example")));
  }
}

TEST_F(AnalysisTest, QuestionBudget) {
  Txt("example.org", "v=spf1 include:a.example -all");
  Txt("a.example", "v=spf1 ~all");
  AnalysisOptions options;
  options.max_questions = 1;
  const mxscan::SpfResult r = Analyze("example.org", options);
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("analysis stopped")));
}

TEST_F(AnalysisTest, MalformedDomain) {
  std::optional<mxscan::SpfResult> result;
  AnalyzeSpf(dns_, "not a domain",
             [&](mxscan::SpfResult r) { result = std::move(r); });
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->present());
  EXPECT_THAT(result->errors(), ElementsAre(HasSubstr("malformed domain")));
}

TEST_F(AnalysisTest, ARecordThatPermitsNothing) {
  Txt("example.org", "v=spf1 -all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.all(), "-all");
  EXPECT_TRUE(r.permits_nothing());
}

TEST_F(AnalysisTest, ARecordMeantAsSpfIsNoSpfButIsReported) {
  Txt("example.org", "v=spf1,mx,-all");
  const mxscan::SpfResult r = Analyze();
  EXPECT_FALSE(r.present());
  ASSERT_EQ(r.lookalikes_size(), 1);
  EXPECT_THAT(r.lookalikes(0), HasSubstr("v=spf1,mx,-all: ','"));
  EXPECT_THAT(r.lookalikes(0), HasSubstr("(meant: v=spf1 mx -all)"));
  EXPECT_THAT(r.warnings(), ElementsAre(HasSubstr("meant as SPF")));
}

}  // namespace
}  // namespace mxscan::checks::spf
