#include "scanner/scan/blocklist.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::scan {
namespace {

using ::testing::HasSubstr;

TEST(BlocklistTest, NetworksAndAddresses) {
  auto list = Blocklist::Parse(
      "# opt-outs\n10.0.0.0/8\n192.0.2.7\n2001:db8::/32  # v6\n\n");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(list->Contains("10.200.3.4"));
  EXPECT_TRUE(list->Contains("192.0.2.7"));
  EXPECT_FALSE(list->Contains("192.0.2.8"));
  EXPECT_TRUE(list->Contains("2001:db8:1::25"));
  EXPECT_FALSE(list->Contains("2001:db9::1"));
  EXPECT_FALSE(list->Contains("not an address"));
}

TEST(BlocklistTest, DomainsOptOutWithTheirSubdomains) {
  auto list = Blocklist::Parse("Example.ORG.\nsub.example.net\n");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->ContainsDomain("example.org"));
  EXPECT_TRUE(list->ContainsDomain("mail.EXAMPLE.org."));
  EXPECT_FALSE(list->ContainsDomain("notexample.org"));
  EXPECT_FALSE(list->ContainsDomain("org"));
  EXPECT_TRUE(list->ContainsDomain("a.sub.example.net"));
  EXPECT_FALSE(list->ContainsDomain("example.net"));
  EXPECT_FALSE(list->Contains("example.org"));
}

TEST(BlocklistTest, BadLinesAreNamed) {
  auto bad_prefix = Blocklist::Parse("10.0.0.0/8\n10.0.0.0/33\n");
  ASSERT_FALSE(bad_prefix.ok());
  EXPECT_THAT(bad_prefix.status().message(), HasSubstr("line 2"));
  auto not_a_name = Blocklist::Parse("exa mple.org\n");
  ASSERT_FALSE(not_a_name.ok());
  EXPECT_THAT(not_a_name.status().message(), HasSubstr("line 1"));
  EXPECT_FALSE(Blocklist::Parse("localhost\n").ok());  // one label
  EXPECT_FALSE(Blocklist::Parse("10.0.0.1/8/2\n").ok());
}

}  // namespace
}  // namespace mxscan::scan
