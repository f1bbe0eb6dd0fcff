#ifndef MXSCAN_SCANNER_CORE_TLS_STREAM_H_
#define MXSCAN_SCANNER_CORE_TLS_STREAM_H_

#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scanner/core/deadline_timer.h"
#include "scanner/core/tcp_connection.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::core {

// Deadlines of a TlsStream in milliseconds (TlsStream::Connect());
// kNoTimeout for none.
struct TlsStreamOptions {
  static constexpr int kNoTimeout = -1;
  int connect_timeout_ms = kNoTimeout;    // from Connect() to connected
  int handshake_timeout_ms = kNoTimeout;  // from StartTls() to its end
  int total_timeout_ms = kNoTimeout;      // the whole stream, from Connect()
};

// TlsStream is one outbound TCP connection that carries a protocol's
// plaintext: the bytes as they are at first (SMTP before STARTTLS, or a
// TLS record the caller built itself), then, from StartTls() on, through
// a TLS client session (tls::TlsConnection over memory buffers). It is the
// I/O adapter of the SMTP probe, the plain TLS probe and the HTTPS fetch:
// it moves ciphertext between the socket and BoringSSL, runs the
// handshake, keeps the deadlines, and reports typed events up to its
// Handler.
//
//   Stage:   kIdle -> kConnect -> kPlaintext [-> kHandshake -> kTls]
//            and kClosed after a failure, a close or Close().
//   Direct TLS: call StartTls() from OnConnected().
//
// TLS writes are batched: the records TLS makes while the handler handles
// an event (the client's Finished and the command after it, say) leave in
// one write when the event's handling ends; made outside of an event they
// leave at once. Plaintext leaves at once. A write the socket takes at
// once needs no request (TcpConnection). Calls into the stream never call
// the handler back but in one case: a write refused at once outside of an
// event reports OnClosed() before the call returns.
//
// Deadlines: one timer serves the stage's deadline and the stream's. A
// stage's deadline starts with the stage (connect, handshake; the handler
// sets those of the plaintext and TLS stages with SetStageTimeout()) and
// ends with it. When a deadline passes the handler hears OnDeadline() and
// the stream waits on (under the stream's deadline only) until the
// handler closes it. A deadline is reported only after the loop has
// polled for I/O past it (DeadlineTimer).
//
// The stream is owned by its user (a member, typically) and closes the
// connection when destroyed; the handler may destroy it in any callback.
// After Close() or OnClosed(), no event is reported. Lives on the thread
// of its loop; a context given to StartTls() must outlive the stream.
class TlsStream {
 public:
  enum class Stage : uint8_t {
    kIdle,
    kConnect,
    kPlaintext,
    kHandshake,
    kTls,
    kClosed
  };

  // Why the stream ended.
  enum class CloseReason {
    kConnectFailed,  // the connection could not be made
    kPeerClosed,     // the peer closed or reset it, or a write failed
    kCloseNotify,    // the peer ended TLS with close_notify
    kTlsError,       // the peer's bytes after the handshake are not TLS
  };

  struct Closed {
    CloseReason reason = CloseReason::kPeerClosed;
    Stage stage = Stage::kIdle;  // the stage the stream was in
    int error = 0;  // the libuv error code (kConnectFailed, kPeerClosed)
    // "connection refused", "connection closed during the TLS handshake
    // (connection reset by peer)", the TLS library's reason, ...
    std::string message;
  };

  struct HandshakeResult {
    bool ok = false;
    std::string error;        // why it failed: the alert, or the reason
    tls::HandshakeInfo info;  // what was negotiated (ok only)
  };

  // Handler receives the events of one stream.
  class Handler {
   public:
    virtual ~Handler() = default;
    // The connection is up; the stream is in kPlaintext. (Events come as
    // they happen: a handler that measures takes uv_hrtime() in them.)
    virtual void OnConnected() = 0;
    // Bytes from the peer, never empty: as read before StartTls(),
    // decrypted after the handshake (never those in between). Valid only
    // during the call.
    virtual void OnBytes(absl::string_view bytes) = 0;
    // The handshake ended; on failure the stream is in kClosed (its alert
    // is sent when the event ends).
    virtual void OnHandshakeDone(HandshakeResult result) = 0;
    // A resumable session arrived after the handshake (a TLS 1.3 ticket;
    // see Session()).
    virtual void OnNewSession() {}
    // The stream ended (see Closed); the handler should Close() it.
    virtual void OnClosed(const Closed& closed) = 0;
    // A deadline passed in `stage` (the stage's own or the stream's).
    virtual void OnDeadline(Stage stage) = 0;
  };

  TlsStream(uv_loop_t* loop, Handler* handler);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Connect starts connecting to `address` (IPv4 or IPv6, port included)
  // under the deadlines of `options`; once only, from kIdle.
  void Connect(const sockaddr* address, const TlsStreamOptions& options);

  // Write sends `bytes`: as they are in kConnect and kPlaintext (at
  // once), encrypted in kTls (batched). Fails in the other stages, or
  // when TLS cannot encrypt (DataLoss with the library's reason).
  absl::Status Write(absl::string_view bytes);

  // StartTls begins the TLS handshake (kPlaintext only) with SNI
  // `server_name` (none for an IP literal), offering `resume` when not
  // null, and starts the handshake's deadline. Bytes read from now on
  // belong to TLS. Fails (and the stream is closed) when the handshake
  // cannot even begin; the outcome comes as OnHandshakeDone() otherwise.
  absl::Status StartTls(const tls::ClientContext& context,
                        const std::string& server_name,
                        SSL_SESSION* resume = nullptr);

  // SetStageTimeout (re)starts the current stage's deadline, `timeout_ms`
  // from the loop's now (kNoTimeout: none).
  void SetStageTimeout(int timeout_ms);

  // CloseNotify sends a close_notify alert (after the handshake).
  void CloseNotify();
  // Close sends what is still to be written and closes the connection; no
  // event follows. The TLS session stays readable (Session()).
  void Close();

  Stage stage() const { return stage_; }
  uv_loop_t* loop() const { return timer_.loop(); }
  // The session to offer next time (tls::TlsConnection::Session()); null
  // before StartTls().
  bssl::UniquePtr<SSL_SESSION> Session() const;
  // True once the server has given a resumable session.
  bool has_new_session() const;

 private:
  static constexpr uint64_t kNever = UINT64_MAX;

  // The libuv side; each runs as one event (see Dispatch).
  void OnTcpConnected(int status);
  void OnTcpBytes(absl::string_view bytes);
  void OnTcpClosed(int error);
  void OnTimer();

  // Dispatch runs `step` as one event: writes made meanwhile leave in one
  // write at its end, and a write refused at once is reported after it.
  // False when the handler destroyed the stream.
  template <typename Step>
  bool Dispatch(Step step);
  // Notify calls the handler; false when it destroyed or closed the
  // stream (the caller must then return at once).
  template <typename Call>
  bool Notify(Call call);
  // The steps; each returns false when the caller must stop.
  bool StepHandshake();
  bool ReadTls();
  bool ReportClosed(CloseReason reason, int error, std::string message);

  // Stop ends the stream's stages and its timer (the connection stays
  // open for what is still to be written).
  void Stop();
  // Flush hands the records TLS has written to the socket.
  void Flush();
  // Send writes `bytes` to the socket.
  void Send(std::string bytes);
  uint64_t DeadlineAfter(int timeout_ms) const;
  void ArmTimer();

  // Fields ordered for size: tens of thousands of streams are in flight.
  Handler* handler_;
  TcpConnection* connection_ = nullptr;  // closes itself on Close()
  // Its records wait in its buffer until the current event ends.
  std::unique_ptr<tls::TlsConnection> tls_;
  // While an event is handled (see Dispatch): set when the handler
  // destroys the stream.
  bool* destroyed_ = nullptr;
  uint64_t stage_deadline_ms_ = kNever;
  uint64_t total_deadline_ms_ = kNever;
  uint64_t timer_due_ms_ = 0;  // when the timer fires; 0 when stopped
  int handshake_timeout_ms_ = TlsStreamOptions::kNoTimeout;
  // A write refused at once, reported when the current event ends.
  int refused_write_ = 0;
  Stage stage_ = Stage::kIdle;
  bool writing_ = false;  // the socket is being written to
  // OnNewSession() was reported (or the session came with the handshake).
  bool session_reported_ = false;
  DeadlineTimer timer_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_TLS_STREAM_H_
