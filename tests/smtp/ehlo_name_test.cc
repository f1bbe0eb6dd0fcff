#include "scanner/smtp/ehlo_name.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::smtp {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(EhloNameTest, FullyQualified) {
  EXPECT_TRUE(IsFullyQualified("scanner.example.org"));
  EXPECT_TRUE(IsFullyQualified("scanner.example.org."));
  EXPECT_TRUE(IsFullyQualified("mx-1.Example.ORG"));
  EXPECT_FALSE(IsFullyQualified("vm"));
  EXPECT_FALSE(IsFullyQualified(""));
  EXPECT_FALSE(IsFullyQualified("localhost"));
  EXPECT_FALSE(IsFullyQualified("vm.localdomain"));
  EXPECT_FALSE(IsFullyQualified("printer.local"));
  EXPECT_FALSE(IsFullyQualified("192.0.2.1"));
  EXPECT_FALSE(IsFullyQualified("a..example"));
  EXPECT_FALSE(IsFullyQualified("a_b.example"));
}

TEST(EhloNameTest, HostNameFirst) {
  const EhloNameChoice c =
      ChooseEhloName("scan1.example.org", "mail.example.org\n", "");
  EXPECT_EQ(c.name, "scan1.example.org");
  EXPECT_THAT(c.warning, IsEmpty());
}

TEST(EhloNameTest, MailnameThenHostsFile) {
  EXPECT_EQ(ChooseEhloName("vm", "scanner.example.org\n", "").name,
            "scanner.example.org");
  const char kHosts[] =
      "127.0.0.1 localhost\n"
      "# 192.0.2.9 vm.commented.example vm\n"
      "192.0.2.7\tvm.localdomain   scanner.gov.example  vm  # ours\n";
  const EhloNameChoice c = ChooseEhloName("vm", "", kHosts);
  EXPECT_EQ(c.name, "scanner.gov.example");
  EXPECT_EQ(c.source, "/etc/hosts");
  EXPECT_THAT(c.warning, IsEmpty());
}

TEST(EhloNameTest, NoFullyQualifiedNameWarns) {
  const EhloNameChoice c =
      ChooseEhloName("vm", "", "127.0.0.1 localhost\n127.0.0.1 vm\n");
  EXPECT_EQ(c.name, "vm");
  EXPECT_THAT(c.warning, HasSubstr("--ehlo-name"));
  EXPECT_THAT(c.warning, HasSubstr("RFC 5321"));
  EXPECT_EQ(ChooseEhloName("", "", "").name, "localhost");
}

TEST(EhloNameTest, PublicAddresses) {
  EXPECT_TRUE(IsPublicAddress("8.8.4.4"));
  EXPECT_TRUE(IsPublicAddress("2a00:1450:4001::1"));
  for (const char* ip :
       {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
        "169.254.1.1", "100.64.0.1", "192.0.2.1", "::1", "fe80::1", "fd00::1",
        "2001:db8::1", "::ffff:8.8.8.8", "x"}) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
  EXPECT_TRUE(IsPublicAddress("172.32.0.1"));
}

TEST(EhloNameTest, ForwardAndReverseDns) {
  // Behind NAT nothing can be checked here.
  EXPECT_TRUE(EhloDnsWarnings("scan.example.org", {}, {}, {}).empty());
  // Both match.
  EXPECT_TRUE(EhloDnsWarnings("scan.example.org", {"203.0.113.7"},
                              {"203.0.113.7"}, {{"Scan.Example.org."}})
                  .empty());
  const std::vector<std::string> both = EhloDnsWarnings(
      "scan.example.org", {"203.0.113.9"}, {"203.0.113.7"}, {{}});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_THAT(both[0], HasSubstr("resolves to 203.0.113.9, none of this "
                                 "machine's public addresses (203.0.113.7)"));
  EXPECT_THAT(both[1], HasSubstr("PTR record of 203.0.113.7 is missing"));
  EXPECT_THAT(EhloDnsWarnings("scan.example.org", {"203.0.113.7"},
                              {"203.0.113.7"}, {{"other.example.net."}})[0],
              HasSubstr("names other.example.net."));
}

}  // namespace
}  // namespace mxscan::smtp
