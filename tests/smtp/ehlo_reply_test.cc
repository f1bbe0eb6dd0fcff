// EHLO extension parsing (RFC 5321 section 4.1.1.1), tolerant of the
// variants real servers send.

#include "scanner/smtp/ehlo_reply.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/smtp/reply_parser.h"

namespace mxscan::smtp {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

Reply MakeReply(std::vector<std::string> lines) {
  Reply r;
  r.code = 250;
  r.lines = std::move(lines);
  return r;
}

TEST(EhloReplyTest, TypicalPostfix) {
  const EhloReply e = ParseEhloReply(
      MakeReply({"mx.example.org", "PIPELINING", "SIZE 10240000", "VRFY",
                 "ETRN", "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN",
                 "SMTPUTF8", "CHUNKING"}));
  EXPECT_EQ(e.domain, "mx.example.org");
  EXPECT_EQ(e.greeting, "");
  EXPECT_TRUE(e.starttls());
  EXPECT_TRUE(e.pipelining());
  EXPECT_THAT(e.MaxSize(), Optional(10240000u));
  EXPECT_TRUE(e.Has("chunking"));
  EXPECT_FALSE(e.Has("AUTH"));
  EXPECT_EQ(e.extensions.size(), 10u);
  EXPECT_THAT(e.malformed_lines, IsEmpty());
  EXPECT_EQ(e.ExtensionStrings()[1], "SIZE 10240000");
}

TEST(EhloReplyTest, KeywordsAreUppercasedParamsKept) {
  const EhloReply e =
      ParseEhloReply(MakeReply({"mx.example.org Hello [192.0.2.1]", "starttls",
                                "auth PLAIN login", "x-Custom-1 a=b"}));
  EXPECT_EQ(e.domain, "mx.example.org");
  EXPECT_EQ(e.greeting, "Hello [192.0.2.1]");
  EXPECT_THAT(e.ExtensionStrings(),
              ElementsAre("STARTTLS", "AUTH PLAIN login", "X-CUSTOM-1 a=b"));
  ASSERT_NE(e.Find("Auth"), nullptr);
  EXPECT_THAT(e.Find("AUTH")->params, ElementsAre("PLAIN", "login"));
  EXPECT_TRUE(e.starttls());
}

TEST(EhloReplyTest, TabsAndRunsOfSpacesSeparate) {
  const EhloReply e = ParseEhloReply(MakeReply({"mx", "  SIZE\t\t1000  "}));
  ASSERT_EQ(e.extensions.size(), 1u);
  EXPECT_EQ(e.extensions[0].keyword, "SIZE");
  EXPECT_THAT(e.extensions[0].params, ElementsAre("1000"));
  EXPECT_THAT(e.MaxSize(), Optional(1000u));
}

TEST(EhloReplyTest, SizeVariants) {
  EXPECT_THAT(ParseEhloReply(MakeReply({"mx", "SIZE"})).MaxSize(),
              Optional(0u));
  EXPECT_EQ(ParseEhloReply(MakeReply({"mx", "SIZE big"})).MaxSize(),
            std::nullopt);
  EXPECT_EQ(ParseEhloReply(MakeReply({"mx", "SIZE -1"})).MaxSize(),
            std::nullopt);
  EXPECT_EQ(ParseEhloReply(MakeReply({"mx", "SIZE 99999999999999999999999"}))
                .MaxSize(),
            std::nullopt);
  EXPECT_EQ(ParseEhloReply(MakeReply({"mx"})).MaxSize(), std::nullopt);
}

TEST(EhloReplyTest, MalformedLinesAreKeptAndListed) {
  const EhloReply e = ParseEhloReply(MakeReply(
      {"mx", "AUTH=LOGIN PLAIN", "", "-DASH", "SIZE 1\x80", "STARTTLS"}));
  EXPECT_THAT(e.ExtensionStrings(), ElementsAre("AUTH=LOGIN PLAIN", "-DASH",
                                                "SIZE 1\x80", "STARTTLS"));
  EXPECT_THAT(e.malformed_lines,
              ElementsAre("AUTH=LOGIN PLAIN", "", "-DASH", "SIZE 1\x80"));
  EXPECT_FALSE(e.Has("AUTH"));
  EXPECT_TRUE(e.starttls());
}

TEST(EhloReplyTest, SingleLineReplyHasNoExtensions) {
  const EhloReply e =
      ParseEhloReply(MakeReply({"mx.example.org at your service"}));
  EXPECT_EQ(e.domain, "mx.example.org");
  EXPECT_EQ(e.greeting, "at your service");
  EXPECT_THAT(e.extensions, IsEmpty());
  EXPECT_FALSE(e.starttls());
}

TEST(EhloReplyTest, EmptyReply) {
  const EhloReply e = ParseEhloReply(Reply());
  EXPECT_EQ(e.domain, "");
  EXPECT_THAT(e.extensions, IsEmpty());
  const EhloReply blank = ParseEhloReply(MakeReply({""}));
  EXPECT_EQ(blank.domain, "");
}

TEST(EhloReplyTest, StartTlsOnTheFirstLineIsNotAnExtension) {
  // The first line is the server's name, whatever it says.
  const EhloReply e = ParseEhloReply(MakeReply({"STARTTLS"}));
  EXPECT_FALSE(e.starttls());
}

TEST(EhloReplyTest, DuplicatesAreKeptFindReturnsFirst) {
  const EhloReply e = ParseEhloReply(MakeReply({"mx", "SIZE 10", "SIZE 20"}));
  EXPECT_EQ(e.extensions.size(), 2u);
  EXPECT_THAT(e.MaxSize(), Optional(10u));
}

}  // namespace
}  // namespace mxscan::smtp
