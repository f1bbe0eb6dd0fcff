#include "scanner/tls/hostname_match.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mxscan::tls {
namespace {

struct Case {
  const char* presented;
  const char* host;
  bool match;
};

class PresentedNameTest : public ::testing::TestWithParam<Case> {};

TEST_P(PresentedNameTest, Matches) {
  const Case& c = GetParam();
  EXPECT_EQ(MatchesPresentedName(c.presented, c.host), c.match)
      << "'" << c.presented << "' vs '" << c.host << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6125, PresentedNameTest,
    ::testing::Values(
        // Exact names, case and trailing dots.
        Case{"mx.example.com", "mx.example.com", true},
        Case{"MX.Example.Com", "mx.example.COM", true},
        Case{"mx.example.com.", "mx.example.com", true},
        Case{"mx.example.com", "mx.example.com.", true},
        Case{"mx.example.com", "mx.example.co", false},
        Case{"mx.example.com", "x.example.com", false},
        Case{"example.com", "mx.example.com", false},
        Case{"mx.example.com", "example.com", false},
        Case{"xn--bcher-kva.example", "xn--bcher-kva.example", true},
        Case{"mail_1.example.com", "mail_1.example.com", true},
        // The wildcard: a whole leftmost label, exactly one label.
        Case{"*.example.com", "a.example.com", true},
        Case{"*.example.com", "A.EXAMPLE.COM.", true},
        Case{"*.example.com", "a.b.example.com", false},
        Case{"*.example.com", "example.com", false},
        Case{"*.example.com", ".example.com", false},
        Case{"*.example.com", "a.example.org", false},
        Case{"*.mail.example.com", "mx.mail.example.com", true},
        // Wildcards we refuse.
        Case{"*.com", "example.com", false},
        Case{"*", "localhost", false},
        Case{"*.", "com", false},
        Case{"a*.example.com", "ab.example.com", false},
        Case{"*a.example.com", "ba.example.com", false},
        Case{"f*o.example.com", "foo.example.com", false},
        Case{"xn--*.example.com", "xn--bcher-kva.example.com", false},
        Case{"mx.*.example.com", "mx.a.example.com", false},
        Case{"*.*.example.com", "a.b.example.com", false},
        Case{"**.example.com", "a.example.com", false},
        // Malformed names match nothing.
        Case{"", "", false},
        Case{"mx..example.com", "mx..example.com", false},
        Case{".", ".", false},
        Case{"mx example.com", "mx example.com", false},
        Case{"mx.example.com\\x00.evil", "mx.example.com", false},
        Case{"m\xC3\xBC.example.com", "m\xC3\xBC.example.com", false},
        // IP literals never match DNS names.
        Case{"192.0.2.1", "192.0.2.1", false},
        Case{"*.0.2.1", "192.0.2.1", false},
        Case{"2001:db8::1", "2001:db8::1", false},
        Case{"[2001:db8::1]", "[2001:db8::1]", false},
        Case{"127.1", "127.1", false}));

TEST(HostnameMatchTest, EmbeddedNulNeverMatches) {
  const std::string presented("mx.example.com\0.evil.org", 24);
  EXPECT_FALSE(MatchesPresentedName(presented, "mx.example.com"));
}

TEST(HostnameMatchTest, IpLiterals) {
  EXPECT_TRUE(IsIpLiteral("192.0.2.1"));
  EXPECT_TRUE(IsIpLiteral("192.0.2.1."));
  EXPECT_TRUE(IsIpLiteral("10"));
  EXPECT_TRUE(IsIpLiteral("::1"));
  EXPECT_TRUE(IsIpLiteral("[::1]"));
  EXPECT_FALSE(IsIpLiteral("mx.example.com"));
  EXPECT_FALSE(IsIpLiteral("1.example.com"));
  EXPECT_FALSE(IsIpLiteral("192.0.2.1a"));
  EXPECT_FALSE(IsIpLiteral(""));
}

TEST(HostnameMatchTest, AnySubjectAltNameMayMatch) {
  const std::vector<std::string> sans = {"a.example.com", "*.example.org"};
  EXPECT_TRUE(HostnameMatches(sans, {}, "a.example.com"));
  EXPECT_TRUE(HostnameMatches(sans, {}, "mx.example.org"));
  EXPECT_FALSE(HostnameMatches(sans, {}, "b.example.com"));
}

TEST(HostnameMatchTest, CommonNameOnlyWithoutSubjectAltNames) {
  const std::vector<std::string> cns = {"mx.example.com"};
  EXPECT_TRUE(HostnameMatches({}, cns, "mx.example.com"));
  EXPECT_FALSE(HostnameMatches({"other.example.com"}, cns, "mx.example.com"));
  // Every CN is tried; wildcard rules apply to CNs too.
  EXPECT_TRUE(HostnameMatches({}, {"Example Inc", "*.example.com"},
                              "mx.example.com"));
  EXPECT_FALSE(HostnameMatches({}, {"*.com"}, "example.com"));
  EXPECT_FALSE(HostnameMatches({}, {}, "mx.example.com"));
}

}  // namespace
}  // namespace mxscan::tls
