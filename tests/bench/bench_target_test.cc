// ParseBenchTarget: one explicitly named server, everything that could
// name more than one refused.

#include "scanner/bench/bench_target.h"

#include <string>

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

TEST(BenchTargetTest, AcceptsOneHost) {
  absl::StatusOr<BenchTarget> t = ParseBenchTarget("127.0.0.1:25");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 25);
  EXPECT_TRUE(t->host_is_ip);

  t = ParseBenchTarget("[::1]:2525");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 2525);
  EXPECT_TRUE(t->host_is_ip);

  t = ParseBenchTarget("mx1.example.org:587");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->host, "mx1.example.org");
  EXPECT_EQ(t->port, 587);
  EXPECT_FALSE(t->host_is_ip);

  t = ParseBenchTarget("localhost:65535");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->port, 65535);
}

// Each refusal names the reason.
void ExpectRefused(const std::string& text, const std::string& reason) {
  absl::StatusOr<BenchTarget> t = ParseBenchTarget(text);
  ASSERT_FALSE(t.ok()) << text;
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
  EXPECT_NE(t.status().message().find(reason), std::string::npos)
      << text << ": " << t.status().message();
}

TEST(BenchTargetTest, RefusesLists) {
  ExpectRefused("127.0.0.1:25,127.0.0.2:25", "list");
  ExpectRefused("127.0.0.1:25 127.0.0.2:25", "list");
  ExpectRefused("a.example:25;b.example:25", "list");
  ExpectRefused("127.0.0.1:25\n127.0.0.2:25", "list");
  ExpectRefused("@targets.txt", "file");
}

TEST(BenchTargetTest, RefusesNetworksRangesAndWildcards) {
  ExpectRefused("127.0.0.0/8:25", "CIDR");
  ExpectRefused("127.0.0.0/24", "CIDR");
  ExpectRefused("[2001:db8::]/64:25", "CIDR");
  ExpectRefused("127.0.0.1-9:25", "range");
  ExpectRefused("*.example.org:25", "wildcard");
  ExpectRefused("0.0.0.0:25", "unspecified");
  ExpectRefused("[::]:25", "unspecified");
  ExpectRefused("224.0.0.1:25", "multicast");
  ExpectRefused("[ff02::1]:25", "multicast");
  ExpectRefused("255.255.255.255:25", "broadcast");
}

TEST(BenchTargetTest, RefusesMalformedTargets) {
  ExpectRefused("", "required");
  ExpectRefused("127.0.0.1", "no port");
  ExpectRefused("mx.example.org", "no port");
  ExpectRefused("127.0.0.1:", "port");
  ExpectRefused("127.0.0.1:0", "port");
  ExpectRefused("127.0.0.1:65536", "port");
  ExpectRefused("127.0.0.1:+25", "port");
  ExpectRefused(":25", "no host");
  ExpectRefused("::1:25", "brackets");
  ExpectRefused("[::1:25", "[IPv6]:PORT");
  ExpectRefused("[mx.example.org]:25", "[IPv6]:PORT");
  ExpectRefused("mx_1.example.org:25", "not a host name");
  ExpectRefused("-mx.example.org:25", "not a host name");
}

TEST(BenchTargetTest, FormatHostPortBracketsIpv6) {
  EXPECT_EQ(FormatHostPort("127.0.0.1", 25), "127.0.0.1:25");
  EXPECT_EQ(FormatHostPort("::1", 25), "[::1]:25");
  EXPECT_EQ(FormatHostPort("mx.example.org", 587), "mx.example.org:587");
}

}  // namespace
}  // namespace mxscan::bench
