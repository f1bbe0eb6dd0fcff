// The SMTP probe against the simulated sector's farm on the test's own
// loop (IPv4 and ::1): the whole session, what each misbehaviour becomes
// (stage, kind, code, message), timings, session resumption and the
// probes that send their own ClientHello.

#include "scanner/probe/smtp_probe.h"

#include <uv.h>

#include <cerrno>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "scanner/tls/client_hello.h"
#include "scanner/tls/group_selection.h"
#include "scanner/tls/tls_codepoints.h"
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
  "127.0.0.1":   {"behaviour": "valid", "names": ["mx.valid.sim"]},
  "::1":         {"behaviour": "valid", "names": ["mx6.valid.sim"]},
  "127.78.0.2":  {"behaviour": "no_starttls", "names": ["mx.plain.sim"]},
  "127.78.0.3":  {"behaviour": "silent", "names": ["mx.silent.sim"]},
  "127.78.0.4":  {"behaviour": "garbage_tls", "names": ["mx.garbage.sim"]},
  "127.78.0.5":  {"behaviour": "reset_handshake", "names": ["mx.reset.sim"]},
  "127.78.0.6":  {"behaviour": "defer_421", "names": ["mx.defer.sim"]},
  "127.78.0.7":  {"behaviour": "starttls_injection", "names": ["mx.inject.sim"]},
  "127.78.0.8":  {"behaviour": "slow_banner", "names": ["mx.slow.sim"],
                  "delay_ms": 5000},
  "127.78.0.9":  {"behaviour": "tls10_only", "names": ["mx.old.sim"]}
})json";

class SmtpProbeTest : public LoopbackFarmTest {
 protected:
  SmtpProbeTest() : LoopbackFarmTest(kBehaviours) {}

  SmtpProbeOutcome Probe(const sockaddr* address, const std::string& name,
                         const SmtpProbeOptions& options) {
    return Await<SmtpProbeOutcome>([&](auto done) {
      ProbeSmtp(loop(), address, name, *context_, options, std::move(done));
    });
  }

  SmtpProbeOutcome Probe(const std::string& ip, const std::string& name,
                         const SmtpProbeOptions& options = {}) {
    return Probe(Smtp(ip), name, options);
  }

  static SmtpProbeOptions Quick() {
    SmtpProbeOptions options;
    options.connect_timeout_ms = 300;
    options.reply_timeout_ms = 300;
    options.handshake_timeout_ms = 300;
    options.total_timeout_ms = 5000;
    return options;
  }
};

TEST_F(SmtpProbeTest, WholeSessionOverIpv4AndIpv6) {
  for (const auto& [ip, name] :
       {std::pair<std::string, std::string>{"127.0.0.1", "mx.valid.sim"},
        {"::1", "mx6.valid.sim"}}) {
    SCOPED_TRACE(ip);
    const SmtpProbeOutcome outcome = Probe(ip, name);
    const smtp::SessionResult& s = outcome.session;
    EXPECT_FALSE(s.error.has_value()) << s.error->message;
    EXPECT_TRUE(s.connected);
    EXPECT_EQ(s.banner_code, 220);
    EXPECT_EQ(s.Banner(), name + " ESMTP mxscan farm");
    EXPECT_TRUE(s.starttls_offered);
    EXPECT_EQ(s.starttls_code, 220);
    EXPECT_TRUE(s.tls_succeeded);
    EXPECT_EQ(s.ehlo_tls_code, 250);
    EXPECT_FALSE(s.ehlo_tls.starttls());
    EXPECT_EQ(s.quit_code, 221);
    EXPECT_EQ(s.early_data_bytes, 0u);
    ASSERT_TRUE(outcome.tls_done);
    EXPECT_EQ(outcome.tls.version, "TLSv1.3");
    EXPECT_FALSE(outcome.tls.resumed);
    EXPECT_EQ(outcome.tls.chain_der.size(), 2u);
    EXPECT_EQ(outcome.tls_session, nullptr);  // not asked for
    EXPECT_FALSE(outcome.selection.has_value());
    // Every step, in order.
    const ProbeTimes& t = outcome.times;
    EXPECT_GT(t.started_ns, 0u);
    EXPECT_LE(t.started_ns, t.connected_ns);
    EXPECT_LE(t.connected_ns, t.banner_ns);
    EXPECT_LE(t.banner_ns, t.ehlo_ns);
    EXPECT_LE(t.ehlo_ns, t.starttls_ns);
    EXPECT_LE(t.starttls_ns, t.handshake_ns);
    EXPECT_LE(t.handshake_ns, t.finished_ns);
    EXPECT_GE(outcome.duration_ms, 0);
  }
}

TEST_F(SmtpProbeTest, KeptSessionIsResumed) {
  SmtpProbeOptions options;
  options.keep_session = true;
  SmtpProbeOutcome first = Probe("127.0.0.1", "mx.valid.sim", options);
  ASSERT_TRUE(first.tls_done);
  ASSERT_NE(first.tls_session, nullptr);
  // The TLS 1.3 ticket came in the session after the handshake.
  EXPECT_TRUE(SSL_SESSION_is_resumable(first.tls_session.get()));
  options.resume_session = std::shared_ptr<SSL_SESSION>(
      first.tls_session.release(), SSL_SESSION_free);
  const SmtpProbeOutcome second = Probe("127.0.0.1", "mx.valid.sim", options);
  ASSERT_TRUE(second.tls_done);
  EXPECT_TRUE(second.tls.resumed);
  EXPECT_FALSE(second.session.error.has_value());
}

TEST_F(SmtpProbeTest, NoStarttlsEndsWithoutHandshake) {
  const SmtpProbeOutcome outcome = Probe("127.78.0.2", "mx.plain.sim");
  EXPECT_FALSE(outcome.session.error.has_value());
  EXPECT_FALSE(outcome.session.starttls_offered);
  EXPECT_FALSE(outcome.tls_done);
  EXPECT_EQ(outcome.session.quit_code, 221);
  EXPECT_EQ(outcome.times.starttls_ns, 0u);
  EXPECT_EQ(outcome.times.handshake_ns, 0u);
}

TEST_F(SmtpProbeTest, SilentServerTimesOutAtTheBanner) {
  const SmtpProbeOutcome outcome =
      Probe("127.78.0.3", "mx.silent.sim", Quick());
  ExpectError(outcome.session.error, Stage::kBanner, ErrorKind::kTimeout, 0,
              "timed out waiting for a reply");
  EXPECT_TRUE(outcome.session.connected);
  EXPECT_GT(outcome.times.connected_ns, 0u);
  EXPECT_EQ(outcome.times.banner_ns, 0u);
}

TEST_F(SmtpProbeTest, SessionDeadlineCutsASlowBanner) {
  SmtpProbeOptions options = Quick();
  options.reply_timeout_ms = 10000;
  options.total_timeout_ms = 300;
  const SmtpProbeOutcome outcome = Probe("127.78.0.8", "mx.slow.sim", options);
  ExpectError(outcome.session.error, Stage::kBanner, ErrorKind::kTimeout, 0,
              "timed out waiting for a reply");
  EXPECT_LT(outcome.duration_ms, 5000);
}

TEST_F(SmtpProbeTest, GarbageInsteadOfServerHello) {
  const SmtpProbeOutcome outcome = Probe("127.78.0.4", "mx.garbage.sim");
  ASSERT_TRUE(outcome.session.error.has_value());
  const smtp::SessionError& e = *outcome.session.error;
  EXPECT_EQ(e.stage, Stage::kHandshake);
  EXPECT_EQ(e.kind, ErrorKind::kHandshakeFailed);
  EXPECT_EQ(
      e.message,
      "error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER");
  EXPECT_TRUE(outcome.session.tls_attempted);
  EXPECT_FALSE(outcome.tls_done);
  EXPECT_GT(outcome.times.starttls_ns, 0u);
  EXPECT_EQ(outcome.times.handshake_ns, 0u);
}

TEST_F(SmtpProbeTest, ResetDuringTheHandshake) {
  const SmtpProbeOutcome outcome = Probe("127.78.0.5", "mx.reset.sim");
  ExpectError(outcome.session.error, Stage::kHandshake, ErrorKind::kPeerClosed,
              0, "connection closed during the TLS handshake");
  EXPECT_FALSE(outcome.tls_done);
}

TEST_F(SmtpProbeTest, DeferredAndClosed) {
  const SmtpProbeOutcome outcome = Probe("127.78.0.6", "mx.defer.sim");
  ASSERT_TRUE(outcome.session.error.has_value());
  EXPECT_EQ(outcome.session.error->stage, Stage::kBanner);
  EXPECT_EQ(outcome.session.error->kind, ErrorKind::kTemporary);
  EXPECT_EQ(outcome.session.error->code, 421);
  EXPECT_TRUE(outcome.session.deferred);
}

TEST_F(SmtpProbeTest, PlaintextAfterStarttlsIsRefused) {
  const SmtpProbeOutcome outcome = Probe("127.78.0.7", "mx.inject.sim");
  ASSERT_TRUE(outcome.session.error.has_value());
  EXPECT_EQ(outcome.session.error->stage, Stage::kStartTls);
  EXPECT_EQ(outcome.session.error->kind, ErrorKind::kStartTlsInjection);
  EXPECT_FALSE(outcome.tls_done);
}

TEST_F(SmtpProbeTest, ConnectionRefused) {
  DeadEnd refusing(DeadEnd::Kind::kRefused);
  const SmtpProbeOutcome outcome = Probe(refusing.address(), "mx.none.sim", {});
  ExpectError(outcome.session.error, Stage::kConnect, ErrorKind::kConnectFailed,
              ECONNREFUSED, "connection refused");
  EXPECT_FALSE(outcome.session.connected);
  EXPECT_GT(outcome.times.started_ns, 0u);
  EXPECT_EQ(outcome.times.connected_ns, 0u);
}

TEST_F(SmtpProbeTest, ConnectTimesOut) {
  DeadEnd hanging(DeadEnd::Kind::kHanging);
  const SmtpProbeOutcome outcome =
      Probe(hanging.address(), "mx.none.sim", Quick());
  ExpectError(outcome.session.error, Stage::kConnect, ErrorKind::kTimeout, 0,
              "timed out connecting");
  EXPECT_FALSE(outcome.session.connected);
}

TEST_F(SmtpProbeTest, HandshakeVersionRefused) {
  // The server speaks TLS 1.0 only; this client TLS 1.2 and newer.
  tls::ClientContextOptions modern;
  modern.min_version = TLS1_2_VERSION;
  auto context = tls::ClientContext::Create(modern);
  ASSERT_TRUE(context.ok());
  context_ = *std::move(context);
  const SmtpProbeOutcome outcome = Probe("127.78.0.9", "mx.old.sim");
  ASSERT_TRUE(outcome.session.error.has_value());
  EXPECT_EQ(outcome.session.error->stage, Stage::kHandshake);
  EXPECT_EQ(outcome.session.error->kind, ErrorKind::kHandshakeFailed);
  EXPECT_EQ(outcome.session.error->message,
            "error:1000042e:SSL routines:OPENSSL_internal:"
            "TLSV1_ALERT_PROTOCOL_VERSION");
}

TEST_F(SmtpProbeTest, OwnClientHelloReadsTheServerHello) {
  for (const std::string ip : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(ip);
    SmtpProbeOptions options;
    options.own_client_hello =
        tls::BuildClientHello(tls::PostQuantumSelectionHello("mx.valid.sim"));
    const SmtpProbeOutcome outcome = Probe(ip, "mx.valid.sim", options);
    ASSERT_TRUE(outcome.selection.has_value());
    EXPECT_EQ(outcome.selection->kind,
              tls::ServerHelloSummary::Kind::kServerHello);
    EXPECT_EQ(outcome.selection->version, tls::kTls13);
    EXPECT_EQ(outcome.selection->group, tls::kGroupX25519);
    ExpectError(outcome.session.error, Stage::kHandshake,
                ErrorKind::kHandshakeFailed, 0,
                "selection probe: ended at the server's first answer");
    EXPECT_FALSE(outcome.tls_done);
  }
}

TEST_F(SmtpProbeTest, OwnClientHelloReadsTheKeyExchange) {
  tls::ClientHelloSpec spec = tls::PostQuantumSelectionHello("mx.valid.sim");
  spec.versions = {tls::kTls12};
  SmtpProbeOptions options;
  options.own_client_hello = tls::BuildClientHello(spec);
  options.read_key_exchange = true;
  const SmtpProbeOutcome outcome = Probe("127.0.0.1", "mx.valid.sim", options);
  ASSERT_TRUE(outcome.selection.has_value()) << outcome.session.error->message;
  EXPECT_EQ(outcome.selection->version, tls::kTls12);
  EXPECT_EQ(outcome.selection->group, tls::kGroupX25519);
}

}  // namespace
}  // namespace mxscan::probe
