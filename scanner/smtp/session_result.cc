#include "scanner/smtp/session_result.h"

#include "absl/strings/string_view.h"

namespace mxscan::smtp {

absl::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kUnspecified:
      return "STAGE_UNSPECIFIED";
    case Stage::kConnect:
      return "CONNECT";
    case Stage::kBanner:
      return "BANNER";
    case Stage::kEhlo:
      return "EHLO";
    case Stage::kStartTls:
      return "STARTTLS";
    case Stage::kHandshake:
      return "HANDSHAKE";
    case Stage::kEhloTls:
      return "EHLO_TLS";
    case Stage::kQuit:
      return "QUIT";
    case Stage::kInput:
      return "INPUT";
  }
  return "STAGE_UNSPECIFIED";
}

absl::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone:
      return "none";
    case ErrorKind::kConnectFailed:
      return "connect_failed";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kPeerClosed:
      return "peer_closed";
    case ErrorKind::kLocalClose:
      return "local_close";
    case ErrorKind::kTemporary:
      return "temporary";
    case ErrorKind::kRefused:
      return "refused";
    case ErrorKind::kUnexpectedReply:
      return "unexpected_reply";
    case ErrorKind::kMalformedReply:
      return "malformed_reply";
    case ErrorKind::kReplyTooLarge:
      return "reply_too_large";
    case ErrorKind::kStartTlsInjection:
      return "starttls_injection";
    case ErrorKind::kHandshakeFailed:
      return "handshake_failed";
    case ErrorKind::kInvalidOptions:
      return "invalid_options";
  }
  return "unknown";
}

}  // namespace mxscan::smtp
