// BIMI assertion records (draft-brand-indicators-for-message-identification
// section 4.3) and filling BimiResult.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/bimi/record.h"
#include "scanner/checks/bimi/result.h"

namespace mxscan::checks::bimi {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kFull[] =
    "v=BIMI1; l=https://bimi.example.com/logo.svg; "
    "a=https://bimi.example.com/vmc.pem";

TEST(BimiRecordTest, LocationAndAuthority) {
  const BimiRecord r = ParseBimiRecord(kFull);
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings, IsEmpty());
  EXPECT_THAT(r.locations, ElementsAre("https://bimi.example.com/logo.svg"));
  EXPECT_EQ(r.authority, "https://bimi.example.com/vmc.pem");
  EXPECT_FALSE(r.declined);
}

TEST(BimiRecordTest, TagListWhitespaceAndCase) {
  const BimiRecord r = ParseBimiRecord(
      " v = BIMI1 ;\tl = https://bimi.example.com/Logo.SVGZ ; ");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.locations, ElementsAre("https://bimi.example.com/Logo.SVGZ"));
}

TEST(BimiRecordTest, Declination) {
  for (const char* text : {"v=BIMI1; l=; a=;", "v=BIMI1; l=", "v=BIMI1;l=;"}) {
    const BimiRecord r = ParseBimiRecord(text);
    EXPECT_TRUE(r.valid()) << text;
    EXPECT_TRUE(r.declined) << text;
    EXPECT_THAT(r.locations, IsEmpty());
  }
  // An evidence document alone is not a declination: its logo is in it.
  const BimiRecord r =
      ParseBimiRecord("v=BIMI1; l=; a=https://bimi.example.com/vmc.pem");
  EXPECT_TRUE(r.valid());
  EXPECT_FALSE(r.declined);
}

TEST(BimiRecordTest, LocationTagIsRequired) {
  EXPECT_THAT(ParseBimiRecord("v=BIMI1;").errors,
              ElementsAre(HasSubstr("missing l=")));
  EXPECT_THAT(
      ParseBimiRecord("v=BIMI1; a=https://bimi.example.com/vmc.pem").errors,
      ElementsAre(HasSubstr("missing l=")));
}

TEST(BimiRecordTest, VersionRules) {
  EXPECT_THAT(
      ParseBimiRecord("l=https://bimi.example.com/a.svg; v=BIMI1").errors,
      ElementsAre(HasSubstr("does not begin with v=BIMI1")));
  EXPECT_THAT(ParseBimiRecord("v=bimi1; l=").errors,
              ElementsAre(HasSubstr("expected BIMI1")));
  EXPECT_THAT(ParseBimiRecord("V=BIMI1; l=").errors,
              ElementsAre(HasSubstr("does not begin with")));
  EXPECT_THAT(ParseBimiRecord("").errors, Contains(HasSubstr("empty record")));
}

TEST(BimiRecordTest, HttpsOnlyWithFqdn) {
  EXPECT_THAT(
      ParseBimiRecord("v=BIMI1; l=http://bimi.example.com/a.svg").errors,
      ElementsAre(HasSubstr("must be an https: URI")));
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=https://localhost/a.svg").errors,
              ElementsAre(HasSubstr("fully qualified")));
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=https://[2001:db8::1]/a.svg").errors,
              ElementsAre(HasSubstr("fully qualified")));
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=; a=http://x.example/v.pem").errors,
              ElementsAre(HasSubstr("must be an https: URI")));
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=https://x.example/a b.svg").errors,
              ElementsAre(HasSubstr("a space")));
}

TEST(BimiRecordTest, OnlySvgIndicators) {
  const BimiRecord png =
      ParseBimiRecord("v=BIMI1; l=https://bimi.example.com/logo.png");
  EXPECT_THAT(png.errors, ElementsAre(HasSubstr("only SVG")));
  EXPECT_THAT(png.locations, IsEmpty());
  const BimiRecord none =
      ParseBimiRecord("v=BIMI1; l=https://bimi.example.com/logo?id=3");
  EXPECT_TRUE(none.valid());
  EXPECT_THAT(none.warnings, ElementsAre(HasSubstr("does not end in .svg")));
}

TEST(BimiRecordTest, SeveralLocationsFromOlderDrafts) {
  const BimiRecord r = ParseBimiRecord(
      "v=BIMI1; l=https://a.example.com/1.svg,https://b.example.com/2.svg");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.locations, ElementsAre("https://a.example.com/1.svg",
                                       "https://b.example.com/2.svg"));
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("several URIs")));
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=https://a.example.com/1.svg,").errors,
              ElementsAre(HasSubstr("empty URI")));
}

TEST(BimiRecordTest, AuthorityRules) {
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=; a=https://a.example/1.pem,"
                              "https://a.example/2.pem")
                  .errors,
              ElementsAre(HasSubstr("single URI")));
  const BimiRecord r =
      ParseBimiRecord("v=BIMI1; l=; a=https://bimi.example.com/cert");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr(".pem")));
}

TEST(BimiRecordTest, DuplicateTagInvalidatesTheRecord) {
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=; l=").errors,
              ElementsAre(HasSubstr("more than once")));
}

TEST(BimiRecordTest, LocalPartSelectorsAndAvatarPreference) {
  const BimiRecord r = ParseBimiRecord("v=BIMI1; l=; lps=true; avp=personal");
  EXPECT_TRUE(r.valid());
  EXPECT_TRUE(r.local_part_selectors);
  EXPECT_EQ(r.avatar_preference, "personal");
  EXPECT_THAT(ParseBimiRecord("v=BIMI1; l=; lps=yes").errors,
              ElementsAre(HasSubstr("true or false")));
  const BimiRecord odd = ParseBimiRecord("v=BIMI1; l=; avp=other");
  EXPECT_TRUE(odd.valid());
  EXPECT_EQ(odd.avatar_preference, "");
  EXPECT_THAT(odd.warnings, ElementsAre(HasSubstr("ignored")));
}

TEST(BimiRecordTest, UnknownTagsAreIgnored) {
  EXPECT_TRUE(ParseBimiRecord("v=BIMI1; l=; future=x=y").valid());
}

TEST(BimiResultTest, FillsResult) {
  BimiResult result;
  FillBimiResult(kFull, &result);
  EXPECT_TRUE(result.present());
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(result.record(), kFull);
  EXPECT_EQ(result.location(), "https://bimi.example.com/logo.svg");
  EXPECT_EQ(result.authority(), "https://bimi.example.com/vmc.pem");
  EXPECT_THAT(result.errors(), IsEmpty());
}

TEST(BimiResultTest, WarningsAreMarkedAndKeepValid) {
  BimiResult result;
  FillBimiResult("v=BIMI1; l=https://bimi.example.com/logo", &result);
  EXPECT_TRUE(result.valid());
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("warning: l=")));
}

TEST(BimiResultTest, FromTxt) {
  BimiResult none;
  FillBimiResultFromTxt({"v=spf1 -all"}, &none);
  EXPECT_FALSE(none.present());

  BimiResult one;
  FillBimiResultFromTxt({"hello", "v = BIMI1; l="}, &one);
  EXPECT_TRUE(one.present());
  EXPECT_TRUE(one.valid());
  EXPECT_EQ(one.location(), "");

  BimiResult two;
  FillBimiResultFromTxt({"v=BIMI1; l=", "v=BIMI1; l="}, &two);
  EXPECT_FALSE(two.valid());
  EXPECT_THAT(two.errors(), Contains(HasSubstr("2 v=BIMI1 TXT records")));
}

}  // namespace
}  // namespace mxscan::checks::bimi
