// The incremental SMTP reply parser: framing, codes, line endings, the caps
// and garbage, each checked for every split of the input.

#include "scanner/smtp/reply_parser.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::smtp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Outcome of parsing a whole stream: the replies, then the error if any.
struct Parsed {
  std::vector<Reply> replies;
  ReplyError error = ReplyError::kNone;
  std::string message;
  // Bytes left after the last complete reply, unparsed or in progress.
  bool at_boundary = true;
  size_t max_buffered = 0;

  std::string Dump() const {
    std::string out;
    for (const Reply& r : replies) {
      absl::StrAppend(&out, r.code, ":", r.Text(), "\n--\n");
    }
    absl::StrAppend(&out, "error=", ReplyErrorName(error), " ", message,
                    " boundary=", at_boundary);
    return out;
  }
};

// ParseChunks feeds `chunks` in order to one parser, collecting replies.
Parsed ParseChunks(const std::vector<absl::string_view>& chunks,
                   ReplyLimits limits = ReplyLimits()) {
  ReplyParser parser(limits);
  Parsed out;
  for (absl::string_view chunk : chunks) {
    while (true) {
      Reply reply;
      const ReplyParser::Result r = parser.Parse(&chunk, &reply);
      out.max_buffered = std::max(out.max_buffered, parser.BufferedBytes());
      if (r == ReplyParser::Result::kReply) {
        out.replies.push_back(reply);
        continue;
      }
      if (r == ReplyParser::Result::kError) {
        out.error = parser.error();
        out.message = std::string(parser.status().message());
        // Sticky: more input changes nothing.
        absl::string_view more = "250 ok\r\n";
        EXPECT_EQ(parser.Parse(&more, &reply), ReplyParser::Result::kError);
        EXPECT_EQ(more, "250 ok\r\n");
        out.at_boundary = parser.AtReplyBoundary();
        return out;
      }
      EXPECT_TRUE(chunk.empty());
      break;
    }
  }
  out.at_boundary = parser.AtReplyBoundary();
  return out;
}

// ParseEverySplit parses `input` whole, at every 2-way split and trickled,
// expects the same outcome each time, and returns it.
Parsed ParseEverySplit(absl::string_view input,
                       ReplyLimits limits = ReplyLimits()) {
  const Parsed whole = ParseChunks({input}, limits);
  for (size_t p = 0; p <= input.size(); ++p) {
    const Parsed split =
        ParseChunks({input.substr(0, p), input.substr(p)}, limits);
    if (split.Dump() != whole.Dump()) {
      ADD_FAILURE() << "split at " << p << ":\n"
                    << split.Dump() << "\nwhole:\n"
                    << whole.Dump();
      break;
    }
  }
  std::vector<absl::string_view> bytes;
  for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  EXPECT_EQ(ParseChunks(bytes, limits).Dump(), whole.Dump()) << "trickled";
  return whole;
}

TEST(ReplyParserTest, SingleLineCrlf) {
  const Parsed p = ParseEverySplit("220 mx.example.org ESMTP ready\r\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].code, 220);
  EXPECT_THAT(p.replies[0].lines, ElementsAre("mx.example.org ESMTP ready"));
  EXPECT_EQ(p.replies[0].FirstLine(), "mx.example.org ESMTP ready");
  EXPECT_EQ(p.error, ReplyError::kNone);
  EXPECT_TRUE(p.at_boundary);
}

TEST(ReplyParserTest, BareLfIsTolerated) {
  const Parsed p = ParseEverySplit("250-a\n250-b\r\n250 c\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_THAT(p.replies[0].lines, ElementsAre("a", "b", "c"));
}

TEST(ReplyParserTest, CodeWithoutText) {
  const Parsed p = ParseEverySplit("250\r\n221\n354-\r\n354 \r\n");
  ASSERT_EQ(p.replies.size(), 3u);
  EXPECT_EQ(p.replies[0].code, 250);
  EXPECT_THAT(p.replies[0].lines, ElementsAre(""));
  EXPECT_EQ(p.replies[1].code, 221);
  EXPECT_THAT(p.replies[2].lines, ElementsAre("", ""));
}

TEST(ReplyParserTest, MultiLineReply) {
  const Parsed p = ParseEverySplit(
      "250-mx.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n"
      "250-STARTTLS\r\n250 8BITMIME\r\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].code, 250);
  EXPECT_THAT(p.replies[0].lines,
              ElementsAre("mx.example.org Hello", "PIPELINING", "SIZE 52428800",
                          "STARTTLS", "8BITMIME"));
  EXPECT_EQ(p.replies[0].Text(),
            "mx.example.org Hello\nPIPELINING\nSIZE 52428800\nSTARTTLS\n"
            "8BITMIME");
}

TEST(ReplyParserTest, StopsAfterEachReplyAndLeavesTheRest) {
  ReplyParser parser;
  absl::string_view input = "220 hi\r\n250 ok\r\nEXTRA";
  Reply reply;
  ASSERT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kReply);
  EXPECT_EQ(reply.code, 220);
  EXPECT_EQ(input, "250 ok\r\nEXTRA");
  ASSERT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kReply);
  EXPECT_EQ(reply.code, 250);
  EXPECT_EQ(input, "EXTRA");
  EXPECT_TRUE(parser.AtReplyBoundary());
  // "E" is not a digit: the error stops at that byte and leaves it.
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kError);
  EXPECT_EQ(input, "EXTRA");
  EXPECT_EQ(parser.error(), ReplyError::kNotAReply);
  EXPECT_EQ(parser.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReplyParserTest, NeedMoreKeepsPartialReply) {
  ReplyParser parser;
  absl::string_view input = "250-first\r\n250 sec";
  Reply reply;
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kNeedMore);
  EXPECT_TRUE(input.empty());
  EXPECT_FALSE(parser.AtReplyBoundary());
  EXPECT_EQ(parser.BufferedBytes(), 18u);
  input = "ond\r\n";
  ASSERT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kReply);
  EXPECT_THAT(reply.lines, ElementsAre("first", "second"));
  EXPECT_EQ(parser.BufferedBytes(), 0u);
}

TEST(ReplyParserTest, EmptyInput) {
  ReplyParser parser;
  absl::string_view input;
  Reply reply;
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kNeedMore);
  EXPECT_TRUE(parser.AtReplyBoundary());
}

TEST(ReplyParserTest, TabsAndEightBitTextAreKept) {
  const Parsed p = ParseEverySplit("220 M\xfcller\tMail \xc3\xa9t\xc3\xa9\r\n");
  ASSERT_EQ(p.replies.size(), 1u);
  EXPECT_EQ(p.replies[0].lines[0], "M\xfcller\tMail \xc3\xa9t\xc3\xa9");
}

TEST(ReplyParserTest, CodesMustBeThreeDigitsTwoToFiveHundred) {
  for (absl::string_view bad :
       {"199 no\r\n", "600 no\r\n", "099 no\r\n", "2x0 no\r\n", "25 no\r\n",
        "2500 no\r\n", "250x\r\n", " 250 no\r\n", "\r\n", "\n", "abc\r\n",
        "250_ok\r\n"}) {
    const Parsed p = ParseEverySplit(bad);
    EXPECT_TRUE(p.replies.empty()) << absl::CEscape(bad);
    EXPECT_EQ(p.error, ReplyError::kNotAReply) << absl::CEscape(bad);
  }
  for (absl::string_view good : {"200 a\r\n", "599 a\r\n", "421 a\r\n"}) {
    EXPECT_EQ(ParseEverySplit(good).replies.size(), 1u) << good;
  }
}

TEST(ReplyParserTest, CodeMismatchBetweenLines) {
  const Parsed p = ParseEverySplit("250-a\r\n251 b\r\n");
  EXPECT_TRUE(p.replies.empty());
  EXPECT_EQ(p.error, ReplyError::kCodeMismatch);
  EXPECT_THAT(p.message, HasSubstr("251"));
  // Caught at the third digit, not at the end of the line.
  ReplyParser parser;
  absl::string_view input = "250-a\r\n25";
  Reply reply;
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kNeedMore);
  input = "1";
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kError);
}

TEST(ReplyParserTest, ControlCharactersAreErrors) {
  for (absl::string_view bad :
       {absl::string_view("220 a\0b\r\n", 9),
        absl::string_view("220 \x1b[0m\r\n"), absl::string_view("220 a\rb\r\n"),
        absl::string_view("220 a\r\r\n"), absl::string_view("220 \x7f\r\n"),
        absl::string_view("220\r \r\n")}) {
    const Parsed p = ParseEverySplit(bad);
    EXPECT_TRUE(p.replies.empty()) << absl::CEscape(bad);
    EXPECT_EQ(p.error, ReplyError::kBadCharacter) << absl::CEscape(bad);
  }
}

TEST(ReplyParserTest, TlsRecordIsNotAReply) {
  // A TLS ServerHello / alert arriving where a reply belongs.
  const Parsed p =
      ParseEverySplit(absl::string_view("\x16\x03\x03\x00\x5a", 5));
  EXPECT_EQ(p.error, ReplyError::kNotAReply);
  EXPECT_THAT(p.message, HasSubstr("0x16"));
}

TEST(ReplyParserTest, HttpIsNotAReply) {
  const Parsed p = ParseEverySplit("HTTP/1.1 400 Bad Request\r\n\r\n");
  EXPECT_EQ(p.error, ReplyError::kNotAReply);
}

TEST(ReplyParserTest, LineLengthCapIsExact) {
  ReplyLimits limits;
  limits.max_line_length = 16;
  // 16 bytes with CRLF: allowed.
  const std::string fits = "250 " + std::string(10, 'x') + "\r\n";
  ASSERT_EQ(fits.size(), 16u);
  EXPECT_EQ(ParseEverySplit(fits, limits).replies.size(), 1u);
  // 16 bytes with bare LF and one more text byte: allowed.
  const std::string fits_lf = "250 " + std::string(11, 'x') + "\n";
  EXPECT_EQ(ParseEverySplit(fits_lf, limits).replies.size(), 1u);
  // 17 bytes: the cap.
  const std::string over = "250 " + std::string(11, 'x') + "\r\n";
  const Parsed p = ParseEverySplit(over, limits);
  EXPECT_TRUE(p.replies.empty());
  EXPECT_EQ(p.error, ReplyError::kLineTooLong);
  EXPECT_THAT(p.message, HasSubstr("16 bytes"));
}

TEST(ReplyParserTest, LineCapAppliesToEveryLine) {
  ReplyLimits limits;
  limits.max_line_length = 16;
  const std::string input = "250-" + std::string(10, 'x') + "\r\n250 " +
                            std::string(11, 'x') + "\r\n";
  EXPECT_EQ(ParseEverySplit(input, limits).error, ReplyError::kLineTooLong);
}

TEST(ReplyParserTest, EndlessLineStopsAtTheDefaultCap) {
  ReplyParser parser;
  const std::string chunk(4096, 'a');
  std::string start = "220 ";
  absl::string_view input = start;
  Reply reply;
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kNeedMore);
  size_t fed = 0;
  ReplyParser::Result r = ReplyParser::Result::kNeedMore;
  while (r == ReplyParser::Result::kNeedMore && fed < 10 * 1024 * 1024) {
    input = chunk;
    r = parser.Parse(&input, &reply);
    fed += chunk.size() - input.size();
    EXPECT_LE(parser.BufferedBytes(), 2048u);
  }
  EXPECT_EQ(r, ReplyParser::Result::kError);
  EXPECT_EQ(parser.error(), ReplyError::kLineTooLong);
  EXPECT_EQ(parser.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(fed + start.size(), 2048u);
}

TEST(ReplyParserTest, LinesPerReplyCapIsExact) {
  ReplyLimits limits;
  limits.max_lines = 5;
  std::string five;
  for (int i = 0; i < 4; ++i) five += "250-x\r\n";
  five += "250 x\r\n";
  EXPECT_EQ(ParseEverySplit(five, limits).replies.size(), 1u);
  std::string six;
  for (int i = 0; i < 5; ++i) six += "250-x\r\n";
  six += "250 x\r\n";
  const Parsed p = ParseEverySplit(six, limits);
  EXPECT_EQ(p.error, ReplyError::kTooManyLines);
  EXPECT_THAT(p.message, HasSubstr("5 lines"));
}

TEST(ReplyParserTest, DefaultLinesCapIsOneHundred) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += "250-x\r\n";
  ReplyParser parser;
  absl::string_view in = input;
  Reply reply;
  EXPECT_EQ(parser.Parse(&in, &reply), ReplyParser::Result::kError);
  EXPECT_EQ(parser.error(), ReplyError::kTooManyLines);
}

TEST(ReplyParserTest, ReplyBytesCapIsExact) {
  ReplyLimits limits;
  limits.max_reply_bytes = 30;
  // Three 10-byte lines: 30 bytes, allowed.
  const std::string fits = "250-abcd\r\n250-abcd\r\n250 abcd\r\n";
  ASSERT_EQ(fits.size(), 30u);
  EXPECT_EQ(ParseEverySplit(fits, limits).replies.size(), 1u);
  const std::string over = "250-abcd\r\n250-abcd\r\n250 abcde\r\n";
  const Parsed p = ParseEverySplit(over, limits);
  EXPECT_EQ(p.error, ReplyError::kReplyTooLarge);
  EXPECT_LE(p.max_buffered, 30u);
  // The count starts again with each reply.
  const Parsed two = ParseEverySplit(fits + fits, limits);
  EXPECT_EQ(two.replies.size(), 2u);
}

TEST(ReplyParserTest, TenMegabyteReplyStopsAtTheDefaultCap) {
  std::string huge;
  const std::string line = "250-" + std::string(996, 'z') + "\r\n";
  while (huge.size() < 10 * 1024 * 1024) huge += line;
  const Parsed p = ParseChunks({huge});
  EXPECT_EQ(p.error, ReplyError::kReplyTooLarge);
  EXPECT_LE(p.max_buffered, 64u * 1024);
}

TEST(ReplyParserTest, ResetForgetsErrorsAndPartialReplies) {
  ReplyParser parser;
  absl::string_view input = "250-a\r\nxx";
  Reply reply;
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kError);
  parser.Reset();
  EXPECT_EQ(parser.error(), ReplyError::kNone);
  EXPECT_TRUE(parser.status().ok());
  EXPECT_TRUE(parser.AtReplyBoundary());
  input = "220 ok\r\n";
  EXPECT_EQ(parser.Parse(&input, &reply), ReplyParser::Result::kReply);
  EXPECT_EQ(reply.code, 220);
}

TEST(ReplyParserTest, ErrorNamesAreStable) {
  EXPECT_EQ(ReplyErrorName(ReplyError::kNone), "none");
  EXPECT_EQ(ReplyErrorName(ReplyError::kNotAReply), "not_a_reply");
  EXPECT_EQ(ReplyErrorName(ReplyError::kCodeMismatch), "code_mismatch");
  EXPECT_EQ(ReplyErrorName(ReplyError::kBadCharacter), "bad_character");
  EXPECT_EQ(ReplyErrorName(ReplyError::kLineTooLong), "line_too_long");
  EXPECT_EQ(ReplyErrorName(ReplyError::kTooManyLines), "too_many_lines");
  EXPECT_EQ(ReplyErrorName(ReplyError::kReplyTooLarge), "reply_too_large");
}

}  // namespace
}  // namespace mxscan::smtp
