#include "scanner/probe/tls_probe.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/core/deadline_timer.h"
#include "scanner/core/tcp_connection.h"

namespace mxscan::probe {
namespace {

using smtp::ErrorKind;
using smtp::Stage;

// TlsProbeRun is one plain TLS probe: connect, handshake, (wait for a
// ticket,) close_notify, close. Owns itself until it has reported. Lives
// on its loop's thread.
class TlsProbeRun {
 public:
  TlsProbeRun(uv_loop_t* loop, std::string server_name,
              const tls::ClientContext& context, const TlsProbeOptions& options,
              absl::AnyInvocable<void(TlsProbeOutcome)> done)
      : loop_(loop),
        server_name_(std::move(server_name)),
        context_(context),
        options_(options),
        done_(std::move(done)),
        timer_(loop, [this] { OnTimeout(); }) {}

  void Start(const sockaddr* address) {
    state_ = State::kConnect;
    ArmTimer(options_.connect_timeout_ms);
    outcome_.times.started_ns = uv_hrtime();
    TcpConnection::Callbacks callbacks;
    callbacks.connected = [this](int status) { OnConnected(status); };
    callbacks.data = [this](absl::string_view bytes) { OnBytes(bytes); };
    callbacks.closed = [this](int error) { OnPeerClosed(error); };
    connection_ = TcpConnection::Connect(loop_, address, std::move(callbacks));
  }

 private:
  enum class State { kConnect, kHandshake, kAwaitTicket, kDone };

  void OnConnected(int status) {
    if (status != 0) {
      Fail(Stage::kConnect, ErrorKind::kConnectFailed, -status,
           uv_strerror(status));
      return;
    }
    outcome_.connected = true;
    outcome_.times.connected_ns = uv_hrtime();
    state_ = State::kHandshake;
    ArmTimer(options_.handshake_timeout_ms);
    tls_ = std::make_unique<tls::TlsConnection>(context_, server_name_,
                                                options_.resume_session.get());
    StepHandshake();
  }

  void OnBytes(absl::string_view bytes) {
    tls_->FeedCiphertext(bytes);
    if (state_ == State::kHandshake) {
      StepHandshake();
      return;
    }
    // kAwaitTicket: the plaintext (none is expected) is dropped.
    std::string plaintext;
    const absl::Status read = tls_->Read(&plaintext);
    Flush();
    if (!read.ok() || tls_->peer_closed() || tls_->has_new_session()) {
      CloseNotifyAndFinish();
    }
  }

  void OnPeerClosed(int error) {
    if (state_ == State::kAwaitTicket) {
      Finish();
      return;
    }
    Fail(Stage::kHandshake, ErrorKind::kPeerClosed, 0,
         absl::StrCat("connection closed during the TLS handshake (",
                      uv_strerror(error), ")"));
  }

  void OnTimeout() {
    switch (state_) {
      case State::kConnect:
        Fail(Stage::kConnect, ErrorKind::kTimeout, 0, "connect timed out");
        return;
      case State::kHandshake:
        Fail(Stage::kHandshake, ErrorKind::kTimeout, 0,
             "TLS handshake timed out");
        return;
      case State::kAwaitTicket:  // no ticket: not an error
        CloseNotifyAndFinish();
        return;
      case State::kDone:
        return;
    }
  }

  void StepHandshake() {
    const tls::TlsConnection::Progress p = tls_->Handshake();
    Flush();
    if (p == tls::TlsConnection::Progress::kNeedMore) return;
    if (p == tls::TlsConnection::Progress::kFailed) {
      Fail(Stage::kHandshake, ErrorKind::kHandshakeFailed, 0, tls_->error());
      return;
    }
    outcome_.times.handshake_ns = uv_hrtime();
    outcome_.tls_done = true;
    outcome_.tls = tls_->Info();
    if (options_.keep_session && !tls_->has_new_session() &&
        outcome_.tls.version == "TLSv1.3") {
      state_ = State::kAwaitTicket;
      ArmTimer(options_.ticket_wait_ms);
      return;
    }
    CloseNotifyAndFinish();
  }

  void Flush() {
    std::string out = tls_->TakeCiphertext();
    if (!out.empty() && connection_ != nullptr) {
      connection_->Write(std::move(out));
    }
  }

  void ArmTimer(int timeout_ms) {
    timer_.Start(static_cast<uint64_t>(timeout_ms));
  }

  void Fail(Stage stage, ErrorKind kind, int code, std::string message) {
    smtp::SessionError error;
    error.stage = stage;
    error.kind = kind;
    error.code = code;
    error.message = std::move(message);
    outcome_.error = std::move(error);
    Finish();
  }

  void CloseNotifyAndFinish() {
    tls_->CloseNotify();
    Flush();
    Finish();
  }

  void Finish() {
    if (state_ == State::kDone) return;
    state_ = State::kDone;
    // The close_notify was handed to the socket by Write(); closing now
    // sends it, then FIN.
    if (connection_ != nullptr) connection_->Close();
    connection_ = nullptr;
    if (options_.keep_session && outcome_.tls_done) {
      outcome_.tls_session = tls_->Session();
    }
    outcome_.times.finished_ns = uv_hrtime();
    auto done = std::move(done_);
    TlsProbeOutcome outcome = std::move(outcome_);
    delete this;  // the timer's handle closes with it
    done(std::move(outcome));
  }

  uv_loop_t* loop_;
  std::string server_name_;
  const tls::ClientContext& context_;
  TlsProbeOptions options_;
  absl::AnyInvocable<void(TlsProbeOutcome)> done_;
  DeadlineTimer timer_;
  TcpConnection* connection_ = nullptr;
  std::unique_ptr<tls::TlsConnection> tls_;
  State state_ = State::kConnect;
  TlsProbeOutcome outcome_;
};

}  // namespace

void ProbeTls(uv_loop_t* loop, const sockaddr* address,
              std::string server_name, const tls::ClientContext& context,
              const TlsProbeOptions& options,
              absl::AnyInvocable<void(TlsProbeOutcome)> done) {
  auto* run = new TlsProbeRun(loop, std::move(server_name), context, options,
                              std::move(done));
  run->Start(address);
}

}  // namespace mxscan::probe
