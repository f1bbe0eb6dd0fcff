#ifndef MXSCAN_SCANNER_SMTP_SESSION_RESULT_H_
#define MXSCAN_SCANNER_SMTP_SESSION_RESULT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/reply_parser.h"

namespace mxscan::smtp {

// Stage names the step of a probe that failed. The values are those of the
// mxscan.Stage proto enum, so the mapping is one to one.
enum class Stage {
  kUnspecified = 0,
  kConnect = 2,
  kBanner = 3,
  kEhlo = 4,  // EHLO, and HELO after a rejected EHLO
  kStartTls = 5,
  kHandshake = 6,
  kEhloTls = 7,
  kQuit = 8,
  kInput = 10,  // the session was given unusable options
};

// StageName returns the proto enum's name ("BANNER", "EHLO_TLS", ...).
absl::string_view StageName(Stage stage);

// ErrorKind classifies a failure, so that statistics need not read
// messages.
enum class ErrorKind {
  kNone = 0,
  kConnectFailed,      // OnConnectFailed
  kTimeout,            // OnTimeout
  kPeerClosed,         // OnPeerClosed
  kLocalClose,         // OnClosed before the session had finished
  kTemporary,          // a 4xx reply
  kRefused,            // a 5xx reply
  kUnexpectedReply,    // a well-formed reply with a code that makes no sense
  kMalformedReply,     // bytes that are not a reply; see reply_error
  kReplyTooLarge,      // a reply over a cap; see reply_error
  kStartTlsInjection,  // plaintext after the 220 to STARTTLS
  kHandshakeFailed,    // OnTlsHandshakeDone(false, ...)
  kInvalidOptions,     // SessionOptions rejected (stage kInput)
};

// ErrorKindName returns a stable lowercase name ("timeout", ...).
absl::string_view ErrorKindName(ErrorKind kind);

// SessionError is why a probe did not get through.
struct SessionError {
  Stage stage = Stage::kUnspecified;
  ErrorKind kind = ErrorKind::kNone;
  // For kMalformedReply and kReplyTooLarge: what the parser found.
  ReplyError reply_error = ReplyError::kNone;
  // The server's reply code when a reply caused the failure, or the errno
  // given to Session::OnConnectFailed, or the code given to
  // Session::OnTlsHandshakeDone; 0 otherwise (timeouts, closes, bytes that
  // are not SMTP).
  int code = 0;
  std::string message;
};

// SessionResult is everything one SMTP probe learnt. Server text is kept
// as sent (bytes 0x80-0xFF included; never control characters).
struct SessionResult {
  // The TCP connection was established.
  bool connected = false;

  // The greeting: its code (0 if none came) and the text of its lines.
  int banner_code = 0;
  std::vector<std::string> banner_lines;

  // The reply code to the first EHLO (0 if not sent or not answered).
  int ehlo_code = 0;
  // EHLO was rejected with 5xx and HELO was sent instead.
  bool helo_used = false;
  int helo_code = 0;
  // What the server advertised before TLS (empty after HELO).
  EhloReply ehlo;
  bool starttls_offered = false;

  // The reply code to STARTTLS (0 if not sent or not answered).
  int starttls_code = 0;
  // The caller reported a handshake outcome (or the handshake timed out or
  // the connection closed during it).
  bool tls_attempted = false;
  bool tls_succeeded = false;
  // The reply code to EHLO inside TLS and what it advertised.
  int ehlo_tls_code = 0;
  EhloReply ehlo_tls;

  // The reply code to QUIT (0 if none came, which is not an error).
  int quit_code = 0;

  // The server said "try later": a 4xx to the connection, EHLO/HELO or
  // STARTTLS. This says nothing about STARTTLS support; `error` says where.
  bool deferred = false;

  // Bytes the server sent before we had sent the command they would answer
  // (a pipelining violation). They are counted, dropped and otherwise
  // tolerated. `early_data_stage` is the stage of the first command they
  // preceded (kEhlo: the server talked between its banner and our EHLO).
  size_t early_data_bytes = 0;
  Stage early_data_stage = Stage::kUnspecified;

  // The first failure, if any. A probe that ended normally (even without
  // STARTTLS) has none.
  std::optional<SessionError> error;

  // Banner returns the text of the banner's first line ("" for none).
  absl::string_view Banner() const {
    return banner_lines.empty() ? absl::string_view()
                                : absl::string_view(banner_lines[0]);
  }
};

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_SESSION_RESULT_H_
