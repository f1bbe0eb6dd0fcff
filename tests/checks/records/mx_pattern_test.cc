// MX pattern matching (RFC 8461 section 4.1).

#include "scanner/checks/mta_sts/mx_pattern.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks::mta_sts {
namespace {

using ::testing::ElementsAre;

TEST(MxPatternTest, ExactMatchIgnoresCaseAndTrailingDots) {
  EXPECT_TRUE(MxMatchesPattern("mx1.example.com", "mx1.example.com"));
  EXPECT_TRUE(MxMatchesPattern("MX1.Example.COM.", "mx1.example.com"));
  EXPECT_TRUE(MxMatchesPattern("mx1.example.com", "mx1.example.com."));
  EXPECT_FALSE(MxMatchesPattern("mx2.example.com", "mx1.example.com"));
  EXPECT_FALSE(MxMatchesPattern("mx1.example.com.evil", "mx1.example.com"));
}

TEST(MxPatternTest, WildcardMatchesExactlyOneLabel) {
  EXPECT_TRUE(MxMatchesPattern("mx1.example.com", "*.example.com"));
  EXPECT_TRUE(MxMatchesPattern("MX1.EXAMPLE.COM.", "*.Example.com"));
  EXPECT_FALSE(MxMatchesPattern("example.com", "*.example.com"));
  EXPECT_FALSE(MxMatchesPattern("a.mx1.example.com", "*.example.com"));
  EXPECT_FALSE(MxMatchesPattern(".example.com", "*.example.com"));
  EXPECT_FALSE(MxMatchesPattern("mx1.badexample.com", "*.example.com"));
}

TEST(MxPatternTest, EmptyAndOddInputsNeverMatch) {
  EXPECT_FALSE(MxMatchesPattern("", ""));
  EXPECT_FALSE(MxMatchesPattern(".", "."));
  EXPECT_FALSE(MxMatchesPattern("mx.example.com", "*"));
  EXPECT_FALSE(MxMatchesPattern("mx.example.com", "*."));
  EXPECT_FALSE(MxMatchesPattern("mxexample.com", "*example.com"));
}

TEST(MxPatternTest, ValidPatterns) {
  EXPECT_TRUE(IsValidMxPattern("mx.example.com"));
  EXPECT_TRUE(IsValidMxPattern("*.example.com"));
  EXPECT_TRUE(IsValidMxPattern("localhost"));
  EXPECT_TRUE(IsValidMxPattern("123.example"));
  EXPECT_FALSE(IsValidMxPattern(""));
  EXPECT_FALSE(IsValidMxPattern("*"));
  EXPECT_FALSE(IsValidMxPattern("*.*.example.com"));
  EXPECT_FALSE(IsValidMxPattern("mx.*.example.com"));
  EXPECT_FALSE(IsValidMxPattern("mx.example.com."));
  EXPECT_FALSE(IsValidMxPattern(std::string(64, 'a') + ".example"));
  EXPECT_TRUE(IsValidMxPattern(std::string(63, 'a') + ".example"));
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  long_name += "example";  // 263 octets
  EXPECT_FALSE(IsValidMxPattern(long_name));
}

TEST(MxPatternTest, HostsNotCovered) {
  const std::vector<std::string> hosts = {
      "mx1.example.com.", "mx2.example.com.", "mx.other.example.",
      "a.b.example.com"};
  const std::vector<std::string> patterns = {"*.example.com",
                                             "mx.other.example"};
  EXPECT_THAT(MxHostsNotCovered(hosts, patterns),
              ElementsAre("a.b.example.com"));
  EXPECT_THAT(MxHostsNotCovered(hosts, {}),
              ElementsAre("mx1.example.com.", "mx2.example.com.",
                          "mx.other.example.", "a.b.example.com"));
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
