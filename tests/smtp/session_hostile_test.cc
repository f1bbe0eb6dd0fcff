// The session against hostile and broken servers: endless lines, huge
// replies, binary, TLS or HTTP where SMTP belongs, STARTTLS injection,
// servers that talk out of turn. Every run must end with a classified error
// (or a tolerated note), bounded memory, and only our four commands sent.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/smtp/reply_parser.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"
#include "tests/smtp/script_driver.h"

namespace mxscan::smtp {
namespace {

using ::mxscan::smtp::testing::HandshakeOk;
using ::mxscan::smtp::testing::PeerClose;
using ::mxscan::smtp::testing::RunEverySplit;
using ::mxscan::smtp::testing::Send;
using ::mxscan::smtp::testing::Timeout;
using ::mxscan::smtp::testing::Transcript;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kBanner[] = "220 mx.test ESMTP\r\n";
constexpr char kEhloWithStartTls[] =
    "250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
constexpr char kBye[] = "221 bye\r\n";
constexpr char kEhlo[] = "EHLO scanner.test\r\n";
constexpr char kStartTls[] = "STARTTLS\r\n";
constexpr char kQuit[] = "QUIT\r\n";

SessionOptions Options() {
  SessionOptions o;
  o.ehlo_name = "scanner.test";
  return o;
}

void ExpectError(const SessionResult& r, Stage stage, ErrorKind kind,
                 ReplyError reply_error, absl::string_view words) {
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->stage, stage) << r.error->message;
  EXPECT_EQ(ErrorKindName(r.error->kind), ErrorKindName(kind));
  EXPECT_EQ(ReplyErrorName(r.error->reply_error), ReplyErrorName(reply_error));
  EXPECT_EQ(r.error->code, 0);
  EXPECT_THAT(r.error->message, HasSubstr(std::string(words)));
}

// Only whole EHLO/HELO/STARTTLS/QUIT lines ever leave the session.
void ExpectOnlyOurCommands(const Transcript& t) {
  for (std::string w : t.writes) {
    if (absl::StartsWith(w, "tls:")) w = w.substr(4);
    EXPECT_TRUE(w == "EHLO scanner.test\r\n" || w == "HELO scanner.test\r\n" ||
                w == "STARTTLS\r\n" || w == "QUIT\r\n")
        << w;
  }
}

TEST(SessionHostileTest, EndlessBannerLine) {
  const Transcript t =
      RunEverySplit(Options(), {Send("220 " + std::string(100000, 'A'))});
  EXPECT_THAT(t.writes, IsEmpty());
  ExpectError(t.result, Stage::kBanner, ErrorKind::kReplyTooLarge,
              ReplyError::kLineTooLong, "longer than 2048");
  EXPECT_EQ(t.result.banner_code, 0);
}

TEST(SessionHostileTest, EndlessLineWithoutCode) {
  const Transcript t =
      RunEverySplit(Options(), {Send(std::string(100000, '2'))});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kMalformedReply,
              ReplyError::kNotAReply, "not an SMTP reply");
}

TEST(SessionHostileTest, TenMegabyteEhloReply) {
  std::string huge = "250-mx.test\r\n";
  const std::string line = "250-X-JUNK " + std::string(985, 'j') + "\r\n";
  while (huge.size() < 10 * 1024 * 1024) huge += line;
  huge += "250 STARTTLS\r\n";
  const Transcript t = RunEverySplit(Options(), {Send(kBanner), Send(huge)});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo));
  ExpectError(t.result, Stage::kEhlo, ErrorKind::kReplyTooLarge,
              ReplyError::kReplyTooLarge, "longer than 65536");
  EXPECT_THAT(t.result.ehlo.extensions, IsEmpty());
  EXPECT_FALSE(t.result.starttls_offered);
}

TEST(SessionHostileTest, BannerThatNeverEnds) {
  // Continuation lines forever: the lines cap ends it.
  std::string banner;
  for (int i = 0; i < 1000; ++i) banner += "220-still greeting you\r\n";
  const Transcript t = RunEverySplit(Options(), {Send(banner)});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kReplyTooLarge,
              ReplyError::kTooManyLines, "more than 100 lines");
  EXPECT_THAT(t.writes, IsEmpty());
}

TEST(SessionHostileTest, BannerThatNeverCompletesTimesOut) {
  // A slow drip that stays under every cap: the banner deadline ends it.
  const Transcript t = RunEverySplit(
      Options(), {Send("220-a\r\n"), Send("220-b\r\n"), Send("220-c\r\n")});
  ASSERT_TRUE(t.result.error.has_value());
  EXPECT_EQ(t.result.error->stage, Stage::kBanner);
  EXPECT_THAT(t.result.error->message, HasSubstr("middle of a reply"));
}

TEST(SessionHostileTest, BinaryGarbageAtBanner) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>(i * 37));
  const Transcript t = RunEverySplit(Options(), {Send(garbage)});
  EXPECT_THAT(t.writes, IsEmpty());
  ExpectError(t.result, Stage::kBanner, ErrorKind::kMalformedReply,
              ReplyError::kNotAReply, "not an SMTP reply");
}

TEST(SessionHostileTest, TlsServerOnThePort) {
  // A ServerHello-shaped record (an implicit-TLS port probed as SMTP).
  const Transcript t = RunEverySplit(
      Options(),
      {Send(std::string("\x16\x03\x03\x00\x31\x02\x00\x00\x2d", 9))});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kMalformedReply,
              ReplyError::kNotAReply, "0x16");
}

TEST(SessionHostileTest, HttpServerOnThePort) {
  const Transcript t = RunEverySplit(
      Options(), {Send("HTTP/1.1 400 Bad Request\r\nServer: x\r\n\r\n")});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kMalformedReply,
              ReplyError::kNotAReply, "not an SMTP reply");
}

TEST(SessionHostileTest, NulInBanner) {
  const Transcript t =
      RunEverySplit(Options(), {Send(std::string("220 mx\0test\r\n", 13))});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kMalformedReply,
              ReplyError::kBadCharacter, "control character 0x00");
}

TEST(SessionHostileTest, CodeMismatchInEhloReply) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send("250-mx.test\r\n251 STARTTLS\r\n")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo));  // broken framing: no QUIT
  ExpectError(t.result, Stage::kEhlo, ErrorKind::kMalformedReply,
              ReplyError::kCodeMismatch, "code 251");
}

TEST(SessionHostileTest, GarbageReplyToQuit) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send("250 mx.test\r\n"), Send("\xff\xfe garbage")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  ExpectError(t.result, Stage::kQuit, ErrorKind::kMalformedReply,
              ReplyError::kNotAReply, "not an SMTP reply");
}

TEST(SessionHostileTest, GarbageAfterAnEarlierErrorKeepsTheFirstError) {
  const Transcript t =
      RunEverySplit(Options(), {Send("554 no\r\n"), Send("\x01\x02")});
  EXPECT_THAT(t.writes, ElementsAre(kQuit));
  ASSERT_TRUE(t.result.error.has_value());
  EXPECT_EQ(t.result.error->stage, Stage::kBanner);
  EXPECT_EQ(t.result.error->code, 554);
}

TEST(SessionHostileTest, ExtraBytesAfterStartTls220AreAnInjection) {
  // CVE-2011-0411 style: a man in the middle appends a command-shaped
  // reply to the 220; it must not be read inside TLS.
  const Transcript t =
      RunEverySplit(Options(),
                    {Send(kBanner), Send(kEhloWithStartTls),
                     Send("220 ready\r\n250-injected\r\n250 AUTH PLAIN\r\n"),
                     HandshakeOk(), Send("250 mx.test\r\n"), Send(kBye)},
                    /*adapter_equivalent=*/false);
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls));
  ExpectError(t.result, Stage::kStartTls, ErrorKind::kStartTlsInjection,
              ReplyError::kNone, "injection");
  EXPECT_EQ(t.result.starttls_code, 220);
  EXPECT_FALSE(t.result.tls_attempted);
  EXPECT_FALSE(t.result.tls_succeeded);
  EXPECT_THAT(t.result.ehlo_tls.extensions, IsEmpty());
  EXPECT_EQ(t.unused_events, 3u);
}

TEST(SessionHostileTest, ExtraBytesInALaterReadBeforeTheHandshake) {
  // The same bytes in their own read, fed while kStartTls is pending.
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send("220 go\r\n"),
                  Send("250 AUTH PLAIN\r\n")});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls));
  ExpectError(t.result, Stage::kStartTls, ErrorKind::kStartTlsInjection,
              ReplyError::kNone, "injection");
  EXPECT_FALSE(t.result.tls_attempted);
}

TEST(SessionHostileTest, OneExtraByteAfterStartTls220) {
  const Transcript t = RunEverySplit(
      Options(), {Send(kBanner), Send(kEhloWithStartTls), Send("220 go\r\n\n")},
      /*adapter_equivalent=*/false);
  ExpectError(t.result, Stage::kStartTls, ErrorKind::kStartTlsInjection,
              ReplyError::kNone, "injection");
}

TEST(SessionHostileTest, AdapterHandsLeftoversToTlsWhichFails) {
  // Acting after every read (as an adapter does), bytes that arrive after
  // the 220 in a later read reach TLS, never the SMTP parser.
  testing::Cutting adapter;
  adapter.mode = testing::Cutting::Mode::kTrickle;
  adapter.act_between_pieces = true;
  const Transcript t =
      testing::RunScript(Options(),
                         {Send(kBanner), Send(kEhloWithStartTls),
                          Send("220 ready\r\n250 AUTH PLAIN\r\n"),
                          HandshakeOk(), Send("250 mx.test\r\n"), Send(kBye)},
                         adapter);
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kStartTls));
  ASSERT_TRUE(t.result.error.has_value());
  EXPECT_EQ(t.result.error->stage, Stage::kHandshake);
  EXPECT_FALSE(t.result.tls_succeeded);
}

TEST(SessionHostileTest, EarlyTalkerAfterBannerIsNotedAndTolerated) {
  // The server sends a second greeting before our EHLO; it answers nothing
  // and is dropped, so the real EHLO reply still lines up.
  const Transcript t =
      RunEverySplit(Options(),
                    {Send("220 mx.test ESMTP\r\n220 mx.test ESMTP again\r\n"),
                     Send(kEhloWithStartTls), Send("220 go\r\n"), HandshakeOk(),
                     Send("250 mx.test\r\n"), Send(kBye)},
                    /*adapter_equivalent=*/false);
  EXPECT_THAT(t.writes,
              ElementsAre(kEhlo, kStartTls, "tls:" + std::string(kEhlo),
                          "tls:QUIT\r\n"));
  EXPECT_FALSE(t.result.error.has_value());
  EXPECT_EQ(t.result.early_data_bytes,
            std::string("220 mx.test ESMTP again\r\n").size());
  EXPECT_EQ(t.result.early_data_stage, Stage::kEhlo);
  EXPECT_TRUE(t.result.starttls_offered);
  EXPECT_TRUE(t.result.tls_succeeded);
}

TEST(SessionHostileTest, EarlyGarbageIsDroppedUnparsed) {
  const Transcript t =
      RunEverySplit(Options(),
                    {Send(std::string(kBanner) + "\x16\x03\x01 binary"),
                     Send("250 mx.test\r\n"), Send(kBye)},
                    /*adapter_equivalent=*/false);
  EXPECT_THAT(t.writes, ElementsAre(kEhlo, kQuit));
  EXPECT_FALSE(t.result.error.has_value());
  EXPECT_EQ(t.result.early_data_bytes, 10u);
}

TEST(SessionHostileTest, EarlyDataAfterEhloReply) {
  const Transcript t = RunEverySplit(
      Options(),
      {Send(kBanner), Send(std::string(kEhloWithStartTls) + "220 early\r\n"),
       Send("220 go\r\n"), HandshakeOk(), Send("250 mx.test\r\n"), Send(kBye)},
      /*adapter_equivalent=*/false);
  EXPECT_FALSE(t.result.error.has_value());
  EXPECT_EQ(t.result.early_data_stage, Stage::kStartTls);
  EXPECT_EQ(t.result.early_data_bytes, 11u);
  EXPECT_TRUE(t.result.tls_succeeded);
}

TEST(SessionHostileTest, TooManyEhloLines) {
  std::string ehlo = "250-mx.test\r\n";
  for (int i = 0; i < 150; ++i) ehlo += "250-X" + std::to_string(i) + "\r\n";
  ehlo += "250 STARTTLS\r\n";
  const Transcript t = RunEverySplit(Options(), {Send(kBanner), Send(ehlo)});
  ExpectError(t.result, Stage::kEhlo, ErrorKind::kReplyTooLarge,
              ReplyError::kTooManyLines, "more than 100 lines");
}

TEST(SessionHostileTest, SmallerCapsFromOptions) {
  SessionOptions o = Options();
  o.limits.max_line_length = 64;
  const Transcript t =
      RunEverySplit(o, {Send("220 " + std::string(70, 'x') + "\r\n")});
  ExpectError(t.result, Stage::kBanner, ErrorKind::kReplyTooLarge,
              ReplyError::kLineTooLong, "longer than 64");
}

TEST(SessionHostileTest, EveryHostileScriptSendsOnlyOurCommands) {
  const std::vector<testing::Script> scripts = {
      {Send("554 no\r\n"), Send("554 no\r\n"), Send("554 no\r\n")},
      {Send(kBanner), Send("502 x\r\n"), Send("502 x\r\n"), Send("502 x\r\n")},
      {Send(kBanner), Send(kEhloWithStartTls), Send("220 go\r\n"),
       HandshakeOk(), Send(kEhloWithStartTls), Send("220 again\r\n"),
       Send("220 again\r\n")},
      {Send("220 a\r\n220 b\r\n220 c\r\n"), Send("220 d\r\n"),
       Send("220 e\r\n"), Send("220 f\r\n")},
  };
  for (const testing::Script& s : scripts) {
    const Transcript t = RunEverySplit(Options(), s, false);
    ExpectOnlyOurCommands(t);
    EXPECT_LE(t.writes.size(), 5u);
  }
}

TEST(SessionHostileTest, TimeoutAfterEarlyData) {
  const Transcript t =
      RunEverySplit(Options(), {Send("220 hi\r\n250 early\r\n"), Timeout()},
                    /*adapter_equivalent=*/false);
  ASSERT_TRUE(t.result.error.has_value());
  EXPECT_EQ(t.result.error->stage, Stage::kEhlo);
  EXPECT_EQ(t.result.early_data_bytes, std::string("250 early\r\n").size());
}

TEST(SessionHostileTest, CloseRightAfterBanner) {
  const Transcript t = RunEverySplit(Options(), {Send(kBanner), PeerClose()});
  EXPECT_THAT(t.writes, ElementsAre(kEhlo));
  ExpectError(t.result, Stage::kEhlo, ErrorKind::kPeerClosed, ReplyError::kNone,
              "closed by the server");
}

}  // namespace
}  // namespace mxscan::smtp
