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

}  // namespace
}  // namespace mxscan::smtp
