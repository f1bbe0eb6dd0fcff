#include "scanner/checks/spf/domain_name.h"

#include <string>

#include "gtest/gtest.h"
#include "scanner/checks/spf/txt_record.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/rdata_builders.h"

namespace mxscan::checks::spf {
namespace {

TEST(DomainNameTest, TargetNameDropsTrailingDotAndTruncatesLeft) {
  EXPECT_EQ(TargetName("example.com."), "example.com");
  EXPECT_EQ(TargetName("example.com"), "example.com");
  std::string labels;
  for (int i = 0; i < 8; ++i) labels += "somewhat.long.exp.example.com.";
  const std::string name = "foobar." + labels + "example.com";
  ASSERT_GT(name.size(), 253u);
  EXPECT_EQ(TargetName(name), labels + "example.com");
  EXPECT_LE(TargetName(name).size(), 253u);
  EXPECT_EQ(TargetName(std::string(300, 'a')).size(), 300u);
}

TEST(DomainNameTest, QueryableNames) {
  EXPECT_TRUE(IsQueryableName("example.com"));
  EXPECT_TRUE(IsQueryableName("example.com."));
  EXPECT_TRUE(IsQueryableName("com"));
  EXPECT_FALSE(IsQueryableName(""));
  EXPECT_FALSE(IsQueryableName("mail.example...com"));
  EXPECT_FALSE(IsQueryableName(std::string(64, 'a') + ".example.com"));
  EXPECT_TRUE(IsQueryableName(std::string(63, 'a') + ".example.com"));
}

TEST(DomainNameTest, WellFormedDomains) {
  EXPECT_TRUE(IsWellFormedDomain("example.com"));
  EXPECT_TRUE(IsWellFormedDomain("foo:bar/baz.example.com"));
  EXPECT_FALSE(IsWellFormedDomain("A2345678"));
  EXPECT_FALSE(IsWellFormedDomain("[1.2.3.5]"));
  EXPECT_FALSE(IsWellFormedDomain("1.2.3.5"));
  EXPECT_FALSE(IsWellFormedDomain("A...example.com"));
  EXPECT_FALSE(IsWellFormedDomain("has space.example.com"));
}

TEST(DomainNameTest, PresentationAndComparison) {
  EXPECT_EQ(PresentationName("a  b%20.example.com"),
            "a\\032\\032b%20.example.com");
  EXPECT_EQ(PresentationName("back\\slash.example"), "back\\\\slash.example");
  EXPECT_EQ(CanonicalName("Mail.Example.COM."), "mail.example.com");
  EXPECT_TRUE(IsSameOrSubdomain("mail.Example.com.", "example.COM"));
  EXPECT_TRUE(IsSameOrSubdomain("example.com", "example.com."));
  EXPECT_FALSE(IsSameOrSubdomain("badexample.com", "example.com"));
  EXPECT_FALSE(IsSameOrSubdomain("example.com", ""));
}

TEST(TxtRecordTest, SelectsSpfRecordsFromTxtAnswers) {
  dns::LookupResult r;
  r.status = dns::LookupStatus::kNoError;
  r.answers.push_back({"b.example.", dns::rr_type::kCname, 300,
                       mxscan::testing::Name("a.example.")});
  r.answers.push_back(
      {"a.example.", dns::rr_type::kTxt, 300, mxscan::testing::Txt("hello")});
  r.answers.push_back({"a.example.", dns::rr_type::kTxt, 300,
                       mxscan::testing::Txt("v=spf1 -all")});
  r.answers.push_back({"a.example.", dns::rr_type::kTxt, 300,
                       mxscan::testing::Txt("v=spf10 +all")});
  EXPECT_EQ(dns::TxtRecords(r).size(), 3u);
  const std::vector<std::string> spf = SpfRecords(dns::TxtRecords(r));
  ASSERT_EQ(spf.size(), 1u);
  EXPECT_EQ(spf[0], "v=spf1 -all");
}

}  // namespace
}  // namespace mxscan::checks::spf
