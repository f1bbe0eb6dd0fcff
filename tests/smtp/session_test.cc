// The SMTP session against scripted servers: every path of a probe. Each
// script is replayed with its server flights cut at every position and
// trickled a byte at a time, and must give the same writes and result.

#include "scanner/smtp/session.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/smtp/session_result.h"
#include "tests/smtp/script_driver.h"

namespace mxscan::smtp {
namespace {

using ::mxscan::smtp::testing::ConnectFail;
using ::mxscan::smtp::testing::HandshakeFail;
using ::mxscan::smtp::testing::HandshakeOk;
using ::mxscan::smtp::testing::PeerClose;
using ::mxscan::smtp::testing::RunEverySplit;
using ::mxscan::smtp::testing::Script;
using ::mxscan::smtp::testing::Send;
using ::mxscan::smtp::testing::Timeout;
using ::mxscan::smtp::testing::Transcript;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kBanner[] = "220 mx.test ESMTP Postfix\r\n";
constexpr char kEhloWithStartTls[] =
    "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
    "250 8BITMIME\r\n";
constexpr char kEhloWithoutStartTls[] =
    "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
constexpr char kReady[] = "220 2.0.0 Ready to start TLS\r\n";
constexpr char kEhloInsideTls[] =
    "250-mx.test\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n";
constexpr char kBye[] = "221 2.0.0 Bye\r\n";

constexpr char kEhlo[] = "EHLO scanner.test\r\n";
constexpr char kHelo[] = "HELO scanner.test\r\n";
constexpr char kStartTls[] = "STARTTLS\r\n";
constexpr char kQuit[] = "QUIT\r\n";
constexpr char kTlsEhlo[] = "tls:EHLO scanner.test\r\n";
constexpr char kTlsQuit[] = "tls:QUIT\r\n";

SessionOptions Options() {
  SessionOptions o;
  o.ehlo_name = "scanner.test";
  return o;
}

void ExpectNoError(const SessionResult& r) {
  EXPECT_FALSE(r.error.has_value()) << StageName(r.error->stage) << " "
                                    << r.error->code << " " << r.error->message;
}

void ExpectError(const SessionResult& r, Stage stage, int code,
                 ErrorKind kind) {
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->stage, stage) << r.error->message;
  EXPECT_EQ(ErrorKindName(r.error->kind), ErrorKindName(kind))
      << r.error->message;
  EXPECT_EQ(r.error->reply_error, ReplyError::kNone);
  EXPECT_EQ(r.error->code, code) << r.error->message;
  EXPECT_FALSE(r.error->message.empty());
}

TEST(SessionTest, StartTlsHappyPath) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send(kReady),
                  HandshakeOk(), Send(kEhloInsideTls), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kTlsEhlo, kTlsQuit));
  const SessionResult& r = t.result;
  ExpectNoError(r);
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.banner_code, 220);
  EXPECT_EQ(r.Banner(), "mx.test ESMTP Postfix");
  EXPECT_EQ(r.ehlo_code, 250);
  EXPECT_FALSE(r.helo_used);
  EXPECT_EQ(r.ehlo.domain, "mx.test");
  EXPECT_THAT(
      r.ehlo.ExtensionStrings(),
      ElementsAre("PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME"));
  EXPECT_TRUE(r.starttls_offered);
  EXPECT_EQ(r.starttls_code, 220);
  EXPECT_TRUE(r.tls_attempted);
  EXPECT_TRUE(r.tls_succeeded);
  EXPECT_EQ(r.ehlo_tls_code, 250);
  EXPECT_THAT(r.ehlo_tls.ExtensionStrings(),
              ElementsAre("SIZE 10240000", "AUTH PLAIN LOGIN"));
  EXPECT_FALSE(r.ehlo_tls.starttls());
  EXPECT_EQ(r.quit_code, 221);
  EXPECT_FALSE(r.deferred);
  EXPECT_EQ(r.early_data_bytes, 0u);
  EXPECT_EQ(t.unused_events, 0u);
}

TEST(SessionTest, MultiLineBanner) {
  const Transcript t = RunEverySplit(
      Options(), {Send("220-mx.test ESMTP\r\n220-No UCE\r\n220 Welcome\r\n"),
                  Send(kEhloWithoutStartTls), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  EXPECT_EQ(t.result.banner_code, 220);
  EXPECT_THAT(t.result.banner_lines,
              ElementsAre("mx.test ESMTP", "No UCE", "Welcome"));
  EXPECT_EQ(t.result.Banner(), "mx.test ESMTP");
  ExpectNoError(t.result);
}

TEST(SessionTest, BareLfServer) {
  const Transcript t = RunEverySplit(
      Options(), {Send("220 mx.test\n"), Send("250-mx.test\n250 STARTTLS\n"),
                  Send("220 go\n"), HandshakeOk(), Send("250 mx.test\n"),
                  Send("221 bye\n")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kTlsEhlo, kTlsQuit));
  EXPECT_TRUE(t.result.tls_succeeded);
  ExpectNoError(t.result);
}

TEST(SessionTest, StartTlsNotOffered) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithoutStartTls), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  EXPECT_FALSE(t.result.starttls_offered);
  EXPECT_FALSE(t.result.tls_attempted);
  EXPECT_EQ(t.result.starttls_code, 0);
  EXPECT_EQ(t.result.quit_code, 221);
  ExpectNoError(t.result);
}

TEST(SessionTest, StartTlsOfferedButNotWanted) {
  SessionOptions o = Options();
  o.want_starttls = false;
  const Transcript t =
      RunEverySplit(o, {Send(kBanner), Send(kEhloWithStartTls), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  EXPECT_TRUE(t.result.starttls_offered);
  EXPECT_FALSE(t.result.tls_attempted);
  ExpectNoError(t.result);
}

TEST(SessionTest, LowercaseStartTlsKeywordCounts) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send("250-mx.test\r\n250 starttls\r\n"), Send(kReady),
       HandshakeOk(), Send("250 mx.test\r\n"), Send(kBye)});
  EXPECT_TRUE(t.result.starttls_offered);
  EXPECT_TRUE(t.result.tls_succeeded);
}

class EhloRejectedTest : public ::testing::TestWithParam<int> {};

TEST_P(EhloRejectedTest, FallsBackToHelo) {
  const std::string rejection =
      std::to_string(GetParam()) + " 5.5.2 Error: command not recognized\r\n";
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send(rejection), Send("250 mx.test\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kHelo, kQuit));
  EXPECT_EQ(t.result.ehlo_code, GetParam());
  EXPECT_TRUE(t.result.helo_used);
  EXPECT_EQ(t.result.helo_code, 250);
  EXPECT_FALSE(t.result.starttls_offered);
  EXPECT_THAT(t.result.ehlo.extensions, IsEmpty());
  ExpectNoError(t.result);
}

INSTANTIATE_TEST_SUITE_P(FiveXx, EhloRejectedTest,
                         ::testing::Values(500, 501, 502, 504, 550, 554));

TEST(SessionTest, HeloRejectedToo) {
  const Transcript t =
      RunEverySplit(Options(), {Send(kBanner), Send("502 no EHLO\r\n"),
                                Send("550 go away\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kHelo, kQuit));
  ExpectError(t.result, Stage::kEhlo, 550, ErrorKind::kRefused);
  EXPECT_THAT(t.result.error->message, HasSubstr("HELO"));
  EXPECT_FALSE(t.result.deferred);
}

TEST(SessionTest, HeloDeferred) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send("500 what\r\n"), Send("450 later\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kHelo, kQuit));
  ExpectError(t.result, Stage::kEhlo, 450, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
}

TEST(SessionTest, Banner421IsDeferredAndClosesWithoutQuit) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send("421 4.3.2 mx.test Service not available, try later\r\n")});
  EXPECT_THAT(t.writes, IsEmpty());
  ExpectError(t.result, Stage::kBanner, 421, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
  EXPECT_EQ(t.result.banner_code, 421);
  EXPECT_THAT(t.result.error->message, HasSubstr("try later"));
  EXPECT_FALSE(t.result.starttls_offered);
}

TEST(SessionTest, Banner450IsDeferredAndQuits) {
  const Transcript t =
      RunEverySplit(Options(), {Send("450 busy\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kQuit));
  ExpectError(t.result, Stage::kBanner, 450, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
  EXPECT_EQ(t.result.quit_code, 221);
}

TEST(SessionTest, Banner554IsRefusedAndQuits) {
  // RFC 5321 section 3.1: the server waits for QUIT after a 554 greeting.
  const Transcript t = RunEverySplit(
      Options(), {Send("554-mx.test No SMTP service here\r\n554 Go away\r\n"),
                  Send("221 bye\r\n")});
  EXPECT_THAT(t.writes, ElementsAre(kQuit));
  ExpectError(t.result, Stage::kBanner, 554, ErrorKind::kRefused);
  EXPECT_FALSE(t.result.deferred);
  EXPECT_THAT(t.result.banner_lines,
              ElementsAre("mx.test No SMTP service here", "Go away"));
  EXPECT_THAT(t.result.error->message, HasSubstr("refused"));
  EXPECT_EQ(t.result.ehlo_code, 0);
}

TEST(SessionTest, UnexpectedBannerCodes) {
  for (const char* banner : {"250 hello\r\n", "354 go on\r\n"}) {
    const Transcript t = RunEverySplit(Options(), {Send(banner), Send(kBye)});
    EXPECT_THAT(t.writes, ElementsAre(kQuit)) << banner;
    ASSERT_TRUE(t.result.error.has_value());
    EXPECT_EQ(t.result.error->stage, Stage::kBanner);
    EXPECT_THAT(t.result.error->message, HasSubstr("unexpected"));
    EXPECT_EQ(t.result.error->kind, ErrorKind::kUnexpectedReply);
    EXPECT_FALSE(t.result.deferred);
  }
}

TEST(SessionTest, Ehlo421DefersAndCloses) {
  const Transcript t =
      RunEverySplit(Options(), {Send(kBanner), Send("421 shutting down\r\n")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo));
  ExpectError(t.result, Stage::kEhlo, 421, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
  EXPECT_FALSE(t.result.helo_used);
}

TEST(SessionTest, Ehlo451DefersAndQuits) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send("451 later\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  ExpectError(t.result, Stage::kEhlo, 451, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
}

TEST(SessionTest, EhloUnexpectedCode) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send("354 huh\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  ExpectError(t.result, Stage::kEhlo, 354, ErrorKind::kUnexpectedReply);
  EXPECT_FALSE(t.result.deferred);
}

TEST(SessionTest, StartTls454IsDeferredNotAbsent) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls),
                  Send("454 4.7.0 TLS not available due to local problem\r\n"),
                  Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kQuit));
  ExpectError(t.result, Stage::kStartTls, 454, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
  EXPECT_TRUE(t.result.starttls_offered);
  EXPECT_EQ(t.result.starttls_code, 454);
  EXPECT_FALSE(t.result.tls_attempted);
  EXPECT_EQ(t.result.quit_code, 221);
}

TEST(SessionTest, StartTls421ClosesWithoutQuit) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send(kEhloWithStartTls), Send("421 closing\r\n")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls));
  ExpectError(t.result, Stage::kStartTls, 421, ErrorKind::kTemporary);
  EXPECT_TRUE(t.result.deferred);
}

TEST(SessionTest, StartTlsRefused) {
  for (const char* reply : {"502 5.5.1 not implemented\r\n",
                            "554 5.7.0 no TLS for you\r\n", "501 syntax\r\n"}) {
    const Transcript t = RunEverySplit(
        Options(),
        {Send(kBanner), Send(kEhloWithStartTls), Send(reply), Send(kBye)});
    EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kQuit)) << reply;
    ASSERT_TRUE(t.result.error.has_value());
    EXPECT_EQ(t.result.error->stage, Stage::kStartTls);
    EXPECT_EQ(t.result.error->code, t.result.starttls_code);
    EXPECT_FALSE(t.result.deferred);
    EXPECT_FALSE(t.result.tls_attempted);
  }
}

TEST(SessionTest, HandshakeFailureClosesWithoutQuit) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send(kReady),
                  HandshakeFail("alert handshake failure", 40)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls));
  ExpectError(t.result, Stage::kHandshake, 40, ErrorKind::kHandshakeFailed);
  EXPECT_EQ(t.result.error->message, "alert handshake failure");
  EXPECT_TRUE(t.result.tls_attempted);
  EXPECT_FALSE(t.result.tls_succeeded);
  EXPECT_EQ(t.result.starttls_code, 220);
}

TEST(SessionTest, EhloInsideTlsRejected) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send(kReady),
                  HandshakeOk(), Send("554 not after TLS\r\n"), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kTlsEhlo, kTlsQuit));
  ExpectError(t.result, Stage::kEhloTls, 554, ErrorKind::kRefused);
  EXPECT_TRUE(t.result.tls_succeeded);
  EXPECT_FALSE(t.result.deferred);
}

TEST(SessionTest, EhloInsideTlsTemporaryFailureIsNotDeferral) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send(kReady),
                  HandshakeOk(), Send("451 later\r\n"), Send(kBye)});
  ExpectError(t.result, Stage::kEhloTls, 451, ErrorKind::kTemporary);
  EXPECT_FALSE(t.result.deferred);
}

TEST(SessionTest, StartTlsAdvertisedAgainInsideTlsIsRecorded) {
  // RFC 3207 section 4.2 forbids it; the probe records what it saw.
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send(kReady),
                  HandshakeOk(), Send(kEhloWithStartTls), Send(kBye)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls, kTlsEhlo, kTlsQuit));
  EXPECT_TRUE(t.result.ehlo_tls.starttls());
  ExpectNoError(t.result);
}

TEST(SessionTest, MissingReplyToQuitIsNotAnError) {
  // The script ends: the server stays silent and the QUIT deadline passes.
  const Transcript silent =
      RunEverySplit(Options(), {Send(kBanner), Send(kEhloWithoutStartTls)});
  EXPECT_THAT(silent.writes, ElementsAre(kEhlo, kQuit));
  ExpectNoError(silent.result);
  EXPECT_EQ(silent.result.quit_code, 0);

  const Transcript closed = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithoutStartTls), PeerClose()});
  ExpectNoError(closed.result);

  const Transcript partial = RunEverySplit(
      Options(),
      {Send(kBanner), Send(kEhloWithoutStartTls), Send("221 by"), PeerClose()});
  ExpectNoError(partial.result);
}

TEST(SessionTest, OtherReplyToQuitIsRecordedNotAnError) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send(kEhloWithoutStartTls), Send("500 what?\r\n")});
  EXPECT_EQ(t.result.quit_code, 500);
  ExpectNoError(t.result);
}

TEST(SessionTest, ConnectFailure) {
  const Transcript t =
      RunEverySplit(Options(), {ConnectFail(111, "connection refused")});
  EXPECT_THAT(t.writes, IsEmpty());
  EXPECT_FALSE(t.result.connected);
  ExpectError(t.result, Stage::kConnect, 111, ErrorKind::kConnectFailed);
  EXPECT_EQ(t.result.error->message, "connection refused");
}

// Timeouts, and the server closing, at every stage.
struct StageCase {
  const char* name;
  Script prefix;
  Stage stage;
  std::vector<std::string> writes;
};

std::vector<StageCase> StageCases() {
  return {
      {"banner", {}, Stage::kBanner, {}},
      {"banner_partial", {Send("220-mx.test\r\n220 wel")}, Stage::kBanner, {}},
      {"ehlo", {Send(kBanner)}, Stage::kEhlo, {kEhlo}},
      {"ehlo_partial",
       {Send(kBanner), Send("250-mx.test\r\n250-PIPE")},
       Stage::kEhlo,
       {kEhlo}},
      {"helo",
       {Send(kBanner), Send("502 no\r\n")},
       Stage::kEhlo,
       {kEhlo, kHelo}},
      {"starttls",
       {Send(kBanner), Send(kEhloWithStartTls)},
       Stage::kStartTls,
       {kEhlo, kStartTls}},
      {"handshake",
       {Send(kBanner), Send(kEhloWithStartTls), Send(kReady)},
       Stage::kHandshake,
       {kEhlo, kStartTls}},
      {"ehlo_tls",
       {Send(kBanner), Send(kEhloWithStartTls), Send(kReady), HandshakeOk()},
       Stage::kEhloTls,
       {kEhlo, kStartTls, kTlsEhlo}},
  };
}

TEST(SessionTest, TimeoutAtEveryStage) {
  for (const StageCase& c : StageCases()) {
    SCOPED_TRACE(c.name);
    Script script = c.prefix;
    script.push_back(Timeout());
    const Transcript t = RunEverySplit(Options(), script);
    EXPECT_EQ(t.writes, c.writes);
    ExpectError(t.result, c.stage, 0, ErrorKind::kTimeout);
    EXPECT_THAT(t.result.error->message, HasSubstr("timed out"));
    EXPECT_EQ(t.result.tls_attempted,
              c.stage == Stage::kHandshake || c.stage == Stage::kEhloTls);
  }
}

TEST(SessionTest, PeerCloseAtEveryStage) {
  for (const StageCase& c : StageCases()) {
    SCOPED_TRACE(c.name);
    Script script = c.prefix;
    script.push_back(PeerClose());
    const Transcript t = RunEverySplit(Options(), script);
    EXPECT_EQ(t.writes, c.writes);
    ExpectError(t.result, c.stage, 0, ErrorKind::kPeerClosed);
    EXPECT_THAT(t.result.error->message, HasSubstr("closed"));
  }
}

TEST(SessionTest, CloseInTheMiddleOfAReplySaysSo) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send("250-mx.test\r\n250-PIPE"), PeerClose()});
  ExpectError(t.result, Stage::kEhlo, 0, ErrorKind::kPeerClosed);
  EXPECT_THAT(t.result.error->message, HasSubstr("middle of a reply"));
}

TEST(SessionTest, ConnectTimeout) {
  Session s(Options());
  ASSERT_EQ(s.NextAction(), Session::Action::kConnect);
  EXPECT_EQ(s.stage(), Stage::kConnect);
  s.OnTimeout();
  EXPECT_EQ(s.NextAction(), Session::Action::kClose);
  s.OnClosed();
  EXPECT_EQ(s.NextAction(), Session::Action::kDone);
  ExpectError(s.result(), Stage::kConnect, 0, ErrorKind::kTimeout);
  EXPECT_FALSE(s.result().connected);
}

}  // namespace
}  // namespace mxscan::smtp
