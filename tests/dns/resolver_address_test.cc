// Resolver addresses: literal IPv4/IPv6 with optional port, and the
// nameserver lines of a resolv.conf.

#include "scanner/dns/resolver_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::dns {
namespace {

using ::testing::HasSubstr;

std::string TextOf(absl::string_view input) {
  absl::StatusOr<ResolverAddress> r = ParseResolverAddress(input);
  return r.ok() ? r->text : "ERROR: " + std::string(r.status().message());
}

bool Refused(absl::string_view input) {
  return !ParseResolverAddress(input).ok();
}

TEST(ParseResolverAddressTest, Ipv4) {
  absl::StatusOr<ResolverAddress> r = ParseResolverAddress("192.0.2.53");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->family(), AF_INET);
  EXPECT_EQ(r->text, "192.0.2.53:53");
  const auto* in = reinterpret_cast<const sockaddr_in*>(r->sockaddr_ptr());
  EXPECT_EQ(ntohs(in->sin_port), 53);
  EXPECT_EQ(ntohl(in->sin_addr.s_addr), 0xC0000235u);
}

TEST(ParseResolverAddressTest, Ipv4WithPort) {
  absl::StatusOr<ResolverAddress> r = ParseResolverAddress("127.0.0.1:5353");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->family(), AF_INET);
  EXPECT_EQ(r->text, "127.0.0.1:5353");
  EXPECT_EQ(ntohs(reinterpret_cast<const sockaddr_in*>(r->sockaddr_ptr())
                      ->sin_port),
            5353);
  EXPECT_EQ(TextOf("10.0.0.1:1"), "10.0.0.1:1");
  EXPECT_EQ(TextOf("10.0.0.1:65535"), "10.0.0.1:65535");
}

TEST(ParseResolverAddressTest, Ipv6WithPort) {
  absl::StatusOr<ResolverAddress> r = ParseResolverAddress("[2001:db8::53]:853");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->family(), AF_INET6);
  EXPECT_EQ(r->text, "[2001:db8::53]:853");
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(r->sockaddr_ptr());
  EXPECT_EQ(ntohs(in6->sin6_port), 853);
  in6_addr expected;
  ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::53", &expected), 1);
  EXPECT_EQ(std::memcmp(&in6->sin6_addr, &expected, sizeof(expected)), 0);
  EXPECT_EQ(TextOf("[::1]"), "[::1]:53");
}

TEST(ParseResolverAddressTest, BareIpv6) {
  EXPECT_EQ(TextOf("::1"), "[::1]:53");
  EXPECT_EQ(TextOf("2001:db8::1"), "[2001:db8::1]:53");
  EXPECT_EQ(TextOf("::ffff:192.0.2.1"), "[::ffff:192.0.2.1]:53");
  EXPECT_EQ(TextOf("fe80::1:2:3:4"), "[fe80::1:2:3:4]:53");
  EXPECT_EQ(ParseResolverAddress("::")->family(), AF_INET6);
}

TEST(ParseResolverAddressTest, BadPorts) {
  for (const char* bad :
       {"127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:99999999999",
        "127.0.0.1:x", "127.0.0.1:53x", "127.0.0.1:-1", "[::1]:", "[::1]:0",
        "[::1]:70000", "[::1]x", "[::1]53", "[::1]:5:3"}) {
    EXPECT_TRUE(Refused(bad)) << bad;
  }
  EXPECT_THAT(TextOf("127.0.0.1:0"), HasSubstr("port"));
}

TEST(ParseResolverAddressTest, HostNamesRefused) {
  for (const char* bad : {"localhost", "localhost:53", "dns.google",
                          "[localhost]:53", "one.one.one.one:53"}) {
    EXPECT_TRUE(Refused(bad)) << bad;
  }
  EXPECT_THAT(TextOf("resolver.example"), HasSubstr("not an IPv4 or IPv6"));
}

TEST(ParseResolverAddressTest, MalformedAddresses) {
  for (const char* bad :
       {"", ":", ":53", "[", "[]", "[]:53", "[::1", "::1]", "1.2.3", "1.2.3.4.5",
        "256.1.1.1", "1.2.3.4/32", "fe80::1%eth0", "[fe80::1%eth0]:53",
        "2001:db8::1::2", " 1.2.3.4", "1.2.3.4 "}) {
    EXPECT_TRUE(Refused(bad)) << "'" << bad << "'";
  }
}

sockaddr_storage V4(const char* addr, uint16_t port) {
  sockaddr_storage ss{};
  auto* in = reinterpret_cast<sockaddr_in*>(&ss);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  inet_pton(AF_INET, addr, &in->sin_addr);
  return ss;
}

sockaddr_storage V6(const char* addr, uint16_t port) {
  sockaddr_storage ss{};
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(port);
  inet_pton(AF_INET6, addr, &in6->sin6_addr);
  return ss;
}

const sockaddr* Ptr(const sockaddr_storage& ss) {
  return reinterpret_cast<const sockaddr*>(&ss);
}

TEST(ResolverAddressTest, Matches) {
  const ResolverAddress v4 = *ParseResolverAddress("192.0.2.1:5300");
  EXPECT_TRUE(v4.Matches(Ptr(V4("192.0.2.1", 5300))));
  EXPECT_FALSE(v4.Matches(Ptr(V4("192.0.2.1", 53))));
  EXPECT_FALSE(v4.Matches(Ptr(V4("192.0.2.2", 5300))));
  EXPECT_FALSE(v4.Matches(Ptr(V6("::ffff:192.0.2.1", 5300))));
  EXPECT_FALSE(v4.Matches(nullptr));
  const ResolverAddress v6 = *ParseResolverAddress("[2001:db8::1]:53");
  EXPECT_TRUE(v6.Matches(Ptr(V6("2001:db8::1", 53))));
  EXPECT_FALSE(v6.Matches(Ptr(V6("2001:db8::2", 53))));
  EXPECT_FALSE(v6.Matches(Ptr(V6("2001:db8::1", 54))));
  EXPECT_FALSE(v6.Matches(Ptr(V4("192.0.2.1", 53))));
  sockaddr_storage unix_addr{};
  unix_addr.ss_family = AF_UNIX;
  EXPECT_FALSE(v4.Matches(Ptr(unix_addr)));
}

class SystemResolversTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& content) {
    path_ = ::testing::TempDir() + "/resolv.conf." + std::to_string(getpid()) +
            "." + std::to_string(counter_++);
    FILE* f = std::fopen(path_.c_str(), "w");
    EXPECT_NE(f, nullptr);
    std::fputs(content.c_str(), f);
    std::fclose(f);
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) unlink(path_.c_str());
  }

  std::vector<std::string> Texts(const std::string& content) {
    absl::StatusOr<std::vector<ResolverAddress>> r =
        SystemResolvers(Write(content));
    std::vector<std::string> out;
    if (!r.ok()) {
      out.push_back("ERROR: " + std::string(r.status().message()));
      return out;
    }
    for (const ResolverAddress& a : *r) out.push_back(a.text);
    return out;
  }

  std::string path_;
  int counter_ = 0;
};

TEST_F(SystemResolversTest, ReadsNameserverLines) {
  EXPECT_THAT(Texts("# generated\n"
                    "search example.org\n"
                    "nameserver 192.0.2.1\n"
                    "options edns0 trust-ad\n"
                    "nameserver\t2001:db8::53\n"
                    "  nameserver   192.0.2.2   # trailing comment\n"
                    "nameserver ::1\n"),
              ::testing::ElementsAre("192.0.2.1:53", "[2001:db8::53]:53",
                                     "192.0.2.2:53", "[::1]:53"));
}

TEST_F(SystemResolversTest, SkipsWhatItCannotUse) {
  EXPECT_THAT(Texts("nameserver\n"
                    "nameserver resolver.example\n"
                    "nameserver fe80::1%eth0\n"
                    "#nameserver 192.0.2.9\n"
                    "; nameserver 192.0.2.8\n"
                    "nameservers 192.0.2.7\n"
                    "nameserver 192.0.2.1:53\n"
                    "nameserver 192.0.2.3\n"),
              ::testing::ElementsAre("192.0.2.3:53"));
}

TEST_F(SystemResolversTest, LastLineWithoutNewline) {
  EXPECT_THAT(Texts("nameserver 192.0.2.1"),
              ::testing::ElementsAre("192.0.2.1:53"));
}

TEST_F(SystemResolversTest, NoUsableNameserver) {
  absl::StatusOr<std::vector<ResolverAddress>> r =
      SystemResolvers(Write("search example.org\nnameserver bogus\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("no usable nameserver"));
  EXPECT_FALSE(SystemResolvers(Write("")).ok());
}

TEST_F(SystemResolversTest, MissingFile) {
  absl::StatusOr<std::vector<ResolverAddress>> r =
      SystemResolvers(::testing::TempDir() + "/no/such/resolv.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mxscan::dns
