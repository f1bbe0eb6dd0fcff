#include "scanner/https/http_response.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::https {
namespace {

using ::testing::HasSubstr;

// Feeds `bytes` split at `split` (and, when split is 1, one byte at a
// time), then EOF if `eof`.
absl::Status FeedSplit(HttpResponseParser& p, const std::string& bytes,
                       size_t split, bool eof) {
  for (size_t i = 0; i < bytes.size(); i += split) {
    absl::Status s = p.Feed(bytes.substr(i, split));
    if (!s.ok()) return s;
  }
  return eof ? p.OnEof() : absl::OkStatus();
}

const char kPolicy[] =
    "version: STSv1\r\nmode: enforce\r\nmx: *.example.org\r\nmax_age: 86400\r\n";

TEST(HttpResponseParserTest, ContentLengthAtEverySplit) {
  const std::string response =
      std::string("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                  "Content-Length: ") +
      std::to_string(sizeof(kPolicy) - 1) + "\r\n\r\n" + kPolicy;
  for (size_t split = 1; split <= response.size(); ++split) {
    HttpResponseParser p;
    ASSERT_TRUE(FeedSplit(p, response, split, false).ok());
    ASSERT_TRUE(p.complete()) << split;
    EXPECT_EQ(p.status_code(), 200);
    EXPECT_EQ(p.Header("content-type"), "text/plain");
    EXPECT_EQ(p.body(), kPolicy);
  }
}

TEST(HttpResponseParserTest, ChunkedAtEverySplit) {
  const std::string response =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "10;ext=1\r\nversion: STSv1\r\n\r\n"
      "F\r\nmode: testing\r\n\r\n0\r\nX-Trailer: y\r\n\r\n";
  for (size_t split = 1; split <= response.size(); ++split) {
    HttpResponseParser p;
    ASSERT_TRUE(FeedSplit(p, response, split, false).ok()) << split;
    ASSERT_TRUE(p.complete()) << split;
    EXPECT_EQ(p.body(), "version: STSv1\r\nmode: testing\r\n");
  }
}

TEST(HttpResponseParserTest, BodyUntilClose) {
  HttpResponseParser p;
  ASSERT_TRUE(p.Feed("HTTP/1.0 200 OK\n\nversion: STSv1\n").ok());
  EXPECT_FALSE(p.complete());
  ASSERT_TRUE(p.OnEof().ok());
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.body(), "version: STSv1\n");
}

TEST(HttpResponseParserTest, RedirectsAndErrorsKeepTheirStatus) {
  HttpResponseParser p;
  ASSERT_TRUE(
      p.Feed("HTTP/1.1 301 Moved\r\nLocation: https://x/\r\nContent-Length: 0"
             "\r\n\r\n")
          .ok());
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.status_code(), 301);
  EXPECT_EQ(p.Header("location"), "https://x/");
}

TEST(HttpResponseParserTest, EnforcesLimits) {
  HttpResponseParser::Limits limits;
  limits.max_body_bytes = 100;
  limits.max_header_bytes = 200;
  {
    HttpResponseParser p(limits);
    EXPECT_THAT(std::string(p.Feed("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n"
                                   "\r\n")
                                .message()),
                HasSubstr("limit"));
  }
  {
    HttpResponseParser p(limits);
    ASSERT_TRUE(p.Feed("HTTP/1.1 200 OK\r\n\r\n").ok());
    EXPECT_FALSE(p.Feed(std::string(101, 'x')).ok());
  }
  {
    HttpResponseParser p(limits);
    EXPECT_FALSE(p.Feed("HTTP/1.1 200 OK\r\nX: " + std::string(300, 'a')).ok());
  }
  {
    HttpResponseParser p(limits);
    EXPECT_FALSE(p.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "fffffffffffffffff\r\n")
                     .ok());
  }
}

TEST(HttpResponseParserTest, RejectsWhatIsNotHttp) {
  for (const char* bad : {"SSH-2.0-OpenSSH\r\n", "HTTP/1.1 2000 OK\r\n",
                          "HTTP/2 200\r\n", "\x16\x03\x01\x02\x01\n",
                          "HTTP/1.1 200 OK\r\n folded: x\r\n"}) {
    HttpResponseParser p;
    EXPECT_FALSE(p.Feed(bad).ok()) << bad;
  }
  HttpResponseParser p;
  ASSERT_TRUE(p.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").ok());
  EXPECT_FALSE(p.OnEof().ok());  // cut short
}

}  // namespace
}  // namespace mxscan::https
