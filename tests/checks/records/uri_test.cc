// RFC 3986 URI syntax as the report and indicator URIs need it.

#include "scanner/checks/tls_rpt/uri.h"

#include "gtest/gtest.h"

namespace mxscan::checks::tls_rpt {
namespace {

TEST(UriTest, SplitsComponents) {
  absl::StatusOr<Uri> uri =
      ParseUri("HTTPS://user:pw@Host.Example:8443/a/b%20c?q=1&r=/x#frag");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_EQ(uri->scheme, "https");
  EXPECT_TRUE(uri->has_authority);
  EXPECT_EQ(uri->userinfo, "user:pw");
  EXPECT_EQ(uri->host, "Host.Example");
  EXPECT_EQ(uri->port, "8443");
  EXPECT_EQ(uri->path, "/a/b%20c");
  EXPECT_EQ(uri->query, "q=1&r=/x");
  EXPECT_EQ(uri->fragment, "frag");
}

TEST(UriTest, MailtoHasNoAuthority) {
  absl::StatusOr<Uri> uri = ParseUri("mailto:a.b+c@example.org?subject=x");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_FALSE(uri->has_authority);
  EXPECT_EQ(uri->path, "a.b+c@example.org");
  EXPECT_EQ(uri->query, "subject=x");
}

TEST(UriTest, IpLiteral) {
  absl::StatusOr<Uri> uri = ParseUri("https://[2001:db8::1]:443/r");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_EQ(uri->host, "[2001:db8::1]");
  EXPECT_EQ(uri->port, "443");
  EXPECT_FALSE(ParseUri("https://[2001:db8::1/r").ok());
  EXPECT_FALSE(ParseUri("https://[zz]/").ok());
}

TEST(UriTest, Rejects) {
  for (const char* bad :
       {"", "noscheme", ":x", "1http://x", "ht tp://x", "https://x/a b",
        "https://x/%", "https://x/%4", "https://x/%4g", "https://x:8o/",
        "https://x/<>", "https://x/\"q\"", "https://x/a#b#c", "https://x\x01/",
        "https://x/\xc3\xa9"}) {
    EXPECT_FALSE(ParseUri(bad).ok()) << bad;
  }
}

TEST(UriTest, FqdnHost) {
  EXPECT_TRUE(IsFqdnHost("bimi.example.com"));
  EXPECT_TRUE(IsFqdnHost("bimi.example.com."));
  EXPECT_FALSE(IsFqdnHost("localhost"));
  EXPECT_FALSE(IsFqdnHost("[2001:db8::1]"));
  EXPECT_FALSE(IsFqdnHost("a..example"));
  EXPECT_FALSE(IsFqdnHost("-a.example"));
  EXPECT_FALSE(IsFqdnHost(""));
}

}  // namespace
}  // namespace mxscan::checks::tls_rpt
