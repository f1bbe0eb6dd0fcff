#include "scanner/probe/tls_probe.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scanner/core/tls_stream.h"

namespace mxscan::probe {
namespace {

using smtp::ErrorKind;
using smtp::Stage;

// TlsProbeRun is one plain TLS probe on a TlsStream: connect, handshake,
// (wait for a ticket,) close_notify, close. Owns itself until it has
// reported. Lives on its loop's thread.
class TlsProbeRun : public core::TlsStream::Handler {
 public:
  TlsProbeRun(uv_loop_t* loop, std::string server_name,
              const tls::ClientContext& context, const TlsProbeOptions& options,
              absl::AnyInvocable<void(TlsProbeOutcome)> done)
      : server_name_(std::move(server_name)),
        context_(context),
        options_(options),
        done_(std::move(done)),
        stream_(loop, this) {}

  void Start(const sockaddr* address) {
    outcome_.times.started_ns = uv_hrtime();
    stream_.Connect(address, StreamOptions(options_));
  }

 private:
  static core::TlsStreamOptions StreamOptions(const TlsProbeOptions& options) {
    core::TlsStreamOptions stream;
    stream.connect_timeout_ms = options.connect_timeout_ms;
    stream.handshake_timeout_ms = options.handshake_timeout_ms;
    return stream;
  }

  void OnConnected() override {
    outcome_.connected = true;
    outcome_.times.connected_ns = uv_hrtime();
    const absl::Status started =
        stream_.StartTls(context_, server_name_, options_.resume_session.get());
    if (!started.ok()) {
      Fail(Stage::kHandshake, ErrorKind::kHandshakeFailed, 0,
           std::string(started.message()));
    }
  }

  // Waiting for a ticket: the plaintext (none is expected) is dropped.
  void OnBytes(absl::string_view) override {}

  void OnHandshakeDone(core::TlsStream::HandshakeResult result) override {
    if (!result.ok) {
      Fail(Stage::kHandshake, ErrorKind::kHandshakeFailed, 0,
           std::move(result.error));
      return;
    }
    outcome_.times.handshake_ns = uv_hrtime();
    outcome_.tls_done = true;
    outcome_.tls = std::move(result.info);
    if (options_.keep_session && !stream_.has_new_session() &&
        outcome_.tls.version == "TLSv1.3") {
      // The stage's deadline is now the wait for a ticket.
      stream_.SetStageTimeout(options_.ticket_wait_ms);
      return;
    }
    CloseNotifyAndFinish();
  }

  void OnNewSession() override { CloseNotifyAndFinish(); }

  void OnClosed(const core::TlsStream::Closed& closed) override {
    switch (closed.reason) {
      case core::TlsStream::CloseReason::kConnectFailed:
        Fail(Stage::kConnect, ErrorKind::kConnectFailed, -closed.error,
             closed.message);
        return;
      case core::TlsStream::CloseReason::kPeerClosed:
        if (closed.stage == core::TlsStream::Stage::kTls) {
          Finish();  // while waiting for a ticket
          return;
        }
        Fail(Stage::kHandshake, ErrorKind::kPeerClosed, 0, closed.message);
        return;
      case core::TlsStream::CloseReason::kCloseNotify:
      case core::TlsStream::CloseReason::kTlsError:
        CloseNotifyAndFinish();
        return;
    }
  }

  void OnDeadline(core::TlsStream::Stage stage) override {
    switch (stage) {
      case core::TlsStream::Stage::kConnect:
        Fail(Stage::kConnect, ErrorKind::kTimeout, 0, "connect timed out");
        return;
      case core::TlsStream::Stage::kHandshake:
        Fail(Stage::kHandshake, ErrorKind::kTimeout, 0,
             "TLS handshake timed out");
        return;
      default:  // no ticket: not an error
        CloseNotifyAndFinish();
        return;
    }
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
    stream_.CloseNotify();
    Finish();
  }

  void Finish() {
    // The close_notify goes to the socket with Close(), then FIN.
    stream_.Close();
    if (options_.keep_session && outcome_.tls_done) {
      outcome_.tls_session = stream_.Session();
    }
    outcome_.times.finished_ns = uv_hrtime();
    auto done = std::move(done_);
    TlsProbeOutcome outcome = std::move(outcome_);
    delete this;  // the stream's timer closes with it
    done(std::move(outcome));
  }

  std::string server_name_;
  const tls::ClientContext& context_;
  TlsProbeOptions options_;
  absl::AnyInvocable<void(TlsProbeOutcome)> done_;
  TlsProbeOutcome outcome_;
  core::TlsStream stream_;  // last: closed first, while the rest still lives
};

}  // namespace

void ProbeTls(uv_loop_t* loop, const sockaddr* address, std::string server_name,
              const tls::ClientContext& context, const TlsProbeOptions& options,
              absl::AnyInvocable<void(TlsProbeOutcome)> done) {
  auto* run = new TlsProbeRun(loop, std::move(server_name), context, options,
                              std::move(done));
  run->Start(address);
}

}  // namespace mxscan::probe
