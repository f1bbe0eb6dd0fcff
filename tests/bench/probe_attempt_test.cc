// AttemptFromSmtpProbe / AttemptFromTlsProbe: step durations from the
// probes' times, failures as stage and code.

#include "scanner/bench/probe_attempt.h"

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

probe::ProbeTimes SmtpTimes() {
  probe::ProbeTimes t;
  t.started_ns = 1000;
  t.connected_ns = 1100;
  t.banner_ns = 1300;
  t.ehlo_ns = 1600;
  t.starttls_ns = 2000;
  t.handshake_ns = 2500;
  t.finished_ns = 3000;
  return t;
}

TEST(ProbeAttemptTest, SmtpStepsFromTimes) {
  probe::SmtpProbeOutcome outcome;
  outcome.times = SmtpTimes();
  outcome.tls_done = true;
  outcome.tls.version = "TLSv1.3";
  outcome.tls.cipher = "TLS_AES_256_GCM_SHA384";
  outcome.tls.group = "X25519";
  outcome.tls.resumed = true;
  const BenchAttempt a = AttemptFromSmtpProbe(outcome);
  EXPECT_TRUE(a.handshake_done);
  EXPECT_TRUE(a.resumed);
  EXPECT_EQ(a.version, "TLSv1.3");
  EXPECT_EQ(a.cipher, "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(a.group, "X25519");
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kConnect)], 100);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kBanner)], 200);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kEhlo)], 300);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kStartTls)], 400);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kHandshake)], 500);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kTotal)], 1500);
  EXPECT_TRUE(a.error_stage.empty());
}

TEST(ProbeAttemptTest, SmtpFailureKeepsStepsReached) {
  probe::SmtpProbeOutcome outcome;
  outcome.times = SmtpTimes();
  outcome.times.ehlo_ns = outcome.times.starttls_ns = 0;
  outcome.times.handshake_ns = 0;
  smtp::SessionError error;
  error.stage = smtp::Stage::kEhlo;
  error.kind = smtp::ErrorKind::kRefused;
  error.code = 554;
  error.message = "go away";
  outcome.session.error = error;
  const BenchAttempt a = AttemptFromSmtpProbe(outcome);
  EXPECT_FALSE(a.handshake_done);
  EXPECT_EQ(a.error_stage, "EHLO");
  EXPECT_EQ(a.error_code, "refused:554");
  EXPECT_EQ(a.error_message, "go away");
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kBanner)], 200);
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kEhlo)], 0);
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kHandshake)], 0);
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kTotal)], 0);
}

TEST(ProbeAttemptTest, SmtpWithoutStarttlsIsAFailure) {
  probe::SmtpProbeOutcome outcome;
  outcome.session.connected = true;
  outcome.session.starttls_offered = false;
  const BenchAttempt a = AttemptFromSmtpProbe(outcome);
  EXPECT_FALSE(a.handshake_done);
  EXPECT_EQ(a.error_stage, "STARTTLS");
  EXPECT_EQ(a.error_code, "not_offered");
}

TEST(ProbeAttemptTest, PlainTlsHandshakeRunsFromTheConnection) {
  probe::TlsProbeOutcome outcome;
  outcome.connected = true;
  outcome.tls_done = true;
  outcome.tls.version = "TLSv1.2";
  outcome.times.started_ns = 10;
  outcome.times.connected_ns = 40;
  outcome.times.handshake_ns = 540;
  const BenchAttempt a = AttemptFromTlsProbe(outcome);
  EXPECT_TRUE(a.handshake_done);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kConnect)], 30);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kHandshake)], 500);
  EXPECT_EQ(a.step_ns[static_cast<int>(Step::kTotal)], 530);
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kBanner)], 0);
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kStartTls)], 0);
}

TEST(ProbeAttemptTest, PlainTlsConnectFailure) {
  probe::TlsProbeOutcome outcome;
  smtp::SessionError error;
  error.stage = smtp::Stage::kConnect;
  error.kind = smtp::ErrorKind::kConnectFailed;
  error.code = 111;
  error.message = "connection refused";
  outcome.error = error;
  outcome.times.started_ns = 10;
  const BenchAttempt a = AttemptFromTlsProbe(outcome);
  EXPECT_FALSE(a.handshake_done);
  EXPECT_EQ(a.error_stage, "CONNECT");
  EXPECT_EQ(a.error_code, "connect_failed:111");
  EXPECT_LT(a.step_ns[static_cast<int>(Step::kConnect)], 0);
}

}  // namespace
}  // namespace mxscan::bench
