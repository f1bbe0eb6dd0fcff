// TlsStream against the simulated sector's farm on the test's own loop
// (127.0.0.1 and ::1): plaintext then STARTTLS, TLS from the start, a
// failed handshake, a deadline in each stage, the peer's close in each
// stage, and a handler that destroys its stream in a callback.

#include "scanner/core/tls_stream.h"

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/dead_ends.h"
#include "tests/testing/loopback_farm.h"

namespace mxscan {
namespace {

using ::mxscan::testing::DeadEnd;
using ::mxscan::testing::LoopbackFarmTest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Stage = core::TlsStream::Stage;
using CloseReason = core::TlsStream::CloseReason;

constexpr char kBehaviours[] = R"json({
  "127.0.0.1":  {"behaviour": "valid", "names": ["mx.valid.sim"]},
  "::1":        {"behaviour": "valid", "names": ["mx6.valid.sim"]},
  "127.81.0.2": {"behaviour": "silent", "names": ["mx.silent.sim"]},
  "127.81.0.3": {"behaviour": "defer_421", "names": ["mx.defer.sim"]},
  "127.81.0.4": {"behaviour": "reset_handshake", "names": ["mx.reset.sim"]},
  "127.81.0.5": {"behaviour": "tls10_only", "names": ["mx.old.sim"]},
  "127.81.0.6": {"behaviour": "slow_banner", "names": ["mx.slow.sim"],
                 "delay_ms": 5000}
})json";

constexpr char kPolicy[] =
    "version: STSv1\nmode: enforce\nmx: mx.valid.sim\nmax_age: 86400\n";

std::string StageName(Stage stage) {
  static const char* const kNames[] = {"idle",      "connect", "plaintext",
                                       "handshake", "tls",     "closed"};
  return kNames[static_cast<int>(stage)];
}

std::string ReasonName(CloseReason reason) {
  static const char* const kNames[] = {"connect_failed", "peer_closed",
                                       "close_notify", "tls_error"};
  return kNames[static_cast<int>(reason)];
}

// True when `text` ends with the last line of an SMTP reply ("250 ok").
bool WholeReply(const std::string& text) {
  if (!absl::EndsWith(text, "\r\n")) return false;
  const size_t start = text.rfind("\r\n", text.size() - 3);
  const size_t line = start == std::string::npos ? 0 : start + 2;
  return text.size() - line >= 4 && text[line + 3] == ' ';
}

// Client is a TlsStream's handler that logs every event ("connected",
// "handshake ok TLSv1.3", "closed peer_closed plaintext", ...), gathers
// the bytes, and lets each test act on the events. `finished` ends the
// test's loop.
class Client : public core::TlsStream::Handler {
 public:
  Client(uv_loop_t* loop, const core::TlsStreamOptions& options)
      : stream(std::make_unique<core::TlsStream>(loop, this)),
        options(options) {}

  void OnConnected() override {
    log.push_back("connected");
    if (on_connected) on_connected();
  }
  void OnBytes(absl::string_view bytes) override {
    received.append(bytes.data(), bytes.size());
    if (on_bytes) on_bytes();
  }
  void OnHandshakeDone(core::TlsStream::HandshakeResult result) override {
    log.push_back(result.ok ? absl::StrCat("handshake ok ", result.info.version)
                            : "handshake failed");
    handshake = std::move(result);
    if (on_handshake) on_handshake();
  }
  void OnNewSession() override { log.push_back("new session"); }
  void OnClosed(const core::TlsStream::Closed& c) override {
    log.push_back(
        absl::StrCat("closed ", ReasonName(c.reason), " ", StageName(c.stage)));
    closed = c;
    finished = true;
  }
  void OnDeadline(Stage stage) override {
    log.push_back(absl::StrCat("deadline ", StageName(stage)));
    if (on_deadline) {
      on_deadline();
    } else {
      stream->Close();
      finished = true;
    }
  }

  std::unique_ptr<core::TlsStream> stream;
  core::TlsStreamOptions options;
  std::vector<std::string> log;
  std::string received;
  core::TlsStream::HandshakeResult handshake;
  core::TlsStream::Closed closed;
  bool finished = false;
  std::function<void()> on_connected;
  std::function<void()> on_bytes;
  std::function<void()> on_handshake;
  std::function<void()> on_deadline;
};

class TlsStreamTest : public LoopbackFarmTest {
 protected:
  TlsStreamTest() : LoopbackFarmTest(kBehaviours, {{"valid.sim", kPolicy}}) {}

  void Connect(Client& client, const sockaddr* address) {
    uv_update_time(loop());  // deadlines count from now
    client.stream->Connect(address, client.options);
  }

  void RunUntilFinished(Client& client) {
    RunUntil([&] { return client.finished; });
  }

  // StartTlsOn makes `client` speak TLS from its connection on.
  void StartTlsOn(Client& client, const std::string& server_name) {
    client.on_connected = [this, &client, server_name] {
      EXPECT_TRUE(client.stream->StartTls(*context_, server_name).ok());
      EXPECT_EQ(client.stream->stage(), Stage::kHandshake);
    };
  }

  // SmtpUpToStarttls makes `client` read the banner, send EHLO, then
  // STARTTLS, and start TLS at its 220 (all plaintext so far).
  void SmtpUpToStarttls(Client& client, const std::string& server_name) {
    client.on_bytes = [this, &client, server_name, step = 0]() mutable {
      if (!WholeReply(client.received)) return;
      const std::string reply = std::exchange(client.received, "");
      EXPECT_EQ(client.stream->stage(), Stage::kPlaintext);
      switch (step++) {
        case 0:
          EXPECT_THAT(reply, StartsWith("220 " + server_name));
          EXPECT_TRUE(client.stream->Write("EHLO client.test\r\n").ok());
          return;
        case 1:
          EXPECT_THAT(reply, HasSubstr("250-STARTTLS\r\n"));
          EXPECT_TRUE(client.stream->Write("STARTTLS\r\n").ok());
          return;
        case 2:
          EXPECT_THAT(reply, StartsWith("220 "));
          EXPECT_TRUE(client.stream->StartTls(*context_, server_name).ok());
          client.on_bytes = nullptr;
          return;
      }
    };
  }
};

TEST_F(TlsStreamTest, PlaintextThenStarttls) {
  for (const auto& [ip, name] :
       {std::pair<std::string, std::string>{"127.0.0.1", "mx.valid.sim"},
        {"::1", "mx6.valid.sim"}}) {
    SCOPED_TRACE(ip);
    Client client(loop(), core::TlsStreamOptions());
    SmtpUpToStarttls(client, name);
    client.on_handshake = [&] {
      EXPECT_EQ(client.stream->stage(), Stage::kTls);
      EXPECT_TRUE(client.stream->Write("EHLO client.test\r\n").ok());
      client.on_bytes = [&, step = 0]() mutable {
        if (!WholeReply(client.received)) return;
        const std::string reply = std::exchange(client.received, "");
        if (step++ == 0) {
          // Inside TLS: no STARTTLS any more.
          EXPECT_THAT(reply, StartsWith("250-" + name));
          EXPECT_THAT(reply, ::testing::Not(HasSubstr("STARTTLS")));
          EXPECT_TRUE(client.stream->Write("QUIT\r\n").ok());
          return;
        }
        EXPECT_THAT(reply, StartsWith("221 "));
        client.stream->CloseNotify();
        client.stream->Close();
        client.finished = true;
      };
    };
    Connect(client, Smtp(ip));
    EXPECT_EQ(client.stream->stage(), Stage::kConnect);
    RunUntilFinished(client);
    EXPECT_EQ(client.stream->stage(), Stage::kClosed);
    ASSERT_GE(client.log.size(), 2u);
    EXPECT_EQ(client.log[0], "connected");
    EXPECT_EQ(client.log[1], "handshake ok TLSv1.3");
    EXPECT_TRUE(client.handshake.ok);
    EXPECT_EQ(client.handshake.info.chain_der.size(), 2u);
    // The server's TLS 1.3 ticket came with its first reply.
    EXPECT_THAT(client.log, ::testing::Contains("new session"));
    EXPECT_TRUE(client.stream->has_new_session());
    bssl::UniquePtr<SSL_SESSION> session = client.stream->Session();
    ASSERT_NE(session, nullptr);
    EXPECT_TRUE(SSL_SESSION_is_resumable(session.get()));
  }
}

TEST_F(TlsStreamTest, DirectTlsOverIpv4AndIpv6) {
  for (const std::string ip : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(ip);
    Client client(loop(), core::TlsStreamOptions());
    StartTlsOn(client, "mta-sts.valid.sim");
    client.on_handshake = [&] {
      EXPECT_TRUE(client.stream
                      ->Write("GET /.well-known/mta-sts.txt HTTP/1.1\r\n"
                              "Host: mta-sts.valid.sim\r\n\r\n")
                      .ok());
    };
    Connect(client, Https(ip));
    RunUntilFinished(client);
    // The server answers (its ticket comes with the answer), then ends
    // TLS with close_notify.
    EXPECT_THAT(client.log,
                ElementsAre("connected", "handshake ok TLSv1.3", "new session",
                            "closed close_notify tls"));
    EXPECT_THAT(client.received, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(absl::EndsWith(client.received, kPolicy));
    EXPECT_EQ(client.stream->stage(), Stage::kClosed);
  }
}

TEST_F(TlsStreamTest, WriteOutsideAnEventLeavesAtOnce) {
  Client client(loop(), core::TlsStreamOptions());
  Connect(client, Smtp("::1"));
  RunUntil([&] { return WholeReply(client.received); });
  EXPECT_TRUE(client.stream->Write("QUIT\r\n").ok());
  client.received.clear();
  RunUntil([&] { return WholeReply(client.received) || client.finished; });
  EXPECT_THAT(client.received, StartsWith("221 "));
}

TEST_F(TlsStreamTest, HandshakeFailureBringsItsReason) {
  // An SMTP banner is not a ServerHello.
  Client client(loop(), core::TlsStreamOptions());
  StartTlsOn(client, "mx.valid.sim");
  client.on_handshake = [&] {
    EXPECT_EQ(client.stream->stage(), Stage::kClosed);
    client.stream->Close();
    client.finished = true;
  };
  Connect(client, Smtp("127.0.0.1"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected", "handshake failed"));
  EXPECT_FALSE(client.handshake.ok);
  EXPECT_EQ(client.handshake.error,
            "error:100000f7:SSL routines:OPENSSL_internal:"
            "WRONG_VERSION_NUMBER");
}

TEST_F(TlsStreamTest, HandshakeFailureAfterStarttls) {
  // The server speaks TLS 1.0 only; the client TLS 1.2 and newer.
  tls::ClientContextOptions modern;
  modern.min_version = TLS1_2_VERSION;
  context_ = *tls::ClientContext::Create(modern);
  Client client(loop(), core::TlsStreamOptions());
  SmtpUpToStarttls(client, "mx.old.sim");
  client.on_handshake = [&] {
    client.stream->Close();
    client.finished = true;
  };
  Connect(client, Smtp("127.81.0.5"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected", "handshake failed"));
  EXPECT_EQ(client.handshake.error,
            "error:1000042e:SSL routines:OPENSSL_internal:"
            "TLSV1_ALERT_PROTOCOL_VERSION");
}

TEST_F(TlsStreamTest, ConnectDeadline) {
  DeadEnd hanging(DeadEnd::Kind::kHanging);
  core::TlsStreamOptions options;
  options.connect_timeout_ms = 100;
  Client client(loop(), options);
  Connect(client, hanging.address());
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("deadline connect"));
}

TEST_F(TlsStreamTest, PlaintextDeadlineSetByTheHandler) {
  Client client(loop(), core::TlsStreamOptions());
  client.on_connected = [&] { client.stream->SetStageTimeout(100); };
  Connect(client, Smtp("127.81.0.2"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected", "deadline plaintext"));
}

TEST_F(TlsStreamTest, HandshakeDeadline) {
  core::TlsStreamOptions options;
  options.handshake_timeout_ms = 100;
  Client client(loop(), options);
  StartTlsOn(client, "mx.silent.sim");
  Connect(client, Smtp("127.81.0.2"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected", "deadline handshake"));
}

TEST_F(TlsStreamTest, TlsDeadline) {
  Client client(loop(), core::TlsStreamOptions());
  SmtpUpToStarttls(client, "mx.valid.sim");
  // Nothing is asked inside TLS: the server says nothing.
  client.on_handshake = [&] { client.stream->SetStageTimeout(100); };
  Connect(client, Smtp("127.0.0.1"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log,
              ElementsAre("connected", "handshake ok TLSv1.3", "deadline tls"));
}

TEST_F(TlsStreamTest, StreamDeadlineHoldsAfterTheStages) {
  // The stage's deadline passes first; the stream waits on until its own.
  core::TlsStreamOptions options;
  options.total_timeout_ms = 300;
  Client client(loop(), options);
  client.on_connected = [&] { client.stream->SetStageTimeout(50); };
  std::vector<uint64_t> at_ms;
  client.on_deadline = [&] {
    at_ms.push_back(uv_now(loop()));
    if (at_ms.size() == 2) {
      client.stream->Close();
      client.finished = true;
    }
  };
  uv_update_time(loop());
  const uint64_t start_ms = uv_now(loop());
  Connect(client, Smtp("127.81.0.6"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected", "deadline plaintext",
                                      "deadline plaintext"));
  ASSERT_EQ(at_ms.size(), 2u);
  EXPECT_GE(at_ms[0] - start_ms, 50u);
  EXPECT_LT(at_ms[0] - start_ms, 300u);
  EXPECT_GE(at_ms[1] - start_ms, 300u);
}

TEST_F(TlsStreamTest, ConnectionRefused) {
  DeadEnd refusing(DeadEnd::Kind::kRefused);
  Client client(loop(), core::TlsStreamOptions());
  Connect(client, refusing.address());
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("closed connect_failed connect"));
  EXPECT_EQ(client.closed.error, UV_ECONNREFUSED);
  EXPECT_EQ(client.closed.message, "connection refused");
  EXPECT_EQ(client.stream->stage(), Stage::kClosed);
}

TEST_F(TlsStreamTest, ConnectThatCannotStart) {
  // No address family: the socket cannot even be made. The stream is
  // left open by the handler (the test's Client) until it is destroyed.
  sockaddr_storage nowhere{};
  Client client(loop(), core::TlsStreamOptions());
  Connect(client, reinterpret_cast<const sockaddr*>(&nowhere));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("closed connect_failed connect"));
  EXPECT_LT(client.closed.error, 0);
  EXPECT_EQ(client.closed.message, uv_strerror(client.closed.error));
  for (int i = 0; i < 3; ++i) uv_run(loop(), UV_RUN_NOWAIT);
}

TEST_F(TlsStreamTest, PeerClosesInPlaintext) {
  Client client(loop(), core::TlsStreamOptions());
  Connect(client, Smtp("127.81.0.3"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log,
              ElementsAre("connected", "closed peer_closed plaintext"));
  EXPECT_THAT(client.received, StartsWith("421 "));
  EXPECT_EQ(client.closed.error, UV_EOF);
  EXPECT_EQ(client.closed.message,
            "connection closed by the peer (end of file)");
}

TEST_F(TlsStreamTest, PeerClosesInTheHandshake) {
  Client client(loop(), core::TlsStreamOptions());
  SmtpUpToStarttls(client, "mx.reset.sim");
  Connect(client, Smtp("127.81.0.4"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log,
              ElementsAre("connected", "closed peer_closed handshake"));
  EXPECT_THAT(client.closed.message,
              StartsWith("connection closed during the TLS handshake ("));
}

TEST_F(TlsStreamTest, HandlerMayDestroyTheStreamInACallback) {
  Client client(loop(), core::TlsStreamOptions());
  StartTlsOn(client, "mta-sts.valid.sim");
  client.on_handshake = [&] {
    EXPECT_TRUE(client.stream->Write("GET / HTTP/1.1\r\n\r\n").ok());
    client.stream.reset();  // closes; nothing follows
    client.finished = true;
  };
  Connect(client, Https("::1"));
  RunUntilFinished(client);
  // A few more turns: no event reaches the destroyed stream's handler.
  for (int i = 0; i < 5; ++i) uv_run(loop(), UV_RUN_NOWAIT);
  EXPECT_THAT(client.log, ElementsAre("connected", "handshake ok TLSv1.3"));
}

TEST_F(TlsStreamTest, ApiMisuseIsRefused) {
  Client client(loop(), core::TlsStreamOptions());
  // TLS starts only once connected.
  EXPECT_FALSE(client.stream->StartTls(*context_, "x.sim").ok());
  client.on_connected = [&] {
    EXPECT_TRUE(client.stream->StartTls(*context_, "mta-sts.valid.sim").ok());
    // No plaintext in the handshake, and no second handshake.
    EXPECT_FALSE(client.stream->Write("early").ok());
    EXPECT_FALSE(client.stream->StartTls(*context_, "x.sim").ok());
    client.stream->Close();
    EXPECT_FALSE(client.stream->Write("late").ok());
    client.finished = true;
  };
  Connect(client, Https("127.0.0.1"));
  RunUntilFinished(client);
  EXPECT_THAT(client.log, ElementsAre("connected"));
}

}  // namespace
}  // namespace mxscan
