// The plain TLS probe against the farm's HTTPS port on the test's own
// loop (IPv4 and ::1): handshake, ticket wait and resumption, and each
// failure's stage, kind and message.

#include "scanner/probe/tls_probe.h"

#include <uv.h>

#include <cerrno>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/probe/expect_error.h"
#include "tests/testing/dead_ends.h"
#include "tests/testing/loopback_farm.h"

namespace mxscan::probe {
namespace {

using ::mxscan::testing::DeadEnd;
using ::mxscan::testing::LoopbackFarmTest;
using smtp::ErrorKind;
using smtp::Stage;

constexpr char kBehaviours[] = R"json({
  "127.79.0.2": {"behaviour": "valid", "names": ["mx.valid.sim"]},
  "127.79.0.3": {"behaviour": "silent", "names": ["mx.silent.sim"]}
})json";

class TlsProbeTest : public LoopbackFarmTest {
 protected:
  TlsProbeTest() : LoopbackFarmTest(kBehaviours) {}

  TlsProbeOutcome Probe(const sockaddr* address, const std::string& name,
                        const TlsProbeOptions& options = {}) {
    return Await<TlsProbeOutcome>([&](auto done) {
      ProbeTls(loop(), address, name, *context_, options, std::move(done));
    });
  }

  static TlsProbeOptions Quick() {
    TlsProbeOptions options;
    options.connect_timeout_ms = 300;
    options.handshake_timeout_ms = 300;
    return options;
  }
};

TEST_F(TlsProbeTest, HandshakeOverIpv4AndIpv6) {
  for (const std::string ip : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(ip);
    const TlsProbeOutcome outcome = Probe(Https(ip), "mta-sts.valid.sim");
    EXPECT_FALSE(outcome.error.has_value()) << outcome.error->message;
    EXPECT_TRUE(outcome.connected);
    ASSERT_TRUE(outcome.tls_done);
    EXPECT_EQ(outcome.tls.version, "TLSv1.3");
    EXPECT_EQ(outcome.tls.chain_der.size(), 2u);
    EXPECT_EQ(outcome.tls_session, nullptr);
    const ProbeTimes& t = outcome.times;
    EXPECT_GT(t.started_ns, 0u);
    EXPECT_LE(t.started_ns, t.connected_ns);
    EXPECT_LE(t.connected_ns, t.handshake_ns);
    EXPECT_LE(t.handshake_ns, t.finished_ns);
    EXPECT_EQ(t.banner_ns + t.ehlo_ns + t.starttls_ns, 0u);
  }
}

TEST_F(TlsProbeTest, Tls12SessionIsKeptAndResumed) {
  tls::ClientContextOptions tls12;
  tls12.max_version = TLS1_2_VERSION;
  tls12.session_cache = true;
  auto context = tls::ClientContext::Create(tls12);
  ASSERT_TRUE(context.ok());
  context_ = *std::move(context);
  TlsProbeOptions options;
  options.keep_session = true;
  options.ticket_wait_ms = 5000;  // not waited for: TLS 1.2 has it at once
  TlsProbeOutcome first = Probe(Https("::1"), "mta-sts.valid.sim", options);
  ASSERT_TRUE(first.tls_done);
  EXPECT_EQ(first.tls.version, "TLSv1.2");
  ASSERT_NE(first.tls_session, nullptr);
  EXPECT_TRUE(SSL_SESSION_is_resumable(first.tls_session.get()));
  EXPECT_LT(first.times.finished_ns - first.times.handshake_ns, 1000000000u);
  options.resume_session = std::shared_ptr<SSL_SESSION>(
      first.tls_session.release(), SSL_SESSION_free);
  const TlsProbeOutcome second =
      Probe(Https("::1"), "mta-sts.valid.sim", options);
  ASSERT_TRUE(second.tls_done);
  EXPECT_TRUE(second.tls.resumed);
  EXPECT_FALSE(second.error.has_value());
}

TEST_F(TlsProbeTest, Tls13TicketIsAwaitedAtMostTheWait) {
  // The farm's policy server sends its TLS 1.3 tickets only with data.
  TlsProbeOptions options;
  options.keep_session = true;
  options.ticket_wait_ms = 200;
  const TlsProbeOutcome outcome =
      Probe(Https("127.0.0.1"), "mta-sts.valid.sim", options);
  EXPECT_FALSE(outcome.error.has_value()) << outcome.error->message;
  ASSERT_TRUE(outcome.tls_done);
  EXPECT_EQ(outcome.tls.version, "TLSv1.3");
  ASSERT_NE(outcome.tls_session, nullptr);
  EXPECT_FALSE(SSL_SESSION_is_resumable(outcome.tls_session.get()));
  EXPECT_GE(outcome.times.finished_ns - outcome.times.handshake_ns, 200000000u);
}

TEST_F(TlsProbeTest, PlaintextServerFailsTheHandshake) {
  // An SMTP server's banner is not a ServerHello.
  const TlsProbeOutcome outcome = Probe(Smtp("127.79.0.2"), "mx.valid.sim");
  ExpectError(outcome.error, Stage::kHandshake, ErrorKind::kHandshakeFailed, 0,
              "error:100000f7:SSL routines:OPENSSL_internal:"
              "WRONG_VERSION_NUMBER");
  EXPECT_TRUE(outcome.connected);
  EXPECT_FALSE(outcome.tls_done);
  EXPECT_EQ(outcome.times.handshake_ns, 0u);
}

TEST_F(TlsProbeTest, SilentServerTimesOutInTheHandshake) {
  const TlsProbeOutcome outcome =
      Probe(Smtp("127.79.0.3"), "mx.silent.sim", Quick());
  ExpectError(outcome.error, Stage::kHandshake, ErrorKind::kTimeout, 0,
              "TLS handshake timed out");
  EXPECT_TRUE(outcome.connected);
}

TEST_F(TlsProbeTest, ConnectionRefused) {
  DeadEnd refusing(DeadEnd::Kind::kRefused);
  const TlsProbeOutcome outcome = Probe(refusing.address(), "x.sim");
  ExpectError(outcome.error, Stage::kConnect, ErrorKind::kConnectFailed,
              ECONNREFUSED, "connection refused");
  EXPECT_FALSE(outcome.connected);
}

TEST_F(TlsProbeTest, ConnectTimesOut) {
  DeadEnd hanging(DeadEnd::Kind::kHanging);
  const TlsProbeOutcome outcome = Probe(hanging.address(), "x.sim", Quick());
  ExpectError(outcome.error, Stage::kConnect, ErrorKind::kTimeout, 0,
              "connect timed out");
}

}  // namespace
}  // namespace mxscan::probe
