#ifndef MXSCAN_SCANNER_SMTP_SESSION_H_
#define MXSCAN_SCANNER_SMTP_SESSION_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scanner/smtp/reply_parser.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {

struct SessionOptions {
  // The name we give in EHLO/HELO: a domain or an address literal, 1-255
  // bytes of 33-126 (ValidateEhloName).
  std::string ehlo_name = "localhost";
  // Ask for STARTTLS when the server offers it.
  bool want_starttls = true;
  // Caps on each reply read from the server.
  ReplyLimits limits;
};

// ValidateEhloName accepts 1-255 printable ASCII bytes without spaces, so
// that our EHLO/HELO line can carry nothing but the name.
absl::Status ValidateEhloName(absl::string_view name);

// Session is the SMTP side of one probe of one mail server: banner, EHLO
// (HELO if EHLO is rejected), STARTTLS when offered and wanted, EHLO again
// inside TLS, QUIT. It never sends anything else (no MAIL FROM).
//
// It does no I/O: the caller (an I/O adapter) owns the connection and the
// TLS layer, passes in what happened and asks NextAction() what to do:
//
//   Session s(options);
//   loop: switch (s.NextAction()) {
//     kConnect:  connect; then OnConnected() or OnConnectFailed().
//     kWrite:    write TakeOutgoing() (plaintext; after the handshake the
//                caller encrypts it); go on at once with NextAction().
//     kRead:     wait; then OnBytes() for every chunk read (decrypted after
//                the handshake), OnPeerClosed() on EOF or a reset,
//                OnTimeout() when the stage's deadline passes.
//     kStartTls: stop handing socket bytes to OnBytes (from now on they
//                belong to TLS); run the handshake, then
//                OnTlsHandshakeDone(); OnTimeout()/OnPeerClosed() if it
//                hangs or the connection drops.
//     kClose:    close the connection; then OnClosed().
//     kDone:     result() is final.
//   }
//
// Call NextAction() after every On*() call and act on it before waiting
// for the next event: bytes that arrive while a command is still untaken
// answer nothing and are dropped (see SessionResult::early_data_bytes).
// Start a fresh deadline after each write and whenever stage() changes
// (stage() tells which RFC 5321 section 4.5.3.2 timeout applies).
// Every event is accepted in every state (a late or duplicate one is
// ignored), and a server can make no input cause unbounded memory: replies
// are capped by SessionOptions::limits, and bytes that are not a reply end
// the session with an error.
//
// Failures are data, in result().error: the stage, a kind, the SMTP reply
// code (or 0) and a message. After an SMTP-level refusal (4xx/5xx other than
// 421) the session still sends QUIT, as RFC 5321 section 3.1 asks; after 421,
// broken syntax, a timeout, a close or a failed handshake it only closes.
// Not thread-safe; lives on the thread of its connection.
class Session {
 public:
  enum class Action {
    kConnect,   // open the connection
    kWrite,     // write TakeOutgoing()
    kRead,      // wait for bytes, a close or a timeout
    kStartTls,  // run the TLS handshake, then OnTlsHandshakeDone()
    kClose,     // close the connection, then OnClosed()
    kDone,      // finished; result() is final
  };

  // Session starts in kConnect. With an ehlo_name that ValidateEhloName
  // rejects it starts in kDone with an error of stage kInput.
  explicit Session(SessionOptions options);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // OnConnected: the TCP connection is up; the session waits for the
  // banner.
  void OnConnected();
  // OnConnectFailed: the connection could not be made; `error_number` is
  // an errno (or 0) and lands in result().error.code.
  void OnConnectFailed(int error_number, absl::string_view message);
  // OnBytes hands over bytes from the server, split in any way. Only valid
  // plaintext SMTP is expected: before the handshake the socket's bytes,
  // after it the decrypted ones. `bytes` is not kept after the call. Bytes
  // that arrive after the 220 to STARTTLS but before the handshake (in the
  // same read as the 220, or fed in kStartTls) end the session with a
  // STARTTLS error and are never carried into TLS (RFC 3207 section 5,
  // CVE-2011-0411).
  void OnBytes(absl::string_view bytes);
  // OnTlsHandshakeDone reports the handshake asked for by kStartTls. On
  // success the session sends EHLO again (for the caller to encrypt); on
  // failure it records a HANDSHAKE error with `error` and `code` (a TLS
  // alert, say) and asks to close.
  void OnTlsHandshakeDone(bool ok, std::string error, int code = 0);
  // OnPeerClosed: the server closed or reset the connection (a write error
  // counts too). An error unless the session was waiting for QUIT's reply.
  void OnPeerClosed();
  // OnTimeout: the deadline of stage() passed. An error unless the session
  // was waiting for QUIT's reply.
  void OnTimeout();
  // OnClosed: the caller has closed the connection. If the session had not
  // finished, that is recorded as an error of the current stage.
  void OnClosed();

  Action NextAction() const;
  // TakeOutgoing returns the bytes to write and forgets them; a command
  // counts as sent once taken. Always whole command lines ending in CRLF.
  std::string TakeOutgoing();
  // stage is what the session is waiting for (kUnspecified once it is
  // closing or done), for choosing a deadline per stage.
  Stage stage() const;
  const SessionResult& result() const { return result_; }
  // TakeResult moves the final result out (kDone); result() is empty after.
  SessionResult TakeResult() { return std::move(result_); }

 private:
  enum class State {
    kConnect,
    kReadBanner,
    kReadEhloReply,
    kReadHeloReply,
    kReadStartTlsReply,
    kTlsHandshake,
    kReadEhloTlsReply,
    kReadQuitReply,
    kClose,
    kDone,
  };

  // How a failure ends the session.
  enum class Then { kQuit, kClose };

  // Run processes input_ until the session must wait.
  void Run();
  // ReadReply takes a complete reply out of input_; false when more bytes
  // are needed or the session failed.
  bool ReadReply(Reply* reply);
  void OnBanner(const Reply& reply);
  void OnEhloReply(const Reply& reply);
  void OnHeloReply(const Reply& reply);
  void OnStartTlsReply(const Reply& reply);
  void OnEhloTlsReply(const Reply& reply);
  // OnRefusal handles a non-success reply at `stage`: records the error,
  // and the deferral when `four_xx_defers`, then QUIT (or close on 421).
  void OnRefusal(Stage stage, const Reply& reply, absl::string_view what,
                 bool four_xx_defers);
  void Send(absl::string_view verb, bool with_name, State next);
  void Quit();
  // Fail records the first failure only (later ones are consequences) and
  // ends the session as `then` says.
  void Fail(Stage stage, ErrorKind kind, int code, std::string message,
            Then then, ReplyError reply_error = ReplyError::kNone);
  void Close();

  SessionOptions options_;
  State state_ = State::kConnect;
  ReplyParser parser_;
  std::string outgoing_;
  // The bytes of the OnBytes call being processed.
  absl::string_view input_;
  SessionResult result_;
};

// ActionName returns "connect", "write", "read", "starttls", "close" or
// "done" (for logs and tests).
absl::string_view ActionName(Session::Action action);

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_SESSION_H_
