// Field rules of the MTA-STS policy file (RFC 8461 section 3.2).

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/mta_sts/policy.h"

namespace mxscan::checks::mta_sts {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr char kGood[] =
    "version: STSv1\r\n"
    "mode: enforce\r\n"
    "mx: mail.example.com\r\n"
    "mx: *.backup.example.net\r\n"
    "max_age: 604800\r\n";

TEST(MtaStsPolicyTest, WellFormedPolicy) {
  const MtaStsPolicy p = ParseMtaStsPolicy(kGood);
  EXPECT_TRUE(p.valid());
  EXPECT_THAT(p.warnings, IsEmpty());
  EXPECT_EQ(p.version, "STSv1");
  EXPECT_EQ(p.mode, "enforce");
  EXPECT_THAT(p.mx, ElementsAre("mail.example.com", "*.backup.example.net"));
  EXPECT_TRUE(p.has_max_age);
  EXPECT_EQ(p.max_age, 604800u);
}

TEST(MtaStsPolicyTest, LfAndUnterminatedLastLine) {
  const MtaStsPolicy p =
      ParseMtaStsPolicy("mode: none\nmax_age: 86400\nversion: STSv1");
  EXPECT_TRUE(p.valid());
  EXPECT_EQ(p.mode, "none");
}

TEST(MtaStsPolicyTest, ModeNoneNeedsNoMx) {
  EXPECT_TRUE(
      ParseMtaStsPolicy("version: STSv1\nmode: none\nmax_age: 0\n").valid());
}

TEST(MtaStsPolicyTest, EnforceAndTestingNeedMx) {
  for (const char* mode : {"enforce", "testing"}) {
    const MtaStsPolicy p = ParseMtaStsPolicy(
        std::string("version: STSv1\nmode: ") + mode + "\nmax_age: 1\n");
    EXPECT_THAT(p.errors, ElementsAre(HasSubstr("missing mx"))) << mode;
  }
}

TEST(MtaStsPolicyTest, MissingRequiredKeys) {
  EXPECT_THAT(
      ParseMtaStsPolicy("").errors,
      ElementsAre("missing version", "missing mode", "missing max_age"));
}

TEST(MtaStsPolicyTest, DuplicateKeys) {
  for (const char* dup : {"version: STSv1\n", "mode: none\n", "max_age: 5\n"}) {
    const MtaStsPolicy p = ParseMtaStsPolicy(
        std::string("version: STSv1\nmode: none\nmax_age: 5\n") + dup);
    EXPECT_THAT(p.errors, ElementsAre(HasSubstr("more than once"))) << dup;
  }
}

TEST(MtaStsPolicyTest, RepeatedMxIsAWarning) {
  const MtaStsPolicy p = ParseMtaStsPolicy(
      "version: STSv1\nmode: testing\nmx: a.example\nmx: A.example\n"
      "max_age: 5\n");
  EXPECT_TRUE(p.valid());
  EXPECT_THAT(p.warnings, ElementsAre(HasSubstr("repeated")));
}

TEST(MtaStsPolicyTest, VersionAndModeAreExact) {
  EXPECT_THAT(
      ParseMtaStsPolicy("version: stsv1\nmode: none\nmax_age: 1\n").errors,
      ElementsAre(HasSubstr("expected \"STSv1\"")));
  EXPECT_THAT(
      ParseMtaStsPolicy("version: STSv1\nmode: Enforce\nmax_age: 1\n").errors,
      ElementsAre(HasSubstr("expected enforce, testing or none")));
}

TEST(MtaStsPolicyTest, MaxAgeBounds) {
  auto with_max_age = [](const std::string& value) {
    return ParseMtaStsPolicy("version: STSv1\nmode: none\nmax_age: " + value);
  };
  EXPECT_TRUE(with_max_age("0").valid());
  EXPECT_EQ(with_max_age("31557600").max_age, 31557600u);
  EXPECT_THAT(with_max_age("31557601").errors,
              ElementsAre(HasSubstr("exceeds the maximum")));
  EXPECT_THAT(with_max_age("9999999999").errors,
              ElementsAre(HasSubstr("exceeds the maximum")));
  EXPECT_THAT(with_max_age("00000000001").errors,
              ElementsAre(HasSubstr("more than 10 digits")));
  EXPECT_TRUE(with_max_age("0000000001").valid());
  for (const char* bad : {"+1", "-1", "1e3", "1 2", "0x10", ""}) {
    EXPECT_FALSE(with_max_age(bad).valid()) << bad;
  }
}

TEST(MtaStsPolicyTest, MxPatternRules) {
  auto with_mx = [](const std::string& mx) {
    return ParseMtaStsPolicy(
        "version: STSv1\nmode: enforce\nmax_age: 1\nmx: " + mx + "\n");
  };
  EXPECT_TRUE(with_mx("*.example.com").valid());
  EXPECT_TRUE(with_mx("mx-1.xn--mller-kva.example").valid());
  for (const char* bad :
       {"mx.example.com.", "a.*.example", "*example.com", "*.", "-a.example",
        "a..example", "a_b.example", "mx.example.com extra"}) {
    EXPECT_THAT(with_mx(bad).errors, ElementsAre(HasSubstr("not a host name")))
        << bad;
  }
}

TEST(MtaStsPolicyTest, KeysAreCaseSensitive) {
  const MtaStsPolicy p =
      ParseMtaStsPolicy("version: STSv1\nMode: none\nmax_age: 1\n");
  EXPECT_THAT(p.errors, ElementsAre("missing mode"));
  EXPECT_THAT(p.warnings, ElementsAre(HasSubstr("case-sensitive")));
}

TEST(MtaStsPolicyTest, ExtensionsAreKept) {
  const MtaStsPolicy p = ParseMtaStsPolicy(
      "version: STSv1\nmode: none\nmax_age: 1\nx-note: caf\xc3\xa9 = ok;\n");
  EXPECT_TRUE(p.valid());
  EXPECT_THAT(p.extensions, ElementsAre(Pair("x-note", "caf\xc3\xa9 = ok;")));
}

TEST(MtaStsPolicyTest, ExtensionValueRules) {
  const std::string head = "version: STSv1\nmode: none\nmax_age: 1\n";
  EXPECT_THAT(ParseMtaStsPolicy(head + "x:\n").errors,
              ElementsAre(HasSubstr("empty value")));
  EXPECT_THAT(ParseMtaStsPolicy(head + "x: a\tb\n").errors,
              ElementsAre(HasSubstr("invalid value")));
}

TEST(MtaStsPolicyTest, LineSyntaxErrors) {
  const std::string tail = "version: STSv1\nmode: none\nmax_age: 1\n";
  EXPECT_THAT(ParseMtaStsPolicy("garbage\n" + tail).errors,
              ElementsAre(HasSubstr("line 1: \"garbage\" is not")));
  EXPECT_THAT(ParseMtaStsPolicy(" x: 1\n" + tail).errors,
              ElementsAre(HasSubstr("no whitespace before a key")));
  EXPECT_THAT(ParseMtaStsPolicy("x : 1\n" + tail).errors,
              ElementsAre(HasSubstr("invalid key")));
  EXPECT_THAT(
      ParseMtaStsPolicy("version: STSv1\rmode: none\nmax_age: 1\n").errors,
      Contains(HasSubstr("carriage return inside a line")));
}

TEST(MtaStsPolicyTest, BlankLinesAreAWarning) {
  const MtaStsPolicy p =
      ParseMtaStsPolicy("version: STSv1\n\nmode: none\r\n\r\nmax_age: 1\n\n");
  EXPECT_TRUE(p.valid());
  EXPECT_THAT(p.warnings, ElementsAre(HasSubstr("first at line 2")));
}

TEST(MtaStsPolicyTest, SizeLimit) {
  std::string body = "version: STSv1\nmode: none\nmax_age: 1\n";
  body += "x: " + std::string(kMaxPolicyBytes - body.size() - 4, 'a') + "\n";
  ASSERT_EQ(body.size(), kMaxPolicyBytes);
  EXPECT_TRUE(ParseMtaStsPolicy(body).valid());
  body += "\n";
  const MtaStsPolicy p = ParseMtaStsPolicy(body);
  EXPECT_THAT(p.errors, ElementsAre(HasSubstr("over the limit of 65536")));
  EXPECT_EQ(p.version, "");  // nothing parsed
}

TEST(MtaStsPolicyTest, NotUtf8) {
  EXPECT_THAT(
      ParseMtaStsPolicy("version: STSv1\nmode: none\nmax_age: 1\nx: \xff\n")
          .errors,
      ElementsAre(HasSubstr("not UTF-8")));
  // Overlong and surrogate encodings are not UTF-8 either.
  EXPECT_FALSE(ParseMtaStsPolicy("x: \xc0\xaf\n").errors.empty());
  EXPECT_THAT(ParseMtaStsPolicy("x: \xed\xa0\x80\n").errors,
              ElementsAre(HasSubstr("not UTF-8")));
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
