#include "tools/farm/smtp_session.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::farm {
namespace {

using Then = Step::Then;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

SmtpSite Site(SmtpBehaviour behaviour) {
  SmtpSite site;
  site.address = "127.77.0.1";
  site.behaviour = behaviour;
  site.names = {"mx.example.sim"};
  site.delay_ms = 1234;
  return site;
}

// Feeds `input` one byte at a time and gathers everything sent, as long as
// the steps stay kRead.
std::string Trickle(SmtpSession* session, const std::string& input,
                    Step* last) {
  std::string sent;
  for (char c : input) {
    *last = session->OnBytes(std::string(1, c));
    sent += last->send;
    if (last->then != Then::kRead) break;
  }
  return sent;
}

TEST(SmtpSessionTest, ValidConversationSurvivesAnySplit) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  const Step banner = session.Start();
  EXPECT_EQ(banner.send, "220 mx.example.sim ESMTP mxscan farm\r\n");
  EXPECT_EQ(banner.then, Then::kRead);
  Step last;
  const std::string ehlo = Trickle(&session, "EHLO client.test\r\n", &last);
  EXPECT_EQ(ehlo,
            "250-mx.example.sim Hello client.test\r\n250-PIPELINING\r\n"
            "250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
            "250-8BITMIME\r\n250 SMTPUTF8\r\n");
  EXPECT_EQ(Trickle(&session, "STARTTLS\r\n", &last),
            "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_EQ(last.then, Then::kStartTls);
  EXPECT_TRUE(session.tls());
  EXPECT_EQ(session.OnTlsEstablished("mx.example.sim").then, Then::kRead);
  const std::string inside = Trickle(&session, "ehlo again\r\n", &last);
  EXPECT_THAT(inside, StartsWith("250-mx.example.sim Hello again\r\n"));
  EXPECT_THAT(inside, Not(HasSubstr("STARTTLS")));
  EXPECT_EQ(Trickle(&session, "QUIT\r\n", &last), "221 2.0.0 Bye\r\n");
  EXPECT_EQ(last.then, Then::kClose);
}

TEST(SmtpSessionTest, BareLineFeedsAndPipelining) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  session.Start();
  const Step step = session.OnBytes("NOOP\nRSET\r\nHELO x\r\n");
  EXPECT_EQ(step.send,
            "250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n250 mx.example.sim\r\n");
}

TEST(SmtpSessionTest, PlaintextAfterStarttlsIsDropped) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  session.Start();
  const Step step = session.OnBytes("STARTTLS\r\nNOOP\r\n");
  EXPECT_EQ(step.send, "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_EQ(step.then, Then::kStartTls);
  // Inside TLS, the NOOP sent in the clear is gone.
  EXPECT_EQ(session.OnBytes("HELO a\r\n").send, "250 mx.example.sim\r\n");
}

TEST(SmtpSessionTest, StarttlsAnswersPerBehaviour) {
  struct Case {
    SmtpBehaviour behaviour;
    std::string reply_prefix;
    Then then;
  };
  for (const Case& c : {
           Case{SmtpBehaviour::kNoStarttls, "502 ", Then::kRead},
           Case{SmtpBehaviour::kEhlo502, "502 ", Then::kRead},
           Case{SmtpBehaviour::kStarttlsRefused, "454 4.7.0 ", Then::kRead},
           Case{SmtpBehaviour::kGarbageTls, "220 ", Then::kGarbageTls},
           Case{SmtpBehaviour::kResetHandshake, "220 ", Then::kResetHandshake},
           Case{SmtpBehaviour::kTls10Only, "220 ", Then::kStartTls},
           Case{SmtpBehaviour::kExpired, "220 ", Then::kStartTls},
       }) {
    const SmtpSite site = Site(c.behaviour);
    SmtpSession session(site);
    session.Start();
    const Step step = session.OnBytes("STARTTLS\r\n");
    EXPECT_THAT(step.send, StartsWith(c.reply_prefix))
        << SmtpBehaviourName(c.behaviour);
    EXPECT_EQ(step.then, c.then) << SmtpBehaviourName(c.behaviour);
  }
}

TEST(SmtpSessionTest, StarttlsInjectionSendsTwoRepliesAtOnce) {
  const SmtpSite site = Site(SmtpBehaviour::kStarttlsInjection);
  SmtpSession session(site);
  session.Start();
  const Step step = session.OnBytes("STARTTLS\r\n");
  EXPECT_EQ(step.send,
            "220 2.0.0 Ready to start TLS\r\n"
            "250 2.0.0 injected before the handshake\r\n");
  EXPECT_EQ(step.then, Then::kStartTls);
}

TEST(SmtpSessionTest, EhloAndNoStarttls) {
  const SmtpSite site = Site(SmtpBehaviour::kNoStarttls);
  SmtpSession session(site);
  session.Start();
  const Step step = session.OnBytes("EHLO a\r\n");
  EXPECT_THAT(step.send, StartsWith("250-mx.example.sim"));
  EXPECT_THAT(step.send, Not(HasSubstr("STARTTLS")));
}

TEST(SmtpSessionTest, Ehlo502) {
  const SmtpSite site = Site(SmtpBehaviour::kEhlo502);
  SmtpSession session(site);
  session.Start();
  EXPECT_THAT(session.OnBytes("EHLO a\r\n").send, StartsWith("502 5.5.2 "));
  EXPECT_EQ(session.OnBytes("HELO a\r\n").send, "250 mx.example.sim\r\n");
}

TEST(SmtpSessionTest, OpeningBehaviours) {
  {
    const SmtpSite site = Site(SmtpBehaviour::kDefer421);
    SmtpSession session(site);
    const Step step = session.Start();
    EXPECT_THAT(step.send, StartsWith("421 4.3.2 mx.example.sim "));
    EXPECT_EQ(step.then, Then::kClose);
  }
  {
    const SmtpSite site = Site(SmtpBehaviour::kSilent);
    SmtpSession session(site);
    EXPECT_EQ(session.Start().send, "");
    EXPECT_EQ(session.OnBytes("EHLO a\r\n").send, "");
  }
  {
    const SmtpSite site = Site(SmtpBehaviour::kMultilineBanner);
    SmtpSession session(site);
    const Step step = session.Start();
    EXPECT_THAT(step.send, StartsWith("220-mx.example.sim "));
    EXPECT_TRUE(absl::StrContains(step.send, "\r\n220 "));
  }
}

TEST(SmtpSessionTest, SlowBannerWaitsThenAnswersEarlyTalker) {
  const SmtpSite site = Site(SmtpBehaviour::kSlowBanner);
  SmtpSession session(site);
  const Step wait = session.Start();
  EXPECT_EQ(wait.send, "");
  EXPECT_EQ(wait.then, Then::kWait);
  EXPECT_EQ(wait.wait_ms, 1234);
  EXPECT_EQ(session.OnBytes("NOOP\r\n").send, "");  // before the banner
  const Step banner = session.OnTimer();
  EXPECT_EQ(banner.send,
            "220 mx.example.sim ESMTP mxscan farm\r\n250 2.0.0 Ok\r\n");
}

TEST(SmtpSessionTest, EndlessLineIsCapped) {
  const SmtpSite site = Site(SmtpBehaviour::kEndlessLine);
  SmtpSession session(site);
  Step step = session.Start();
  EXPECT_THAT(step.send, StartsWith("220 xxx"));
  size_t total = step.send.size();
  int steps = 1;
  while (step.then == Then::kStream) {
    step = session.OnDrained();
    EXPECT_LE(step.send.size(), SmtpSession::kStreamChunk);
    EXPECT_EQ(step.send.find('\n'), std::string::npos);
    total += step.send.size();
    ASSERT_LT(++steps, 1000);
  }
  EXPECT_EQ(step.then, Then::kClose);
  EXPECT_EQ(total, SmtpSession::kStreamCap);
}

TEST(SmtpSessionTest, HugeReplyStreamsThenAnswersPipelinedCommands) {
  const SmtpSite site = Site(SmtpBehaviour::kHugeReply);
  SmtpSession session(site);
  session.Start();
  Step step = session.OnBytes("EHLO a\r\nNOOP\r\n");
  EXPECT_EQ(step.send, "250-mx.example.sim Hello a\r\n");
  size_t total = 0;
  std::string last;
  while (step.then == Then::kStream) {
    step = session.OnDrained();
    total += step.send.size();
    last = step.send;
  }
  EXPECT_GE(total, SmtpSession::kStreamCap);
  EXPECT_TRUE(
      absl::EndsWith(last, "250-STARTTLS\r\n250 8BITMIME\r\n250 2.0.0 Ok\r\n"));
  EXPECT_EQ(step.then, Then::kRead);
}

TEST(SmtpSessionTest, LongLineEndsTheConversation) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  session.Start();
  const Step step =
      session.OnBytes(std::string(SmtpSession::kMaxLine + 1, 'a'));
  EXPECT_THAT(step.send, StartsWith("500 "));
  EXPECT_EQ(step.then, Then::kClose);
  EXPECT_EQ(session.OnBytes("NOOP\r\n").send, "");
}

TEST(SmtpSessionTest, TooMuchInputBeforeTheBanner) {
  const SmtpSite site = Site(SmtpBehaviour::kSlowBanner);
  SmtpSession session(site);
  session.Start();
  Step step;
  for (int i = 0; i < 100 && step.then == Then::kRead; ++i) {
    step = session.OnBytes(std::string(1000, 'a'));
  }
  EXPECT_EQ(step.then, Then::kClose);
}

TEST(SmtpSessionTest, TooManyErrors) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  session.Start();
  Step step;
  int n = 0;
  while (step.then == Then::kRead && n < 100) {
    step = session.OnBytes("BOGUS\r\n");
    ++n;
  }
  EXPECT_EQ(n, SmtpSession::kMaxErrors);
  EXPECT_THAT(step.send, HasSubstr("421 4.7.0 "));
  EXPECT_EQ(step.then, Then::kClose);
}

TEST(SmtpSessionTest, MailIsRefused) {
  const SmtpSite site = Site(SmtpBehaviour::kValid);
  SmtpSession session(site);
  session.Start();
  EXPECT_THAT(session.OnBytes("MAIL FROM:<a@b.sim>\r\n").send,
              StartsWith("554 5.7.1 "));
}

}  // namespace
}  // namespace mxscan::farm
