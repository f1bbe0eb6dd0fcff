// Field rules of the _smtp._tls TXT record (RFC 8460 section 3) and filling
// TlsRptResult.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/tls_rpt/record.h"
#include "scanner/checks/tls_rpt/result.h"

namespace mxscan::checks::tls_rpt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(TlsRptRecordTest, MailtoAndHttps) {
  const TlsRptRecord r = ParseTlsRptRecord(
      "v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/tls?x=1");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.rua, ElementsAre("mailto:tls@example.com",
                                 "https://r.example.com/tls?x=1"));
  EXPECT_THAT(r.warnings, IsEmpty());
}

TEST(TlsRptRecordTest, WhitespaceAroundCommas) {
  EXPECT_THAT(ParseTlsRptRecord(
                  "v=TLSRPTv1;rua=mailto:a@b.example ,\thttps://c.example")
                  .rua,
              ElementsAre("mailto:a@b.example", "https://c.example"));
}

TEST(TlsRptRecordTest, RuaIsRequired) {
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; ext=1").errors,
              ElementsAre("missing rua= field"));
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=").errors,
              ElementsAre("rua= is empty"));
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@b.example,").errors,
              ElementsAre(HasSubstr("empty entry")));
}

TEST(TlsRptRecordTest, RepeatedRuaFieldsAreCombinedWithAWarning) {
  const TlsRptRecord r = ParseTlsRptRecord(
      "v=TLSRPTv1; rua=mailto:a@x.example; rua=https://x.example/r");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.rua, ElementsAre("mailto:a@x.example", "https://x.example/r"));
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("several rua= fields")));
}

TEST(TlsRptRecordTest, OnlyMailtoAndHttpsSchemes) {
  for (const char* bad :
       {"http://x.example/r", "ftp://x.example/", "urn:isbn:123"}) {
    const TlsRptRecord r =
        ParseTlsRptRecord(std::string("v=TLSRPTv1; rua=") + bad);
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr("is not supported"))) << bad;
    EXPECT_THAT(r.rua, IsEmpty());
  }
  EXPECT_TRUE(ParseTlsRptRecord("v=TLSRPTv1; rua=MAILTO:a@b.example").valid());
}

TEST(TlsRptRecordTest, MailtoNeedsOneAddress) {
  for (const char* bad :
       {"mailto:", "mailto:nobody", "mailto:@x.example", "mailto:a@",
        "mailto:a@b@c.example", "mailto://a@b.example"}) {
    EXPECT_THAT(ParseTlsRptRecord(std::string("v=TLSRPTv1; rua=") + bad).errors,
                ElementsAre(HasSubstr("rua URI")))
        << bad;
  }
}

TEST(TlsRptRecordTest, HttpsNeedsAHost) {
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=https:/path").errors,
              ElementsAre(HasSubstr("needs a host")));
}

TEST(TlsRptRecordTest, ExclamationMarkMustBeEncoded) {
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a!b@x.example").errors,
              ElementsAre(HasSubstr("percent-encoded")));
  EXPECT_TRUE(
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a%21b@x.example").valid());
  // A DMARC-style size suffix is not TLS-RPT syntax.
  EXPECT_FALSE(
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@x.example!10m").valid());
}

TEST(TlsRptRecordTest, BadUriSyntax) {
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=https://x.example/a b").errors,
              ElementsAre(HasSubstr("a space")));
  EXPECT_THAT(ParseTlsRptRecord("v=TLSRPTv1; rua=https://x.example/%zz").errors,
              ElementsAre(HasSubstr("percent-encoding")));
}

TEST(TlsRptRecordTest, GoodUrisSurviveNextToBadOnes) {
  const TlsRptRecord r =
      ParseTlsRptRecord("v=TLSRPTv1; rua=bogus,mailto:a@x.example");
  EXPECT_FALSE(r.valid());
  EXPECT_THAT(r.rua, ElementsAre("mailto:a@x.example"));
}

TEST(TlsRptRecordTest, VersionRules) {
  EXPECT_THAT(ParseTlsRptRecord("rua=mailto:a@x.example; v=TLSRPTv1").errors,
              ElementsAre(HasSubstr("does not begin with")));
  EXPECT_THAT(ParseTlsRptRecord("v=tlsrptv1; rua=mailto:a@x.example").errors,
              ElementsAre(HasSubstr("expected \"v=TLSRPTv1\"")));
  EXPECT_THAT(
      ParseTlsRptRecord("v=TLSRPTv1; v=TLSRPTv1; rua=mailto:a@x.example")
          .errors,
      ElementsAre(HasSubstr("v= appears again")));
}

TEST(TlsRptRecordTest, Extensions) {
  const TlsRptRecord r =
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@x.example; ext=ok-1; RUA=x");
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.extensions, ElementsAre(Pair("ext", "ok-1"), Pair("RUA", "x")));
  EXPECT_THAT(r.warnings, ElementsAre(HasSubstr("case-sensitive")));
  EXPECT_FALSE(
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@x.example; x=a b").valid());
  EXPECT_FALSE(
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@x.example; x=a=b").valid());
}

TEST(TlsRptRecordTest, Candidates) {
  EXPECT_TRUE(IsTlsRptCandidate("v=TLSRPTv1; rua=mailto:a@x.example"));
  EXPECT_TRUE(IsTlsRptCandidate("v=TLSRPTv1 ;rua=mailto:a@x.example"));
  EXPECT_FALSE(IsTlsRptCandidate("v=TLSRPTv10"));
  EXPECT_FALSE(IsTlsRptCandidate("v=STSv1; id=1"));
}

TEST(TlsRptResultTest, FillsResult) {
  TlsRptResult result;
  FillTlsRptResult("v=TLSRPTv1; rua=mailto:a@x.example  ", &result);
  EXPECT_TRUE(result.present());
  EXPECT_TRUE(result.valid());
  EXPECT_EQ(result.record(), "v=TLSRPTv1; rua=mailto:a@x.example  ");
  EXPECT_THAT(result.rua(), ElementsAre("mailto:a@x.example"));
  EXPECT_THAT(result.warnings(), ElementsAre(HasSubstr("whitespace")));
  EXPECT_THAT(result.errors(), IsEmpty());
}

TEST(TlsRptResultTest, InvalidRecord) {
  TlsRptResult result;
  FillTlsRptResult("v=TLSRPTv1; rua=http://x.example/", &result);
  EXPECT_TRUE(result.present());
  EXPECT_FALSE(result.valid());
  EXPECT_THAT(result.rua(), IsEmpty());
  EXPECT_THAT(result.errors(), ElementsAre(HasSubstr("not supported")));
}

TEST(TlsRptResultTest, FromTxt) {
  TlsRptResult none;
  FillTlsRptResultFromTxt({"v=spf1 -all"}, &none);
  EXPECT_FALSE(none.present());

  TlsRptResult one;
  FillTlsRptResultFromTxt({"v=spf1 -all", "v=TLSRPTv1;rua=mailto:a@x.example"},
                          &one);
  EXPECT_TRUE(one.present());
  EXPECT_TRUE(one.valid());

  TlsRptResult two;
  FillTlsRptResultFromTxt({"v=TLSRPTv1;rua=mailto:a@x.example",
                           "v=TLSRPTv1;rua=mailto:b@x.example"},
                          &two);
  EXPECT_TRUE(two.present());
  EXPECT_FALSE(two.valid());
  EXPECT_THAT(two.errors(), ElementsAre(HasSubstr("2 v=TLSRPTv1 TXT records")));
}

}  // namespace
}  // namespace mxscan::checks::tls_rpt
