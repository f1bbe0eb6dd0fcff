// The Session's calling protocol, driven by hand: what NextAction() asks
// for at each point, stage(), events that come late, twice or out of
// order, and option checking.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {
namespace {

using Action = Session::Action;
using ::testing::HasSubstr;

SessionOptions Options() {
  SessionOptions o;
  o.ehlo_name = "scanner.test";
  return o;
}

TEST(SessionApiTest, WalkThroughAStartTlsProbe) {
  Session s(Options());
  EXPECT_EQ(s.NextAction(), Action::kConnect);
  EXPECT_EQ(s.stage(), Stage::kConnect);
  s.OnConnected();
  EXPECT_EQ(s.NextAction(), Action::kRead);
  EXPECT_EQ(s.stage(), Stage::kBanner);
  EXPECT_EQ(s.TakeOutgoing(), "");

  s.OnBytes("220 mx ESMTP\r\n");
  EXPECT_EQ(s.NextAction(), Action::kWrite);
  EXPECT_EQ(s.stage(), Stage::kEhlo);
  EXPECT_EQ(s.TakeOutgoing(), "EHLO scanner.test\r\n");
  EXPECT_EQ(s.NextAction(), Action::kRead);

  s.OnBytes("250-mx\r\n250 STARTTLS\r\n");
  EXPECT_EQ(s.NextAction(), Action::kWrite);
  EXPECT_EQ(s.stage(), Stage::kStartTls);
  EXPECT_EQ(s.TakeOutgoing(), "STARTTLS\r\n");

  s.OnBytes("220 go\r\n");
  EXPECT_EQ(s.NextAction(), Action::kStartTls);
  EXPECT_EQ(s.stage(), Stage::kHandshake);
  // Asking again does not change the answer.
  EXPECT_EQ(s.NextAction(), Action::kStartTls);

  s.OnTlsHandshakeDone(true, "");
  EXPECT_EQ(s.NextAction(), Action::kWrite);
  EXPECT_EQ(s.stage(), Stage::kEhloTls);
  EXPECT_EQ(s.TakeOutgoing(), "EHLO scanner.test\r\n");

  s.OnBytes("250 mx\r\n");
  EXPECT_EQ(s.stage(), Stage::kQuit);
  EXPECT_EQ(s.TakeOutgoing(), "QUIT\r\n");
  EXPECT_EQ(s.NextAction(), Action::kRead);

  s.OnBytes("221 bye\r\n");
  EXPECT_EQ(s.NextAction(), Action::kClose);
  EXPECT_EQ(s.stage(), Stage::kUnspecified);
  s.OnClosed();
  EXPECT_EQ(s.NextAction(), Action::kDone);
  EXPECT_FALSE(s.result().error.has_value());
  EXPECT_TRUE(s.result().tls_succeeded);
}

TEST(SessionApiTest, LateAndDuplicateEventsAreIgnored) {
  Session s(Options());
  s.OnConnected();
  s.OnConnected();
  s.OnTlsHandshakeDone(true, "");  // nobody asked for one
  EXPECT_EQ(s.NextAction(), Action::kRead);
  EXPECT_FALSE(s.result().tls_attempted);
  s.OnBytes("421 bye\r\n");
  EXPECT_EQ(s.NextAction(), Action::kClose);
  s.OnBytes("220 late\r\n");
  s.OnTimeout();
  s.OnPeerClosed();
  s.OnConnectFailed(1, "late");
  s.OnClosed();
  s.OnClosed();
  EXPECT_EQ(s.NextAction(), Action::kDone);
  ASSERT_TRUE(s.result().error.has_value());
  EXPECT_EQ(s.result().error->stage, Stage::kBanner);
  EXPECT_EQ(s.result().error->code, 421);
  EXPECT_EQ(s.result().banner_code, 421);
}

TEST(SessionApiTest, BytesBeforeOnConnectedImplyAConnection) {
  Session s(Options());
  s.OnBytes("220 mx\r\n");
  EXPECT_TRUE(s.result().connected);
  EXPECT_EQ(s.TakeOutgoing(), "EHLO scanner.test\r\n");
}

TEST(SessionApiTest, EmptyReadsChangeNothing) {
  Session s(Options());
  s.OnConnected();
  s.OnBytes("");
  s.OnBytes("220 mx\r\n");
  s.OnBytes("");  // before EHLO was taken: not early data
  EXPECT_EQ(s.result().early_data_bytes, 0u);
  EXPECT_EQ(s.TakeOutgoing(), "EHLO scanner.test\r\n");
}

TEST(SessionApiTest, ClosingEarlyIsRecorded) {
  Session s(Options());
  s.OnConnected();
  s.OnBytes("220 mx\r\n");
  s.OnClosed();  // the caller gives up (shutdown, say)
  EXPECT_EQ(s.NextAction(), Action::kDone);
  EXPECT_EQ(s.TakeOutgoing(), "");
  ASSERT_TRUE(s.result().error.has_value());
  EXPECT_EQ(s.result().error->stage, Stage::kEhlo);
  EXPECT_THAT(s.result().error->message, HasSubstr("client"));
  EXPECT_EQ(s.result().error->kind, ErrorKind::kLocalClose);
}

TEST(SessionApiTest, TimeoutWhileOurCommandWaitsToBeWritten) {
  Session s(Options());
  s.OnConnected();
  s.OnBytes("220 mx\r\n");
  ASSERT_EQ(s.NextAction(), Action::kWrite);
  s.OnTimeout();
  EXPECT_EQ(s.NextAction(), Action::kClose);
  EXPECT_EQ(s.TakeOutgoing(), "");
  ASSERT_TRUE(s.result().error.has_value());
  EXPECT_EQ(s.result().error->stage, Stage::kEhlo);
  EXPECT_THAT(s.result().error->message, HasSubstr("writing"));
}

TEST(SessionApiTest, HandshakeFailureWithoutMessage) {
  Session s(Options());
  s.OnConnected();
  s.OnBytes("220 mx\r\n");
  s.TakeOutgoing();
  s.OnBytes("250 STARTTLS\r\n");  // a one-line EHLO reply: no extensions
  EXPECT_EQ(s.TakeOutgoing(), "QUIT\r\n");
  EXPECT_FALSE(s.result().starttls_offered);
}

TEST(SessionApiTest, InvalidEhloNameFailsBeforeConnecting) {
  for (const char* name : {"", "a b", "evil\r\nMAIL FROM:<x>", "tab\there"}) {
    SessionOptions o;
    o.ehlo_name = name;
    Session s(o);
    EXPECT_EQ(s.NextAction(), Action::kDone) << name;
    ASSERT_TRUE(s.result().error.has_value());
    EXPECT_EQ(s.result().error->stage, Stage::kInput);
    EXPECT_EQ(s.result().error->kind, ErrorKind::kInvalidOptions);
    s.OnConnected();
    s.OnBytes("220 mx\r\n");
    EXPECT_EQ(s.TakeOutgoing(), "");
    EXPECT_FALSE(s.result().connected);
  }
  SessionOptions o;
  o.ehlo_name = std::string(256, 'a');
  EXPECT_EQ(Session(o).NextAction(), Action::kDone);
}

TEST(SessionApiTest, ValidateEhloName) {
  EXPECT_TRUE(ValidateEhloName("scanner.example.org").ok());
  EXPECT_TRUE(ValidateEhloName("[192.0.2.1]").ok());
  EXPECT_TRUE(ValidateEhloName("[IPv6:2001:db8::1]").ok());
  EXPECT_TRUE(ValidateEhloName(std::string(255, 'a')).ok());
  EXPECT_FALSE(ValidateEhloName("").ok());
  EXPECT_FALSE(ValidateEhloName(std::string(256, 'a')).ok());
  EXPECT_FALSE(ValidateEhloName("a\nb").ok());
  EXPECT_FALSE(ValidateEhloName("caf\xc3\xa9").ok());
}

TEST(SessionApiTest, DefaultOptions) {
  const SessionOptions o;
  EXPECT_EQ(o.ehlo_name, "localhost");
  EXPECT_TRUE(o.want_starttls);
  EXPECT_EQ(o.limits.max_line_length, 2048u);
  EXPECT_EQ(o.limits.max_lines, 100u);
  EXPECT_EQ(o.limits.max_reply_bytes, 65536u);
}

TEST(SessionApiTest, Names) {
  EXPECT_EQ(ActionName(Action::kConnect), "connect");
  EXPECT_EQ(ActionName(Action::kWrite), "write");
  EXPECT_EQ(ActionName(Action::kRead), "read");
  EXPECT_EQ(ActionName(Action::kStartTls), "starttls");
  EXPECT_EQ(ActionName(Action::kClose), "close");
  EXPECT_EQ(ActionName(Action::kDone), "done");
  EXPECT_EQ(StageName(Stage::kUnspecified), "STAGE_UNSPECIFIED");
  EXPECT_EQ(StageName(Stage::kConnect), "CONNECT");
  EXPECT_EQ(StageName(Stage::kBanner), "BANNER");
  EXPECT_EQ(StageName(Stage::kEhlo), "EHLO");
  EXPECT_EQ(StageName(Stage::kStartTls), "STARTTLS");
  EXPECT_EQ(StageName(Stage::kHandshake), "HANDSHAKE");
  EXPECT_EQ(StageName(Stage::kEhloTls), "EHLO_TLS");
  EXPECT_EQ(StageName(Stage::kQuit), "QUIT");
  EXPECT_EQ(StageName(Stage::kInput), "INPUT");
  EXPECT_EQ(ErrorKindName(ErrorKind::kNone), "none");
  EXPECT_EQ(ErrorKindName(ErrorKind::kConnectFailed), "connect_failed");
  EXPECT_EQ(ErrorKindName(ErrorKind::kTimeout), "timeout");
  EXPECT_EQ(ErrorKindName(ErrorKind::kPeerClosed), "peer_closed");
  EXPECT_EQ(ErrorKindName(ErrorKind::kLocalClose), "local_close");
  EXPECT_EQ(ErrorKindName(ErrorKind::kTemporary), "temporary");
  EXPECT_EQ(ErrorKindName(ErrorKind::kRefused), "refused");
  EXPECT_EQ(ErrorKindName(ErrorKind::kUnexpectedReply), "unexpected_reply");
  EXPECT_EQ(ErrorKindName(ErrorKind::kMalformedReply), "malformed_reply");
  EXPECT_EQ(ErrorKindName(ErrorKind::kReplyTooLarge), "reply_too_large");
  EXPECT_EQ(ErrorKindName(ErrorKind::kStartTlsInjection), "starttls_injection");
  EXPECT_EQ(ErrorKindName(ErrorKind::kHandshakeFailed), "handshake_failed");
  EXPECT_EQ(ErrorKindName(ErrorKind::kInvalidOptions), "invalid_options");
}

}  // namespace
}  // namespace mxscan::smtp
