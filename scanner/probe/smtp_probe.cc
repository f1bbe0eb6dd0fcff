#include "scanner/probe/smtp_probe.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "scanner/core/deadline_timer.h"
#include "scanner/core/tcp_connection.h"

namespace mxscan::probe {
namespace {

using smtp::Session;

// SmtpProbeRun binds one smtp::Session to a TCP connection, a TLS
// connection and deadlines: it performs the session's actions and reports
// events back until the session is done. Owns itself until it has
// reported. Lives on its loop's thread.
//
// What the session and TLS produce in one turn (an event and the actions
// it leads to) goes out in one write when the probe starts waiting: the
// client's Finished and the EHLO after it share a segment. One timer
// serves both deadlines (the stage's and the session's); see ArmTimer().
class SmtpProbeRun {
 public:
  SmtpProbeRun(uv_loop_t* loop, std::string server_name,
               const tls::ClientContext& context,
               const SmtpProbeOptions& options,
               absl::AnyInvocable<void(SmtpProbeOutcome)> done)
      : loop_(loop),
        server_name_(std::move(server_name)),
        context_(context),
        options_(options),
        session_(smtp::SessionOptions{options.ehlo_name, options.starttls,
                                      smtp::ReplyLimits()}),
        done_(std::move(done)),
        started_ms_(uv_now(loop)),
        total_deadline_ms_(started_ms_ +
                           static_cast<uint64_t>(options_.total_timeout_ms)),
        stage_deadline_ms_(total_deadline_ms_),
        timer_(loop, [this] { OnTimer(); }) {}

  void Start(const sockaddr* address) {
    std::memcpy(&address_, address,
                address->sa_family == AF_INET6 ? sizeof(sockaddr_in6)
                                               : sizeof(sockaddr_in));
    Drive();
  }

 private:
  void Drive() {
    while (!finished_) {
      switch (session_.NextAction()) {
        case Session::Action::kConnect:
          if (!connect_started_) Connect();
          ArmStageTimer();
          WritePending();
          return;
        case Session::Action::kWrite:
          Send(session_.TakeOutgoing());
          continue;
        case Session::Action::kRead:
          ArmStageTimer();
          WritePending();
          return;
        case Session::Action::kStartTls:
          if (!options_.own_client_hello.empty() && selection_ == nullptr) {
            selection_ = std::make_unique<tls::ServerHelloReader>(
                options_.read_key_exchange);
            pending_ += options_.own_client_hello;
            continue;
          }
          if (options_.own_client_hello.empty() && tls_ == nullptr) {
            tls_ = std::make_unique<tls::TlsConnection>(
                context_, server_name_, options_.resume_session.get());
            StepHandshake();
            continue;  // the step may already have reported
          }
          ArmStageTimer();
          WritePending();
          return;
        case Session::Action::kClose:
          CloseConnection();
          session_.OnClosed();
          continue;
        case Session::Action::kDone:
          Finish();
          return;
      }
    }
  }

  void Connect() {
    connect_started_ = true;
    outcome_.times.started_ns = uv_hrtime();
    TcpConnection::Callbacks callbacks;
    callbacks.connected = [this](int status) {
      if (status == 0) {
        outcome_.times.connected_ns = uv_hrtime();
        session_.OnConnected();
      } else {
        session_.OnConnectFailed(-status, uv_strerror(status));
      }
      Drive();
    };
    callbacks.data = [this](absl::string_view bytes) { OnSocketBytes(bytes); };
    callbacks.closed = [this](int) {
      session_.OnPeerClosed();
      Drive();
    };
    connection_ = TcpConnection::Connect(
        loop_, reinterpret_cast<const sockaddr*>(&address_),
        std::move(callbacks));
  }

  void OnSocketBytes(absl::string_view bytes) {
    if (selection_ != nullptr) {
      ReadSelection(bytes);
    } else if (tls_ == nullptr) {
      // Plain SMTP; after the 220 to STARTTLS the session itself refuses
      // bytes that arrive before the handshake.
      const uint64_t now = uv_hrtime();
      const smtp::Stage before = session_.stage();
      session_.OnBytes(bytes);
      NoteStageEnd(before, now);
    } else if (!handshake_done_) {
      tls_->FeedCiphertext(bytes);
      StepHandshake();
    } else {
      tls_->FeedCiphertext(bytes);
      std::string plaintext;
      absl::Status s = tls_->Read(&plaintext);
      Flush();  // alerts, key updates
      if (!plaintext.empty()) session_.OnBytes(plaintext);
      if (!s.ok() || tls_->peer_closed()) session_.OnPeerClosed();
    }
    Drive();
  }

  // The server's answer to the selection probe's ClientHello: once read
  // (or unreadable) the handshake is abandoned, as it was meant to be.
  void ReadSelection(absl::string_view bytes) {
    if (selection_->state() != tls::ServerHelloReader::State::kNeedMore) return;
    switch (selection_->Feed(bytes)) {
      case tls::ServerHelloReader::State::kNeedMore:
        return;
      case tls::ServerHelloReader::State::kDone:
        outcome_.selection = selection_->summary();
        session_.OnTlsHandshakeDone(
            false, "selection probe: ended at the server's first answer");
        return;
      case tls::ServerHelloReader::State::kError:
        session_.OnTlsHandshakeDone(false, selection_->error());
        return;
    }
  }

  void StepHandshake() {
    tls::TlsConnection::Progress p = tls_->Handshake();
    Flush();
    if (p == tls::TlsConnection::Progress::kDone) {
      handshake_done_ = true;
      outcome_.times.handshake_ns = uv_hrtime();
      outcome_.tls_done = true;
      outcome_.tls = tls_->Info();
      session_.OnTlsHandshakeDone(true, "");
    } else if (p == tls::TlsConnection::Progress::kFailed) {
      session_.OnTlsHandshakeDone(false, tls_->error());
    }
  }

  // NoteStageEnd records `at` as the end of `before` when the session has
  // moved on from that stage without a failure.
  void NoteStageEnd(smtp::Stage before, uint64_t at) {
    if (session_.stage() == before ||
        session_.result().error.has_value()) {
      return;
    }
    switch (before) {
      case smtp::Stage::kBanner:
        outcome_.times.banner_ns = at;
        break;
      case smtp::Stage::kEhlo:
        outcome_.times.ehlo_ns = at;
        break;
      case smtp::Stage::kStartTls:
        outcome_.times.starttls_ns = at;
        break;
      default:
        break;
    }
  }

  void Send(std::string plaintext) {
    if (connection_ == nullptr || plaintext.empty()) return;
    if (handshake_done_) {
      absl::Status s = tls_->Write(plaintext);
      Flush();
      if (!s.ok()) session_.OnPeerClosed();
      return;
    }
    pending_ += plaintext;
  }

  // Flush moves what TLS has to send to the pending bytes.
  void Flush() { pending_ += tls_->TakeCiphertext(); }

  // WritePending writes the bytes of this turn, before the probe waits or
  // closes.
  void WritePending() {
    if (pending_.empty()) return;
    if (connection_ != nullptr) connection_->Write(std::move(pending_));
    pending_.clear();
  }

  void ArmStageTimer() {
    const smtp::Stage stage = session_.stage();
    if (stage == armed_stage_) return;
    armed_stage_ = stage;
    int timeout = options_.reply_timeout_ms;
    if (stage == smtp::Stage::kConnect) timeout = options_.connect_timeout_ms;
    if (stage == smtp::Stage::kHandshake) {
      timeout = options_.handshake_timeout_ms;
    }
    stage_deadline_ms_ = uv_now(loop_) + static_cast<uint64_t>(timeout);
    ArmTimer();
  }

  // ArmTimer makes the timer fire at the earlier deadline at the latest.
  // A timer already due sooner is left alone (it re-arms when it fires
  // early), so a probe quicker than its first stage's deadline starts the
  // timer once instead of at every stage.
  void ArmTimer() {
    const uint64_t due = std::min(stage_deadline_ms_, total_deadline_ms_);
    if (timer_due_ms_ != 0 && timer_due_ms_ <= due) return;
    timer_due_ms_ = due;
    const uint64_t now = uv_now(loop_);
    timer_.Start(due > now ? due - now : 0);
  }

  void OnTimer() {
    timer_due_ms_ = 0;
    const uint64_t now = uv_now(loop_);
    if (now < stage_deadline_ms_ && now < total_deadline_ms_) {
      ArmTimer();  // fired for a deadline that has moved on
      return;
    }
    // The stage's deadline is spent; the session's still holds if the
    // session ignores this timeout and waits on.
    if (now >= stage_deadline_ms_) stage_deadline_ms_ = total_deadline_ms_;
    if (now < total_deadline_ms_) ArmTimer();
    session_.OnTimeout();
    Drive();
  }

  void CloseConnection() {
    WritePending();
    if (connection_ != nullptr) connection_->Close();
    connection_ = nullptr;
  }

  void Finish() {
    finished_ = true;
    CloseConnection();
    outcome_.session = session_.TakeResult();
    if (options_.keep_session && handshake_done_) {
      outcome_.tls_session = tls_->Session();
    }
    outcome_.times.finished_ns = uv_hrtime();
    outcome_.duration_ms = static_cast<int64_t>(uv_now(loop_) - started_ms_);
    auto done = std::move(done_);
    SmtpProbeOutcome outcome = std::move(outcome_);
    // Free the TLS state right away: memory per session stays small.
    delete this;
    done(std::move(outcome));
  }

  uv_loop_t* loop_;
  std::string server_name_;
  const tls::ClientContext& context_;
  SmtpProbeOptions options_;
  Session session_;
  absl::AnyInvocable<void(SmtpProbeOutcome)> done_;
  uint64_t started_ms_;
  sockaddr_storage address_{};
  TcpConnection* connection_ = nullptr;
  std::unique_ptr<tls::TlsConnection> tls_;
  // The selection probe reads the server's answer instead of shaking hands.
  std::unique_ptr<tls::ServerHelloReader> selection_;
  bool connect_started_ = false;
  bool handshake_done_ = false;
  bool finished_ = false;
  smtp::Stage armed_stage_ = smtp::Stage::kUnspecified;
  uint64_t total_deadline_ms_;
  uint64_t stage_deadline_ms_;
  uint64_t timer_due_ms_ = 0;  // when the timer fires; 0 when it is stopped
  DeadlineTimer timer_;
  std::string pending_;  // bytes to write at the end of this turn
  SmtpProbeOutcome outcome_;
};

}  // namespace

void ProbeSmtp(uv_loop_t* loop, const sockaddr* address,
               std::string server_name, const tls::ClientContext& context,
               const SmtpProbeOptions& options,
               absl::AnyInvocable<void(SmtpProbeOutcome)> done) {
  auto* run = new SmtpProbeRun(loop, std::move(server_name), context, options,
                               std::move(done));
  run->Start(address);
}

}  // namespace mxscan::probe
