#include "scanner/smtp/session.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/reply_parser.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp {
namespace {

// RFC 5321 section 4.1.2: a Domain is at most 255 octets.
constexpr size_t kMaxEhloName = 255;
// Server text quoted in error messages is cut here.
constexpr size_t kMaxQuoted = 200;

bool IsFourXx(int code) { return code >= 400 && code < 500; }
bool IsFiveXx(int code) { return code >= 500 && code < 600; }

// "554 first line", cut to a readable length.
std::string Quote(const Reply& reply) {
  absl::string_view text = reply.FirstLine();
  std::string out = absl::StrCat(reply.code);
  if (!text.empty()) {
    absl::StrAppend(&out, " ", text.substr(0, kMaxQuoted));
    if (text.size() > kMaxQuoted) out += "...";
  }
  return out;
}

}  // namespace

absl::Status ValidateEhloName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxEhloName) {
    return absl::InvalidArgumentError(
        absl::StrCat("EHLO name must be 1-", kMaxEhloName, " bytes"));
  }
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) {
      return absl::InvalidArgumentError(
          "EHLO name must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::string_view ActionName(Session::Action action) {
  switch (action) {
    case Session::Action::kConnect:
      return "connect";
    case Session::Action::kWrite:
      return "write";
    case Session::Action::kRead:
      return "read";
    case Session::Action::kStartTls:
      return "starttls";
    case Session::Action::kClose:
      return "close";
    case Session::Action::kDone:
      return "done";
  }
  return "unknown";
}

Session::Session(SessionOptions options)
    : options_(std::move(options)), parser_(options_.limits) {
  if (absl::Status s = ValidateEhloName(options_.ehlo_name); !s.ok()) {
    result_.error =
        SessionError{Stage::kInput, ErrorKind::kInvalidOptions,
                     ReplyError::kNone, 0, std::string(s.message())};
    state_ = State::kDone;
  }
}

Session::Action Session::NextAction() const {
  switch (state_) {
    case State::kDone:
      return Action::kDone;
    case State::kClose:
      return Action::kClose;
    default:
      break;
  }
  if (!outgoing_.empty()) return Action::kWrite;
  switch (state_) {
    case State::kConnect:
      return Action::kConnect;
    case State::kTlsHandshake:
      return Action::kStartTls;
    default:
      return Action::kRead;
  }
}

Stage Session::stage() const {
  switch (state_) {
    case State::kConnect:
      return Stage::kConnect;
    case State::kReadBanner:
      return Stage::kBanner;
    case State::kReadEhloReply:
    case State::kReadHeloReply:
      return Stage::kEhlo;
    case State::kReadStartTlsReply:
      return Stage::kStartTls;
    case State::kTlsHandshake:
      return Stage::kHandshake;
    case State::kReadEhloTlsReply:
      return Stage::kEhloTls;
    case State::kReadQuitReply:
      return Stage::kQuit;
    case State::kClose:
    case State::kDone:
      return Stage::kUnspecified;
  }
  return Stage::kUnspecified;
}

std::string Session::TakeOutgoing() { return std::exchange(outgoing_, {}); }

void Session::OnConnected() {
  if (state_ != State::kConnect) return;
  result_.connected = true;
  state_ = State::kReadBanner;
}

void Session::OnConnectFailed(int error_number, absl::string_view message) {
  if (state_ != State::kConnect) return;
  Fail(Stage::kConnect, ErrorKind::kConnectFailed, error_number,
       message.empty() ? "connection failed" : std::string(message),
       Then::kClose);
}

void Session::OnBytes(absl::string_view bytes) {
  // Bytes can only come over a connection; a caller that skipped
  // OnConnected evidently has one.
  if (state_ == State::kConnect) OnConnected();
  input_ = bytes;
  Run();
  input_ = absl::string_view();
}

void Session::OnTlsHandshakeDone(bool ok, std::string error, int code) {
  if (state_ != State::kTlsHandshake) return;
  result_.tls_attempted = true;
  if (!ok) {
    Fail(Stage::kHandshake, ErrorKind::kHandshakeFailed, code,
         error.empty() ? "TLS handshake failed" : std::move(error),
         Then::kClose);
    return;
  }
  result_.tls_succeeded = true;
  // RFC 3207 section 4.2: forget what was learnt before TLS and ask again.
  // The parser is at a reply boundary here (any byte after the 220 failed
  // the session); Reset makes that independent of the reasoning.
  parser_.Reset();
  Send("EHLO", /*with_name=*/true, State::kReadEhloTlsReply);
}

void Session::OnPeerClosed() {
  switch (state_) {
    case State::kClose:
    case State::kDone:
      return;
    case State::kReadQuitReply:
      // A server may close right after QUIT (or instead of answering it).
      Close();
      return;
    case State::kTlsHandshake:
      result_.tls_attempted = true;
      Fail(Stage::kHandshake, ErrorKind::kPeerClosed, 0,
           "connection closed during the TLS handshake", Then::kClose);
      return;
    default:
      break;
  }
  Fail(stage(), ErrorKind::kPeerClosed, 0,
       parser_.AtReplyBoundary()
           ? "connection closed by the server"
           : "connection closed by the server in the middle of a reply",
       Then::kClose);
}

void Session::OnTimeout() {
  switch (state_) {
    case State::kClose:
    case State::kDone:
      return;
    case State::kReadQuitReply:
      Close();  // a missing reply to QUIT is not an error
      return;
    case State::kConnect:
      Fail(Stage::kConnect, ErrorKind::kTimeout, 0, "timed out connecting",
           Then::kClose);
      return;
    case State::kTlsHandshake:
      result_.tls_attempted = true;
      Fail(Stage::kHandshake, ErrorKind::kTimeout, 0,
           "timed out in the TLS handshake", Then::kClose);
      return;
    default:
      break;
  }
  Fail(stage(), ErrorKind::kTimeout, 0,
       !outgoing_.empty()
           ? "timed out writing our command"
           : (parser_.AtReplyBoundary() ? "timed out waiting for a reply"
                                        : "timed out in the middle of a reply"),
       Then::kClose);
}

void Session::OnClosed() {
  if (state_ == State::kDone) return;
  if (state_ != State::kClose) {
    Fail(stage(), ErrorKind::kLocalClose, 0,
         "connection closed by the client before the end", Then::kClose);
  }
  outgoing_.clear();
  state_ = State::kDone;
}

void Session::Run() {
  for (;;) {
    Reply reply;
    switch (state_) {
      case State::kConnect:
      case State::kClose:
      case State::kDone:
        input_ = absl::string_view();  // nothing more is listened to
        return;
      case State::kTlsHandshake:
        if (input_.empty()) return;
        // The server (or someone in the path) sent plaintext after its 220.
        // Handing it to TLS or reading it as a reply after the handshake is
        // the STARTTLS command injection flaw; it ends the probe here.
        input_ = absl::string_view();
        Fail(Stage::kStartTls, ErrorKind::kStartTlsInjection, 0,
             "plaintext bytes after the 220 reply to STARTTLS, before the TLS "
             "handshake (possible STARTTLS command injection)",
             Then::kClose);
        continue;
      case State::kReadBanner:
        if (!ReadReply(&reply)) return;
        OnBanner(reply);
        continue;
      case State::kReadEhloReply:
        if (!ReadReply(&reply)) return;
        OnEhloReply(reply);
        continue;
      case State::kReadHeloReply:
        if (!ReadReply(&reply)) return;
        OnHeloReply(reply);
        continue;
      case State::kReadStartTlsReply:
        if (!ReadReply(&reply)) return;
        OnStartTlsReply(reply);
        continue;
      case State::kReadEhloTlsReply:
        if (!ReadReply(&reply)) return;
        OnEhloTlsReply(reply);
        continue;
      case State::kReadQuitReply:
        if (!ReadReply(&reply)) return;
        result_.quit_code = reply.code;
        Close();
        continue;
    }
  }
}

bool Session::ReadReply(Reply* reply) {
  if (input_.empty()) return false;
  if (!outgoing_.empty()) {
    // Our command has not left yet, so these bytes answer nothing. Reading
    // them as its reply would shift every later reply by one; drop them.
    if (result_.early_data_bytes == 0) result_.early_data_stage = stage();
    result_.early_data_bytes += input_.size();
    input_ = absl::string_view();
    return false;
  }
  switch (parser_.Parse(&input_, reply)) {
    case ReplyParser::Result::kNeedMore:
      return false;
    case ReplyParser::Result::kReply:
      return true;
    case ReplyParser::Result::kError:
      break;
  }
  input_ = absl::string_view();
  // Broken framing: nothing later on this connection can be trusted, not
  // even a reply to QUIT, so just close.
  const bool cap =
      parser_.status().code() == absl::StatusCode::kResourceExhausted;
  Fail(stage(), cap ? ErrorKind::kReplyTooLarge : ErrorKind::kMalformedReply, 0,
       std::string(parser_.status().message()), Then::kClose, parser_.error());
  return false;
}

void Session::OnBanner(const Reply& reply) {
  result_.banner_code = reply.code;
  result_.banner_lines = reply.lines;
  if (reply.code == 220) {
    Send("EHLO", /*with_name=*/true, State::kReadEhloReply);
    return;
  }
  OnRefusal(Stage::kBanner, reply, "greeting", /*four_xx_defers=*/true);
}

void Session::OnEhloReply(const Reply& reply) {
  result_.ehlo_code = reply.code;
  if (reply.code == 250) {
    result_.ehlo = ParseEhloReply(reply);
    result_.starttls_offered = result_.ehlo.starttls();
    if (result_.starttls_offered && options_.want_starttls) {
      Send("STARTTLS", /*with_name=*/false, State::kReadStartTlsReply);
    } else {
      Quit();
    }
    return;
  }
  if (IsFiveXx(reply.code)) {
    // RFC 5321 section 3.2: a client must be able to fall back to HELO.
    result_.helo_used = true;
    Send("HELO", /*with_name=*/true, State::kReadHeloReply);
    return;
  }
  OnRefusal(Stage::kEhlo, reply, "reply to EHLO", /*four_xx_defers=*/true);
}

void Session::OnHeloReply(const Reply& reply) {
  result_.helo_code = reply.code;
  if (reply.code == 250) {
    Quit();  // HELO advertises nothing, STARTTLS included
    return;
  }
  OnRefusal(Stage::kEhlo, reply, "reply to HELO", /*four_xx_defers=*/true);
}

void Session::OnStartTlsReply(const Reply& reply) {
  result_.starttls_code = reply.code;
  if (reply.code == 220) {
    state_ = State::kTlsHandshake;
    return;
  }
  OnRefusal(Stage::kStartTls, reply, "reply to STARTTLS",
            /*four_xx_defers=*/true);
}

void Session::OnEhloTlsReply(const Reply& reply) {
  result_.ehlo_tls_code = reply.code;
  if (reply.code == 250) {
    result_.ehlo_tls = ParseEhloReply(reply);
    Quit();
    return;
  }
  // Inside TLS the STARTTLS question is answered; a 4xx here does not make
  // the probe "try later".
  OnRefusal(Stage::kEhloTls, reply, "reply to EHLO inside TLS",
            /*four_xx_defers=*/false);
}

void Session::OnRefusal(Stage stage, const Reply& reply, absl::string_view what,
                        bool four_xx_defers) {
  std::string words = "unexpected";
  ErrorKind kind = ErrorKind::kUnexpectedReply;
  if (IsFourXx(reply.code)) {
    words = "temporary failure";
    kind = ErrorKind::kTemporary;
    if (four_xx_defers) result_.deferred = true;
  } else if (IsFiveXx(reply.code)) {
    words = "refused";
    kind = ErrorKind::kRefused;
  }
  // RFC 5321 section 3.8: with 421 the server is closing the channel.
  const Then then = reply.code == 421 ? Then::kClose : Then::kQuit;
  Fail(stage, kind, reply.code,
       absl::StrCat(words, " ", what, ": ", Quote(reply)), then);
}

void Session::Send(absl::string_view verb, bool with_name, State next) {
  absl::StrAppend(&outgoing_, verb);
  if (with_name) absl::StrAppend(&outgoing_, " ", options_.ehlo_name);
  outgoing_ += "\r\n";
  state_ = next;
}

void Session::Quit() {
  Send("QUIT", /*with_name=*/false, State::kReadQuitReply);
}

void Session::Fail(Stage stage, ErrorKind kind, int code, std::string message,
                   Then then, ReplyError reply_error) {
  if (!result_.error.has_value()) {
    result_.error =
        SessionError{stage, kind, reply_error, code, std::move(message)};
  }
  if (then == Then::kQuit) {
    Quit();
  } else {
    Close();
  }
}

void Session::Close() {
  outgoing_.clear();
  state_ = State::kClose;
}

}  // namespace mxscan::smtp
