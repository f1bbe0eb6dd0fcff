#include "scanner/core/tls_stream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mxscan::core {
namespace {

std::string PeerClosedMessage(TlsStream::Stage stage, int error) {
  return absl::StrCat(stage == TlsStream::Stage::kHandshake
                          ? "connection closed during the TLS handshake ("
                          : "connection closed by the peer (",
                      uv_strerror(error), ")");
}

}  // namespace

TlsStream::TlsStream(uv_loop_t* loop, Handler* handler)
    : handler_(handler), timer_(loop, [this] { OnTimer(); }) {}

TlsStream::~TlsStream() {
  if (destroyed_ != nullptr) *destroyed_ = true;
  Close();
}

void TlsStream::Connect(const sockaddr* address,
                        const TlsStreamOptions& options) {
  if (stage_ != Stage::kIdle) return;
  stage_ = Stage::kConnect;
  handshake_timeout_ms_ = options.handshake_timeout_ms;
  total_deadline_ms_ = DeadlineAfter(options.total_timeout_ms);
  stage_deadline_ms_ = DeadlineAfter(options.connect_timeout_ms);
  ArmTimer();
  TcpConnection::Callbacks callbacks;
  callbacks.connected = [this](int status) { OnTcpConnected(status); };
  callbacks.data = [this](absl::string_view bytes) { OnTcpBytes(bytes); };
  callbacks.closed = [this](int error) { OnTcpClosed(error); };
  connection_ = TcpConnection::Connect(loop(), address, std::move(callbacks));
}

absl::Status TlsStream::Write(absl::string_view bytes) {
  switch (stage_) {
    case Stage::kConnect:
    case Stage::kPlaintext:
      // One write per event, as the protocols here go: to the socket now.
      if (!bytes.empty()) Send(std::string(bytes));
      break;
    case Stage::kTls: {
      // The records wait in TLS's buffer until the event ends (Flush).
      absl::Status written = tls_->Write(bytes);
      if (!written.ok()) return written;
      break;
    }
    case Stage::kIdle:
      return absl::FailedPreconditionError("the stream is not connected");
    case Stage::kHandshake:
      return absl::FailedPreconditionError("the TLS handshake is not done");
    case Stage::kClosed:
      return absl::FailedPreconditionError("the stream is closed");
  }
  if (destroyed_ == nullptr) Dispatch([] {});  // outside of an event
  return absl::OkStatus();
}

absl::Status TlsStream::StartTls(const tls::ClientContext& context,
                                 const std::string& server_name,
                                 SSL_SESSION* resume) {
  if (stage_ != Stage::kPlaintext) {
    return absl::FailedPreconditionError("TLS starts on a plaintext stream");
  }
  tls_ = std::make_unique<tls::TlsConnection>(context, server_name, resume);
  stage_ = Stage::kHandshake;
  SetStageTimeout(handshake_timeout_ms_);
  // The first step writes the ClientHello; it cannot end the handshake,
  // but it fails when the context cannot make one.
  const bool failed =
      tls_->Handshake() == tls::TlsConnection::Progress::kFailed;
  if (failed) {
    Stop();
    return absl::UnavailableError(tls_->error());
  }
  if (destroyed_ == nullptr) Dispatch([] {});  // outside of an event
  return absl::OkStatus();
}

void TlsStream::SetStageTimeout(int timeout_ms) {
  if (stage_ == Stage::kClosed) return;
  stage_deadline_ms_ = DeadlineAfter(timeout_ms);
  ArmTimer();
}

void TlsStream::CloseNotify() {
  if (tls_ == nullptr || connection_ == nullptr) return;
  tls_->CloseNotify();
  if (destroyed_ == nullptr) Dispatch([] {});  // outside of an event
}

void TlsStream::Close() {
  Stop();
  if (connection_ == nullptr) return;
  Flush();  // a write refused now is not reported (kClosed)
  connection_->Close();
  connection_ = nullptr;
}

bssl::UniquePtr<SSL_SESSION> TlsStream::Session() const {
  return tls_ != nullptr ? tls_->Session() : nullptr;
}

bool TlsStream::has_new_session() const {
  return tls_ != nullptr && tls_->has_new_session();
}

// destroyed_ points at Dispatch's local flag only while Dispatch runs: it
// is reset before a return, but for the return after the handler has
// destroyed the stream (and destroyed_ with it), which GCC cannot tell.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
template <typename Step>
bool TlsStream::Dispatch(Step step) {
  bool destroyed = false;
  destroyed_ = &destroyed;
  step();
  // The end of the event: what was written meanwhile leaves in one write,
  // and a write the socket refused at once ends the stream.
  while (!destroyed) {
    Flush();
    if (refused_write_ == 0 || stage_ == Stage::kClosed) break;
    const int error = std::exchange(refused_write_, 0);
    ReportClosed(CloseReason::kPeerClosed, error,
                 PeerClosedMessage(stage_, error));
  }
  if (destroyed) return false;
  destroyed_ = nullptr;
  return true;
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

template <typename Call>
bool TlsStream::Notify(Call call) {
  bool* destroyed = destroyed_;  // the handler may free `this`
  call();
  return !*destroyed && stage_ != Stage::kClosed;
}

void TlsStream::OnTcpConnected(int status) {
  if (stage_ != Stage::kConnect) return;
  Dispatch([&] {
    stage_deadline_ms_ = kNever;
    if (status != 0) {
      // A connection that failed to start frees itself after this call:
      // it is let go of at once.
      connection_->Close();
      connection_ = nullptr;
      ReportClosed(CloseReason::kConnectFailed, status, uv_strerror(status));
      return;
    }
    stage_ = Stage::kPlaintext;
    Notify([&] { handler_->OnConnected(); });
  });
}

void TlsStream::OnTcpBytes(absl::string_view bytes) {
  Dispatch([&] {
    switch (stage_) {
      case Stage::kPlaintext:
        Notify([&] { handler_->OnBytes(bytes); });
        return;
      case Stage::kHandshake:
        tls_->FeedCiphertext(bytes);
        StepHandshake();
        return;
      case Stage::kTls:
        tls_->FeedCiphertext(bytes);
        ReadTls();
        return;
      default:  // after the end: dropped
        return;
    }
  });
}

void TlsStream::OnTcpClosed(int error) {
  if (stage_ == Stage::kClosed) return;
  if (writing_) {
    refused_write_ = error;  // reported when the event ends
    return;
  }
  Dispatch([&] {
    ReportClosed(CloseReason::kPeerClosed, error,
                 PeerClosedMessage(stage_, error));
  });
}

void TlsStream::OnTimer() {
  timer_due_ms_ = 0;
  if (stage_ == Stage::kClosed) return;
  const uint64_t now = uv_now(loop());
  if (now < stage_deadline_ms_ && now < total_deadline_ms_) {
    ArmTimer();  // fired for a deadline that has moved on
    return;
  }
  // Each deadline is reported once; the stream's still holds after the
  // stage's has passed.
  if (now >= stage_deadline_ms_) stage_deadline_ms_ = kNever;
  if (now >= total_deadline_ms_) total_deadline_ms_ = kNever;
  ArmTimer();
  const Stage stage = stage_;
  Dispatch([&] { Notify([&] { handler_->OnDeadline(stage); }); });
}

bool TlsStream::StepHandshake() {
  const tls::TlsConnection::Progress progress = tls_->Handshake();
  if (progress == tls::TlsConnection::Progress::kNeedMore) return true;
  stage_deadline_ms_ = kNever;
  HandshakeResult result;
  result.ok = progress == tls::TlsConnection::Progress::kDone;
  if (result.ok) {
    result.info = tls_->Info();
    stage_ = Stage::kTls;
    // A session that came with the handshake (TLS 1.2) is no news.
    session_reported_ = tls_->has_new_session();
  } else {
    result.error = tls_->error();
    Stop();
  }
  if (!Notify([&] { handler_->OnHandshakeDone(std::move(result)); })) {
    return false;
  }
  return ReadTls();  // records that came with the handshake's end
}

bool TlsStream::ReadTls() {
  std::string plaintext;
  // What TLS answers (an alert, a key update) leaves with Flush().
  const absl::Status read = tls_->Read(&plaintext);
  if (!plaintext.empty() && !Notify([&] { handler_->OnBytes(plaintext); })) {
    return false;
  }
  if (!session_reported_ && tls_->has_new_session()) {
    session_reported_ = true;
    if (!Notify([&] { handler_->OnNewSession(); })) return false;
  }
  if (!read.ok()) {
    return ReportClosed(CloseReason::kTlsError, 0, std::string(read.message()));
  }
  if (tls_->peer_closed()) {
    return ReportClosed(CloseReason::kCloseNotify, 0,
                        "the peer ended TLS (close_notify)");
  }
  return true;
}

bool TlsStream::ReportClosed(CloseReason reason, int error,
                             std::string message) {
  Closed closed;
  closed.reason = reason;
  closed.stage = stage_;
  closed.error = error;
  closed.message = std::move(message);
  Stop();
  Notify([&] { handler_->OnClosed(closed); });
  return false;
}

void TlsStream::Stop() {
  stage_ = Stage::kClosed;
  timer_.Stop();
  timer_due_ms_ = 0;
}

void TlsStream::Flush() {
  if (tls_ == nullptr || connection_ == nullptr) return;
  std::string records = tls_->TakeCiphertext();
  if (!records.empty()) Send(std::move(records));
}

void TlsStream::Send(std::string bytes) {
  writing_ = true;  // a refusal now is reported when the event ends
  connection_->Write(std::move(bytes));
  writing_ = false;
}

uint64_t TlsStream::DeadlineAfter(int timeout_ms) const {
  if (timeout_ms < 0) return kNever;
  return uv_now(loop()) + static_cast<uint64_t>(timeout_ms);
}

void TlsStream::ArmTimer() {
  // A timer due sooner is left alone (it re-arms when it fires early), so
  // a stream quicker than its first deadline starts the timer once, not
  // at every stage.
  const uint64_t due = std::min(stage_deadline_ms_, total_deadline_ms_);
  if (due == kNever) return;
  if (timer_due_ms_ != 0 && timer_due_ms_ <= due) return;
  timer_due_ms_ = due;
  const uint64_t now = uv_now(loop());
  timer_.Start(due > now ? due - now : 0);
}

}  // namespace mxscan::core
