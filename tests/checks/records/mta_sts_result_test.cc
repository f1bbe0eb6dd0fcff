// Filling MtaStsResult from the TXT record and the policy.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/mta_sts/result.h"

namespace mxscan::checks::mta_sts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(MtaStsResultTest, ValidRecord) {
  MtaStsResult result;
  FillMtaStsRecord("v=STSv1; id=abc123", &result);
  EXPECT_TRUE(result.txt_present());
  EXPECT_EQ(result.id(), "abc123");
  EXPECT_EQ(result.record(), "v=STSv1; id=abc123");
  EXPECT_THAT(result.errors(), IsEmpty());
  EXPECT_FALSE(result.policy_fetched());
}

TEST(MtaStsResultTest, InvalidRecordKeepsTextAndPrefixesMessages) {
  MtaStsResult result;
  FillMtaStsRecord("v=STSv1; id=a-b  ", &result);
  EXPECT_TRUE(result.txt_present());
  EXPECT_EQ(result.id(), "");
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("record: id=")));
  EXPECT_THAT(result.warnings(), ElementsAre(HasSubstr("record: whitespace")));
}

TEST(MtaStsResultTest, FromTxtSelectsTheStsRecord) {
  MtaStsResult result;
  const std::vector<std::string> txt = {"v=spf1 -all", "v=STSv1; id=x",
                                        "hello"};
  FillMtaStsRecordFromTxt(txt, &result);
  EXPECT_TRUE(result.txt_present());
  EXPECT_EQ(result.id(), "x");
  EXPECT_THAT(result.errors(), IsEmpty());
}

TEST(MtaStsResultTest, FromTxtWithoutStsRecordLeavesResultAlone) {
  MtaStsResult result;
  const std::vector<std::string> txt = {"v=spf1 -all", "v=STSv10; id=x"};
  FillMtaStsRecordFromTxt(txt, &result);
  EXPECT_FALSE(result.txt_present());
  EXPECT_THAT(result.errors(), IsEmpty());
}

TEST(MtaStsResultTest, FromTxtWithTwoStsRecordsIsAnError) {
  MtaStsResult result;
  const std::vector<std::string> txt = {"v=STSv1; id=one", "v=STSv1; id=two"};
  FillMtaStsRecordFromTxt(txt, &result);
  EXPECT_TRUE(result.txt_present());
  EXPECT_EQ(result.id(), "one");
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("2 v=STSv1 TXT records")));
}

TEST(MtaStsResultTest, ValidPolicyWithUncoveredMx) {
  MtaStsResult result;
  const std::vector<std::string> mx = {"mx1.example.com.", "mx.other.net."};
  FillMtaStsPolicy(
      "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n", mx,
      &result);
  EXPECT_TRUE(result.policy_fetched());
  EXPECT_EQ(result.mode(), "enforce");
  EXPECT_THAT(result.mx(), ElementsAre("*.example.com"));
  EXPECT_EQ(result.max_age(), 86400u);
  EXPECT_THAT(result.mx_not_covered(), ElementsAre("mx.other.net."));
  EXPECT_THAT(result.errors(), IsEmpty());
}

TEST(MtaStsResultTest, InvalidPolicyDoesNotCountAsAMode) {
  MtaStsResult result;
  const std::vector<std::string> mx = {"mx1.example.com."};
  FillMtaStsPolicy("version: STSv1\nmode: enforce\nmax_age: 86400\n", mx,
                   &result);
  EXPECT_TRUE(result.policy_fetched());
  EXPECT_EQ(result.mode(), "");
  EXPECT_THAT(result.mx_not_covered(), IsEmpty());
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("policy: missing mx")));
}

TEST(MtaStsResultTest, RecordAndPolicyMessagesAccumulate) {
  MtaStsResult result;
  FillMtaStsRecord("v=STSv1; id=a;;", &result);
  FillMtaStsPolicy("version: STSv1\nmode: none\nmax_age: 1\n\n", {}, &result);
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("record: empty field")));
  EXPECT_THAT(result.warnings(), ElementsAre(HasSubstr("policy: blank")));
  EXPECT_EQ(result.mode(), "none");
}

TEST(MtaStsResultTest, RecordThatIsNotUtf8IsStoredEscaped) {
  MtaStsResult result;
  FillMtaStsRecord("v=STSv1; id=a\xff", &result);
  EXPECT_EQ(result.record(), "v=STSv1; id=a\\255");
  std::string wire;
  ASSERT_TRUE(result.SerializeToString(&wire));
  MtaStsResult read_back;
  EXPECT_TRUE(read_back.ParseFromString(wire));
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
