#include "scanner/scan/domain_input.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::scan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(NormalizeDomainTest, LowercasesAndDropsTheTrailingDot) {
  EXPECT_EQ(*NormalizeDomain("  Example.GOV.uk. "), "example.gov.uk");
}

TEST(NormalizeDomainTest, ConvertsInternationalNamesToALabels) {
  EXPECT_EQ(*NormalizeDomain("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(*NormalizeDomain("BÜCHER.example"), "xn--bcher-kva.example");
  EXPECT_EQ(*NormalizeDomain("xn--bcher-kva.example"), "xn--bcher-kva.example");
}

TEST(NormalizeDomainTest, RejectsWhatIsNotADomain) {
  EXPECT_THAT(NormalizeDomain("bad..name").status().message(),
              HasSubstr("empty label"));
  EXPECT_FALSE(NormalizeDomain("").ok());
  EXPECT_FALSE(NormalizeDomain(std::string(64, 'a') + ".example").ok());
  EXPECT_FALSE(NormalizeDomain("sp ace.example").ok());
  EXPECT_FALSE(NormalizeDomain("semi;colon.example").ok());
  EXPECT_FALSE(NormalizeDomain("\xff\xfe.example").ok());
  EXPECT_FALSE(NormalizeDomain(std::string(2000, 'a')).ok());
}

TEST(ParseDomainLineTest, ReadsDomainAndSector) {
  auto input = ParseDomainLine("Example.org, local government ");
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->domain, "example.org");
  EXPECT_EQ(input->sector, "local government");
  EXPECT_EQ(input->organization, "");
  EXPECT_TRUE(input->error.ok());
}

TEST(ParseDomainLineTest, ReadsTheOrganization) {
  auto input =
      ParseDomainLine("a.gov,\"Federal - Executive\",\"Agency, Office of X\",more");
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->sector, "Federal - Executive");
  EXPECT_EQ(input->organization, "Agency, Office of X");
}

TEST(ParseDomainLineTest, SkipsHeadersCommentsAndBlankLines) {
  EXPECT_FALSE(ParseDomainLine("domain,sector").has_value());
  EXPECT_FALSE(ParseDomainLine("Domain name,Domain type").has_value());
  EXPECT_FALSE(ParseDomainLine("# comment").has_value());
  EXPECT_FALSE(ParseDomainLine("   ").has_value());
}

TEST(ParseDomainLineTest, KeepsInvalidDomainsWithTheirError) {
  auto input = ParseDomainLine("bad..name,health");
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->domain, "bad..name");
  EXPECT_FALSE(input->error.ok());
}

TEST(SplitCsvLineTest, HandlesQuotes) {
  EXPECT_THAT(SplitCsvLine("a,\"b, c\",\"say \"\"hi\"\"\""),
              ElementsAre("a", "b, c", "say \"hi\""));
  EXPECT_THAT(SplitCsvLine("a,,"), ElementsAre("a", "", ""));
}

}  // namespace
}  // namespace mxscan::scan
