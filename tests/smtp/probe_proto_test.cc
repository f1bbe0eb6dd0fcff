// Filling mxscan.SmtpProbe from a session's result.

#include "scanner/smtp/probe_proto.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/mxscan.pb.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {
namespace {

using ::testing::ElementsAre;

SessionResult FullResult() {
  Session s([] {
    SessionOptions o;
    o.ehlo_name = "scanner.test";
    return o;
  }());
  s.OnConnected();
  s.OnBytes("220-mx.test ESMTP\r\n220 second line\r\n");
  s.TakeOutgoing();
  s.OnBytes("250-mx.test\r\n250-SIZE 1000\r\n250-starttls\r\n250 8BITMIME\r\n");
  s.TakeOutgoing();
  s.OnBytes("220 go\r\n");
  s.OnTlsHandshakeDone(true, "");
  s.TakeOutgoing();
  s.OnBytes("250-mx.test\r\n250 AUTH PLAIN\r\n");
  s.TakeOutgoing();
  s.OnBytes("221 bye\r\n");
  s.OnClosed();
  return s.result();
}

TEST(ProbeProtoTest, FillsEveryField) {
  SmtpProbe probe;
  FillSmtpProbe(FullResult(), &probe);
  EXPECT_TRUE(probe.connected());
  EXPECT_EQ(probe.banner_code(), 220u);
  EXPECT_EQ(probe.banner(), "mx.test ESMTP\nsecond line");
  EXPECT_THAT(probe.ehlo_extensions(),
              ElementsAre("SIZE 1000", "STARTTLS", "8BITMIME"));
  EXPECT_TRUE(probe.starttls_offered());
  EXPECT_EQ(probe.starttls_code(), 220u);
  EXPECT_FALSE(probe.deferred());
  EXPECT_FALSE(probe.has_error());
  ASSERT_TRUE(probe.has_tls());
  EXPECT_THAT(probe.tls().ehlo_extensions_tls(), ElementsAre("AUTH PLAIN"));
}

TEST(ProbeProtoTest, NoTlsWithoutHandshake) {
  SessionResult r;
  r.connected = true;
  r.banner_code = 421;
  r.banner_lines = {"try later"};
  r.deferred = true;
  r.error = SessionError{Stage::kBanner, ErrorKind::kTemporary,
                         ReplyError::kNone, 421, "temporary failure"};
  SmtpProbe probe;
  FillSmtpProbe(r, &probe);
  EXPECT_FALSE(probe.has_tls());
  EXPECT_TRUE(probe.deferred());
  ASSERT_TRUE(probe.has_error());
  EXPECT_EQ(probe.error().stage(), ::mxscan::BANNER);
  EXPECT_EQ(probe.error().code(), 421);
  EXPECT_EQ(probe.error().message(), "temporary failure");
}

TEST(ProbeProtoTest, RefillingReplacesOldValues) {
  SmtpProbe probe;
  FillSmtpProbe(FullResult(), &probe);
  SessionResult failed;
  failed.error = SessionError{Stage::kConnect, ErrorKind::kConnectFailed,
                              ReplyError::kNone, 111, "refused"};
  FillSmtpProbe(failed, &probe);
  EXPECT_THAT(probe.ehlo_extensions(), ElementsAre());
  EXPECT_EQ(probe.error().stage(), ::mxscan::CONNECT);
  FillSmtpProbe(SessionResult(), &probe);
  EXPECT_FALSE(probe.has_error());
}

TEST(ProbeProtoTest, TlsLayerFieldsAreLeftAlone) {
  SmtpProbe probe;
  probe.mutable_tls()->set_version("TLSv1.3");
  probe.set_duration_ms(12);
  FillSmtpProbe(FullResult(), &probe);
  EXPECT_EQ(probe.tls().version(), "TLSv1.3");
  EXPECT_EQ(probe.duration_ms(), 12);
}

TEST(ProbeProtoTest, StageMapping) {
  EXPECT_EQ(ToProtoStage(Stage::kUnspecified), ::mxscan::STAGE_UNSPECIFIED);
  EXPECT_EQ(ToProtoStage(Stage::kConnect), ::mxscan::CONNECT);
  EXPECT_EQ(ToProtoStage(Stage::kBanner), ::mxscan::BANNER);
  EXPECT_EQ(ToProtoStage(Stage::kEhlo), ::mxscan::EHLO);
  EXPECT_EQ(ToProtoStage(Stage::kStartTls), ::mxscan::STARTTLS);
  EXPECT_EQ(ToProtoStage(Stage::kHandshake), ::mxscan::HANDSHAKE);
  EXPECT_EQ(ToProtoStage(Stage::kEhloTls), ::mxscan::EHLO_TLS);
  EXPECT_EQ(ToProtoStage(Stage::kQuit), ::mxscan::QUIT);
  EXPECT_EQ(ToProtoStage(Stage::kInput), ::mxscan::INPUT);
  // The numbers agree too, and so do the names.
  for (Stage s :
       {Stage::kConnect, Stage::kBanner, Stage::kEhlo, Stage::kStartTls,
        Stage::kHandshake, Stage::kEhloTls, Stage::kQuit, Stage::kInput}) {
    EXPECT_EQ(static_cast<int>(ToProtoStage(s)), static_cast<int>(s));
    EXPECT_EQ(::mxscan::Stage_Name(ToProtoStage(s)), StageName(s));
  }
}

TEST(ProbeProtoTest, ProtoSafeText) {
  EXPECT_EQ(ProtoSafeText("plain ascii"), "plain ascii");
  EXPECT_EQ(ProtoSafeText("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7");
  EXPECT_EQ(ProtoSafeText("M\xfcller"), "M\\xfcller");          // Latin-1
  EXPECT_EQ(ProtoSafeText("\xc0\xaf"), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(ProtoSafeText("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(ProtoSafeText("\xf4\x90\x80\x80"),
            "\\xf4\\x90\\x80\\x80");                   // > U+10FFFF
  EXPECT_EQ(ProtoSafeText("\xe2\x82"), "\\xe2\\x82");  // truncated
  EXPECT_EQ(ProtoSafeText(""), "");
}

TEST(ProbeProtoTest, Latin1BannerSurvivesSerialisation) {
  SessionResult r;
  r.connected = true;
  r.banner_code = 220;
  r.banner_lines = {"Willkommen bei M\xfcller"};
  SmtpProbe probe;
  FillSmtpProbe(r, &probe);
  std::string wire;
  ASSERT_TRUE(probe.SerializeToString(&wire));
  SmtpProbe back;
  ASSERT_TRUE(back.ParseFromString(wire));
  EXPECT_EQ(back.banner(), "Willkommen bei M\\xfcller");
}

}  // namespace
}  // namespace mxscan::smtp
