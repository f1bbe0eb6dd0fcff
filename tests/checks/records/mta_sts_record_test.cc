// Field rules of the _mta-sts TXT record (RFC 8461 section 3.1), one test
// per rule and per error.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/mta_sts/record.h"

namespace mxscan::checks::mta_sts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(MtaStsRecordTest, MinimalRecord) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; id=20240101T000000");
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.id, "20240101T000000");
  EXPECT_THAT(r.warnings, IsEmpty());
}

TEST(MtaStsRecordTest, FinalSemicolonAndSpacesAroundSemicolons) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1 ;\tid=abc ; x=1;");
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.id, "abc");
  EXPECT_THAT(r.extensions, ElementsAre(Pair("x", "1")));
  // Whitespace before the first ";" breaks the literal "v=STSv1;" prefix.
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("may discard")));
}

TEST(MtaStsRecordTest, OrderOfFieldsAfterVersionIsFree) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; ext=a; id=x1");
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.id, "x1");
}

TEST(MtaStsRecordTest, IdLengthLimits) {
  EXPECT_TRUE(ParseMtaStsRecord("v=STSv1; id=a").valid());
  EXPECT_TRUE(ParseMtaStsRecord("v=STSv1; id=" + std::string(32, 'z')).valid());
  const MtaStsRecord r =
      ParseMtaStsRecord("v=STSv1; id=" + std::string(33, 'z'));
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.id, "");  // only well-formed ids are reported
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("1 to 32 letters and digits")));
}

TEST(MtaStsRecordTest, IdOnlyAlphanumerics) {
  for (const char* bad : {"v=STSv1; id=a_b", "v=STSv1; id=a.b",
                          "v=STSv1; id=a-b", "v=STSv1; id="}) {
    EXPECT_FALSE(ParseMtaStsRecord(bad).valid()) << bad;
  }
}

TEST(MtaStsRecordTest, MissingId) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1").errors,
              ElementsAre("missing id= field"));
}

TEST(MtaStsRecordTest, DuplicateIdIsAnError) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; id=a; id=b");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("more than once")));
  EXPECT_EQ(r.id, "a");
}

TEST(MtaStsRecordTest, VersionMustComeFirstAndBeExact) {
  EXPECT_THAT(ParseMtaStsRecord("id=a; v=STSv1").errors,
              ElementsAre(HasSubstr("does not begin with")));
  EXPECT_THAT(ParseMtaStsRecord("V=STSv1; id=a").errors,
              ElementsAre(HasSubstr("does not begin with")));
  EXPECT_THAT(ParseMtaStsRecord("v=stsv1; id=a").errors,
              ElementsAre(HasSubstr("expected \"v=STSv1\"")));
  EXPECT_THAT(ParseMtaStsRecord(" v=STSv1; id=a").errors,
              ElementsAre(HasSubstr("does not begin with")));
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1id=a").errors,
              ElementsAre(HasSubstr("expected \"v=STSv1\"")));
}

TEST(MtaStsRecordTest, RepeatedVersionIsAnError) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; v=STSv1; id=a").errors,
              ElementsAre(HasSubstr("v= appears again")));
}

TEST(MtaStsRecordTest, FieldsNeedSemicolons) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1 id=a").errors,
              ElementsAre(HasSubstr("expected \";\""), "missing id= field"));
}

TEST(MtaStsRecordTest, NoWhitespaceAroundEquals) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id =a").errors,
              ElementsAre(HasSubstr("whitespace before \"=\"")));
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id= a").errors,
              ElementsAre(HasSubstr("whitespace after \"=\"")));
}

TEST(MtaStsRecordTest, TrailingWhitespaceIsAWarning) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; id=a  ");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("end of the record")));
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; ").warnings,
              ElementsAre(HasSubstr("end of the record")));
}

TEST(MtaStsRecordTest, EmptyFieldIsAnError) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1;; id=a").errors,
              ElementsAre(HasSubstr("empty field")));
}

TEST(MtaStsRecordTest, FieldWithoutEquals) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; junk").errors,
              ElementsAre(HasSubstr("has no \"=\"")));
}

TEST(MtaStsRecordTest, ExtensionNameGrammar) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; id=a; 9a_b-c.d=1; " +
                                           std::string(32, 'n') + "=2");
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.extensions.size(), 2u);
  for (const char* bad : {"_x=1", "-x=1", "x%=1", "x y=1"}) {
    EXPECT_FALSE(
        ParseMtaStsRecord(std::string("v=STSv1; id=a; ") + bad).valid())
        << bad;
  }
}

TEST(MtaStsRecordTest, ExtensionValueGrammar) {
  EXPECT_TRUE(ParseMtaStsRecord("v=STSv1; id=a; x=!:<>~").valid());
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; x=a=b").errors,
              ElementsAre(HasSubstr("invalid value")));
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; x=a b").errors,
              ElementsAre(HasSubstr("invalid value")));
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; x=").errors,
              ElementsAre(HasSubstr("empty value")));
}

TEST(MtaStsRecordTest, DuplicateExtensionIsAWarning) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; id=a; x=1; x=2");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("more than once")));
}

TEST(MtaStsRecordTest, CaseVariantOfKnownFieldIsFlagged) {
  const MtaStsRecord r = ParseMtaStsRecord("v=STSv1; ID=abc");
  EXPECT_THAT(r.errors, ElementsAre("missing id= field"));
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("case-sensitive")));
}

TEST(MtaStsRecordTest, NonAsciiIsAnError) {
  EXPECT_THAT(ParseMtaStsRecord("v=STSv1; id=a; x=\xc3\xa9").errors,
              testing::Contains(HasSubstr("not printable US-ASCII")));
  EXPECT_THAT(ParseMtaStsRecord(std::string("v=STSv1; id=a\0", 14)).errors,
              testing::Contains(HasSubstr("byte 0x00")));
}

TEST(MtaStsRecordTest, Candidates) {
  EXPECT_TRUE(IsMtaStsCandidate("v=STSv1; id=a"));
  EXPECT_TRUE(IsMtaStsCandidate("v=STSv1"));
  EXPECT_TRUE(IsMtaStsCandidate("v=STSv1 ;id=a"));
  EXPECT_FALSE(IsMtaStsCandidate("v=STSv10; id=a"));
  EXPECT_FALSE(IsMtaStsCandidate("v=spf1 -all"));
  EXPECT_FALSE(IsMtaStsCandidate(""));
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
