// The TLS census (tls/census.h) against a real TLS server in memory (the
// packaged BoringSSL) with chosen suites, groups and order: it finds
// exactly those, in a bounded number of ClientHellos, and classes them.

#include "scanner/tls/census.h"

#include <openssl/ssl.h>

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/tls/tls_codepoints.h"
#include "tests/tls/hello_server.h"

namespace mxscan::tls {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

using ServerConfig = testing::HelloServerConfig;

// The server's first answer to `hello`, as the census reads it.
std::optional<ServerHelloSummary> Answer(const ServerConfig& config,
                                         const std::string& hello,
                                         bool key_exchange) {
  ServerHelloReader reader(key_exchange);
  reader.Feed(testing::ServerAnswer(config, hello));
  if (reader.state() != ServerHelloReader::State::kDone) return std::nullopt;
  return reader.summary();
}

CensusResult RunCensus(const ServerConfig& config, bool tls13) {
  TlsCensus census("mx.example.com", tls13);
  while (std::optional<TlsCensus::Hello> hello = census.NextHello()) {
    const std::optional<ServerHelloSummary> answer =
        Answer(config, hello->record, hello->key_exchange);
    census.OnAnswer(answer, answer ? "" : "no ServerHello");
  }
  return census.result();
}

TEST(CensusTest, FindsExactlyWhatTheServerAccepts) {
  const ServerConfig config{
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA", "X25519:P-384"};
  const CensusResult r = RunCensus(config, true);
  EXPECT_EQ(r.error, "");
  EXPECT_THAT(r.tls13_suites, UnorderedElementsAre(0x1301, 0x1302, 0x1303));
  EXPECT_THAT(r.tls13_groups,
              UnorderedElementsAre(kGroupX25519, kGroupSecp384r1));
  // Client order: our first (the GCM suite), then the CBC one.
  EXPECT_THAT(r.tls12_suites, ElementsAre(0xc02b, 0xc00a));
  ASSERT_TRUE(r.server_preference.has_value());
  EXPECT_FALSE(*r.server_preference);
  // The TLS 1.2 curves, from the ServerKeyExchange.
  EXPECT_THAT(r.tls12_curves,
              UnorderedElementsAre(kGroupX25519, kGroupSecp384r1));
  EXPECT_EQ(r.dhe_bits, 0u);
  // One ClientHello per suite or group found plus one refused per step,
  // and the order check.
  // (The curves step retries its refusal once with the curves found.)
  EXPECT_EQ(r.handshakes, (3 + 1) + (2 + 1) + (2 + 1) + 1 + (2 + 2));

  const CensusClass c = ClassifyCensus(r, {"TLSv1.3", "TLSv1.2"});
  EXPECT_EQ(c.worst, TlsClass::kSufficient);
  EXPECT_THAT(c.findings,
              ElementsAre("TLSv1.2: sufficient",
                          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: sufficient"));
}

TEST(CensusTest, AServerThatEnforcesItsOwnOrder) {
  // The server prefers CBC (its list's order), whatever the client offers.
  const ServerConfig config{
      "ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-GCM-SHA256", "P-256",
      TLS1_2_VERSION, true};
  const CensusResult r = RunCensus(config, false);
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.tls13_suites.empty());
  EXPECT_THAT(r.tls12_suites, ElementsAre(0xc00a, 0xc02b));
  ASSERT_TRUE(r.server_preference.has_value());
  EXPECT_TRUE(*r.server_preference);
}

TEST(CensusTest, OldSuitesAndVersionsAreClassed) {
  const ServerConfig config{"ECDHE-ECDSA-AES128-GCM-SHA256:RSA+3DES:AES128-SHA",
                            "X25519", TLS1_2_VERSION};
  CensusResult r = RunCensus(config, false);
  // The RSA key exchange suites need an RSA key the test server lacks;
  // class a census that has them.
  r.tls12_suites.push_back(0x000a);
  const CensusClass c = ClassifyCensus(r, {"TLSv1.2", "TLSv1"});
  EXPECT_EQ(c.worst, TlsClass::kPhaseOut);
  EXPECT_THAT(c.findings, ::testing::Contains("TLSv1: phase-out"));
  EXPECT_THAT(c.findings,
              ::testing::Contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA: phase-out"));
}

TEST(CensusTest, AServerThatStopsAnsweringEndsTheCensus) {
  TlsCensus census("mx.example.com", true);
  ASSERT_TRUE(census.NextHello().has_value());
  census.OnAnswer(std::nullopt, "connection reset");
  EXPECT_FALSE(census.NextHello().has_value());
  EXPECT_EQ(census.result().error, "connection reset");
  EXPECT_EQ(census.result().handshakes, 1);
}

}  // namespace
}  // namespace mxscan::tls
