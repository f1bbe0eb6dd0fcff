#include "scanner/probe/smtp_probe.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scanner/core/tls_stream.h"

namespace mxscan::probe {
namespace {

using smtp::Session;

// SmtpProbeRun binds one smtp::Session to a TlsStream: it performs the
// session's actions and reports the stream's events back until the
// session is done. Owns itself until it has reported. Lives on its loop's
// thread.
//
// What the session and TLS produce in one turn (an event and the actions
// it leads to) goes out in one write (the stream batches it): the client's
// Finished and the EHLO after it share a segment. The stream keeps both
// deadlines (the stage's and the session's); see ArmStageTimer().
class SmtpProbeRun : public core::TlsStream::Handler {
 public:
  SmtpProbeRun(uv_loop_t* loop, std::string server_name,
               const tls::ClientContext& context,
               const SmtpProbeOptions& options,
               absl::AnyInvocable<void(SmtpProbeOutcome)> done)
      : server_name_(std::move(server_name)),
        context_(context),
        options_(options),
        session_(smtp::SessionOptions{options.ehlo_name, options.starttls,
                                      smtp::ReplyLimits()}),
        done_(std::move(done)),
        started_ms_(uv_now(loop)),
        stream_(loop, this) {}

  void Start(const sockaddr* address) {
    // The session's first action: the address is not kept.
    if (session_.NextAction() == Session::Action::kConnect) {
      outcome_.times.started_ns = uv_hrtime();
      stream_.Connect(address, StreamOptions(options_));
    }
    Drive();
  }

 private:
  static core::TlsStreamOptions StreamOptions(const SmtpProbeOptions& options) {
    core::TlsStreamOptions stream;
    stream.connect_timeout_ms = options.connect_timeout_ms;
    stream.handshake_timeout_ms = options.handshake_timeout_ms;
    stream.total_timeout_ms = options.total_timeout_ms;
    return stream;
  }

  void Drive() {
    while (true) {
      switch (session_.NextAction()) {
        case Session::Action::kConnect:  // Start() connected
          ArmStageTimer();
          return;
        case Session::Action::kWrite:
          Send(session_.TakeOutgoing());
          continue;
        case Session::Action::kRead:
          ArmStageTimer();
          return;
        case Session::Action::kStartTls:
          if (!options_.own_client_hello.empty() && selection_ == nullptr) {
            // Sent as it is, in place of a handshake.
            selection_ = std::make_unique<tls::ServerHelloReader>(
                options_.read_key_exchange);
            Send(options_.own_client_hello);
            continue;
          }
          if (options_.own_client_hello.empty() &&
              stream_.stage() == core::TlsStream::Stage::kPlaintext) {
            const absl::Status started = stream_.StartTls(
                context_, server_name_, options_.resume_session.get());
            if (!started.ok()) {
              session_.OnTlsHandshakeDone(false,
                                          std::string(started.message()));
            }
            continue;
          }
          ArmStageTimer();
          return;
        case Session::Action::kClose:
          stream_.Close();
          session_.OnClosed();
          continue;
        case Session::Action::kDone:
          Finish();
          return;
      }
    }
  }

  void OnConnected() override {
    outcome_.times.connected_ns = uv_hrtime();
    session_.OnConnected();
    Drive();
  }

  void OnBytes(absl::string_view bytes) override {
    if (selection_ != nullptr) {
      ReadSelection(bytes);
    } else if (stream_.stage() == core::TlsStream::Stage::kPlaintext) {
      // Plain SMTP; after the 220 to STARTTLS the session itself refuses
      // bytes that arrive before the handshake.
      const uint64_t now = uv_hrtime();
      const smtp::Stage before = session_.stage();
      session_.OnBytes(bytes);
      NoteStageEnd(before, now);
    } else {
      session_.OnBytes(bytes);
    }
    Drive();
  }

  void OnHandshakeDone(core::TlsStream::HandshakeResult result) override {
    if (result.ok) {
      outcome_.times.handshake_ns = uv_hrtime();
      outcome_.tls_done = true;
      outcome_.tls = std::move(result.info);
    }
    session_.OnTlsHandshakeDone(result.ok, std::move(result.error));
    Drive();
  }

  void OnClosed(const core::TlsStream::Closed& closed) override {
    if (closed.reason == core::TlsStream::CloseReason::kConnectFailed) {
      session_.OnConnectFailed(-closed.error, closed.message);
    } else {
      session_.OnPeerClosed();
    }
    Drive();
  }

  void OnDeadline(core::TlsStream::Stage) override {
    session_.OnTimeout();
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

  // NoteStageEnd records `at` as the end of `before` when the session has
  // moved on from that stage without a failure.
  void NoteStageEnd(smtp::Stage before, uint64_t at) {
    if (session_.stage() == before || session_.result().error.has_value()) {
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

  // Send writes the session's bytes (encrypted after the handshake); a
  // write that fails counts as the peer's close.
  void Send(absl::string_view bytes) {
    if (!stream_.Write(bytes).ok()) session_.OnPeerClosed();
  }

  // ArmStageTimer starts the deadline of the session's stage when the
  // stage has changed (RFC 5321 section 4.5.3.2 timeouts).
  void ArmStageTimer() {
    const smtp::Stage stage = session_.stage();
    if (stage == armed_stage_) return;
    armed_stage_ = stage;
    int timeout = options_.reply_timeout_ms;
    if (stage == smtp::Stage::kConnect) timeout = options_.connect_timeout_ms;
    if (stage == smtp::Stage::kHandshake) {
      timeout = options_.handshake_timeout_ms;
    }
    stream_.SetStageTimeout(timeout);
  }

  void Finish() {
    stream_.Close();
    outcome_.session = session_.TakeResult();
    if (options_.keep_session && outcome_.tls_done) {
      outcome_.tls_session = stream_.Session();
    }
    outcome_.times.finished_ns = uv_hrtime();
    outcome_.duration_ms =
        static_cast<int64_t>(uv_now(stream_.loop()) - started_ms_);
    auto done = std::move(done_);
    SmtpProbeOutcome outcome = std::move(outcome_);
    // Free the TLS state right away: memory per session stays small.
    delete this;
    done(std::move(outcome));
  }

  std::string server_name_;
  const tls::ClientContext& context_;
  SmtpProbeOptions options_;
  Session session_;
  absl::AnyInvocable<void(SmtpProbeOutcome)> done_;
  uint64_t started_ms_;
  // The selection probe reads the server's answer instead of shaking hands.
  std::unique_ptr<tls::ServerHelloReader> selection_;
  smtp::Stage armed_stage_ = smtp::Stage::kUnspecified;
  SmtpProbeOutcome outcome_;
  core::TlsStream stream_;  // last: closed first, while the rest still lives
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
