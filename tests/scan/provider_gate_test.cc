#include "scanner/scan/provider_gate.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::scan {
namespace {

using ::testing::ElementsAre;

TEST(ProviderGateTest, GroupsAreTheNetworkAndTheOrganisation) {
  EXPECT_THAT(ProviderGate::GroupsOf("192.0.2.77", "provider.example"),
              ElementsAre("net:192.0.2.0/24", "org:provider.example"));
  EXPECT_THAT(ProviderGate::GroupsOf("2001:db8:1:2::25", ""),
              ElementsAre("net:2001:db8:1::/48"));
  EXPECT_THAT(ProviderGate::GroupsOf("::ffff:192.0.2.9", ""),
              ElementsAre("net:192.0.2.0/24"));
  EXPECT_THAT(ProviderGate::GroupsOf("not an address", "x.example"),
              ElementsAre("org:x.example"));
}

TEST(ProviderGateTest, SessionsAtOnceArePerGroup) {
  ProviderGate gate(2, 0);
  const auto a = ProviderGate::GroupsOf("192.0.2.1", "provider.example");
  const auto b = ProviderGate::GroupsOf("198.51.100.1", "provider.example");
  const auto other = ProviderGate::GroupsOf("192.0.2.2", "other.example");
  EXPECT_TRUE(gate.TryStartSession(a, 0));
  EXPECT_TRUE(gate.TryStartSession(b, 0));
  // The provider is full on another network too; its network is shared.
  EXPECT_FALSE(gate.TryStartSession(a, 0));
  // Another organisation on the same network: the network is full now.
  EXPECT_TRUE(gate.TryStartSession(other, 0));
  EXPECT_FALSE(
      gate.TryStartSession(ProviderGate::GroupsOf("192.0.2.3", ""), 0));
  gate.EndSession(b, 0);
  EXPECT_FALSE(gate.TryStartSession(a, 0));  // the network still is
  gate.EndSession(other, 0);
  EXPECT_TRUE(gate.TryStartSession(a, 0));
  EXPECT_EQ(gate.peak_sessions(), 2);
  for (const auto* g : {&a, &a}) gate.EndSession(*g, 0);
  EXPECT_EQ(gate.groups(), 0u);
}

TEST(ProviderGateTest, ConnectionsPerSecondArePerGroup) {
  ProviderGate gate(0, 2);  // a connection every 500 ms per group
  const auto a = ProviderGate::GroupsOf("192.0.2.1", "provider.example");
  EXPECT_TRUE(gate.TryStartSession(a, 0));
  EXPECT_FALSE(gate.TryConnect(a, 100));
  EXPECT_EQ(gate.MsUntilConnect(a, 100), 400);
  EXPECT_TRUE(gate.TryConnect(a, 500));
  EXPECT_FALSE(gate.TryStartSession(a, 600));
  EXPECT_TRUE(gate.TryStartSession(a, 1000));
  // Over ten seconds, never more than the rate (plus the first).
  int connected = 0;
  for (int64_t t = 1000; t < 11000; t += 10) connected += gate.TryConnect(a, t);
  EXPECT_LE(connected, 20);
  EXPECT_GE(connected, 19);
}

TEST(ProviderGateTest, OffWithoutLimits) {
  ProviderGate gate(0, 0);
  EXPECT_FALSE(gate.enabled());
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(gate.TryStartSession({"net:192.0.2.0/24"}, 0));
  }
  EXPECT_EQ(gate.groups(), 0u);
}

}  // namespace
}  // namespace mxscan::scan
