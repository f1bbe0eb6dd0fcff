#include "scanner/checks/spf/ip_address.h"

#include "gtest/gtest.h"

namespace mxscan::checks::spf {
namespace {

IpAddress Ip(const char* text) {
  absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.ok()) << text;
  return ip.ok() ? *ip : IpAddress();
}

TEST(IpAddressTest, ParsesStrictIp4) {
  EXPECT_TRUE(IpAddress::ParseIp4("0.0.0.0").ok());
  EXPECT_TRUE(IpAddress::ParseIp4("255.255.255.255").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("256.0.0.0").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("1.2.3").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("1.2.3.4.").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("01.2.3.4").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("1.2.3.1234").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("1.2.3.-4").ok());
  EXPECT_FALSE(IpAddress::ParseIp4("").ok());
}

TEST(IpAddressTest, ParsesIp6) {
  EXPECT_TRUE(IpAddress::ParseIp6("::").ok());
  EXPECT_TRUE(IpAddress::ParseIp6("CAFE:BABE::192.168.218.40").ok());
  EXPECT_FALSE(IpAddress::ParseIp6(":CAFE::BABE").ok());
  EXPECT_FALSE(IpAddress::ParseIp6("1::2::3").ok());
  EXPECT_FALSE(IpAddress::ParseIp6(std::string("::1\0garbage", 11)).ok());
  EXPECT_TRUE(Ip("2001:db8::1").is_ip6());
  EXPECT_FALSE(Ip("192.0.2.1").is_ip6());
}

TEST(IpAddressTest, Rfc5952Text) {
  EXPECT_EQ(Ip("2001:0DB8:0:0:0:0:0:1").ToString(), "2001:db8::1");
  EXPECT_EQ(Ip("2001:db8:0:1:1:1:1:1").ToString(), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(Ip("2001:0:0:1:0:0:0:1").ToString(), "2001:0:0:1::1");
  EXPECT_EQ(Ip("::").ToString(), "::");
  EXPECT_EQ(Ip("::1").ToString(), "::1");
  EXPECT_EQ(Ip("CAFE:BABE::1").ToString(), "cafe:babe::1");
  EXPECT_EQ(Ip("192.0.2.1").ToString(), "192.0.2.1");
}

TEST(IpAddressTest, DottedAndReverseForms) {
  EXPECT_EQ(Ip("192.0.2.3").DottedForm(), "192.0.2.3");
  EXPECT_EQ(Ip("192.0.2.3").ReverseName(), "3.2.0.192.in-addr.arpa");
  EXPECT_EQ(Ip("2001:db8::cb01").DottedForm(),
            "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1");
  EXPECT_EQ(Ip("2001:db8::cb01").ReverseName(),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
            "ip6.arpa");
}

TEST(IpAddressTest, MappedAddressesAreIp4) {
  EXPECT_EQ(Ip("::FFFF:1.2.3.4").Unmapped(), Ip("1.2.3.4"));
  EXPECT_TRUE(Ip("::1.2.3.4").Unmapped().is_ip6());
  EXPECT_EQ(Ip("1.2.3.4").Unmapped(), Ip("1.2.3.4"));
}

TEST(IpAddressTest, Networks) {
  EXPECT_TRUE(Ip("192.0.2.77").InNetwork(Ip("192.0.2.0"), 24));
  EXPECT_FALSE(Ip("192.0.3.77").InNetwork(Ip("192.0.2.0"), 24));
  EXPECT_TRUE(Ip("192.0.2.77").InNetwork(Ip("192.0.2.64"), 26));
  EXPECT_FALSE(Ip("192.0.2.77").InNetwork(Ip("192.0.2.64"), 29));
  EXPECT_TRUE(Ip("10.0.0.1").InNetwork(Ip("1.1.1.1"), 0));
  EXPECT_FALSE(Ip("10.0.0.1").InNetwork(Ip("::"), 0));
  EXPECT_TRUE(Ip("cafe:babe:8000::").InNetwork(Ip("Cafe:Babe:8000::"), 33));
  EXPECT_TRUE(Ip("cafe:babe:ffff::").InNetwork(Ip("cafe:babe:8000::"), 33));
  EXPECT_FALSE(Ip("cafe:babe:7fff::").InNetwork(Ip("cafe:babe:8000::"), 33));
  EXPECT_TRUE(Ip("2001:db8::1").InNetwork(Ip("2001:db8::1"), 200));
}

}  // namespace
}  // namespace mxscan::checks::spf
