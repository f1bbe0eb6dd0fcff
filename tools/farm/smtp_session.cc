#include "tools/farm/smtp_session.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace mxscan::farm {
namespace {

using Then = Step::Then;

// One line of huge_reply's EHLO reply: 1 KiB with its CRLF.
std::string FillerLine() {
  std::string line = "250-X-FARM-FILLER ";
  line.append(1024 - 2 - line.size(), 'x');
  line += "\r\n";
  return line;
}

// The verb of a command line, uppercase, and its argument.
void SplitCommand(absl::string_view line, std::string* verb,
                  absl::string_view* arg) {
  const size_t space = line.find(' ');
  *verb = absl::AsciiStrToUpper(line.substr(0, space));
  *arg = space == absl::string_view::npos
             ? absl::string_view()
             : absl::StripAsciiWhitespace(line.substr(space + 1));
}

}  // namespace

std::string SmtpSession::Banner() const {
  if (site_.behaviour == SmtpBehaviour::kMultilineBanner) {
    return absl::StrCat("220-", site_.name(), " ESMTP mxscan farm\r\n",
                        "220-This server is part of mxscan's simulated "
                        "sector.\r\n",
                        "220 No mail is accepted here.\r\n");
  }
  return absl::StrCat("220 ", site_.name(), " ESMTP mxscan farm\r\n");
}

std::string SmtpSession::EhloReply(absl::string_view client) const {
  std::string reply = absl::StrCat(
      "250-", site_.name(), " Hello ", client.empty() ? "unknown" : client,
      "\r\n", "250-PIPELINING\r\n", "250-SIZE 10240000\r\n");
  if (!tls_ && site_.behaviour != SmtpBehaviour::kNoStarttls) {
    reply += "250-STARTTLS\r\n";
  }
  reply += "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n";
  return reply;
}

Step SmtpSession::Start() {
  Step step;
  switch (site_.behaviour) {
    case SmtpBehaviour::kDefer421:
      step.send = absl::StrCat("421 4.3.2 ", site_.name(),
                               " Service not available, closing transmission "
                               "channel\r\n");
      step.then = Then::kClose;
      state_ = State::kIgnoring;
      return step;
    case SmtpBehaviour::kSilent:
      state_ = State::kIgnoring;
      return step;
    case SmtpBehaviour::kSlowBanner:
      state_ = State::kBeforeBanner;
      step.then = Then::kWait;
      step.wait_ms = site_.delay_ms;
      return step;
    case SmtpBehaviour::kEndlessLine:
      state_ = State::kBannerStream;
      step.send = "220 ";
      streamed_ = step.send.size();
      StreamChunk(&step);
      return step;
    default:
      state_ = State::kCommands;
      step.send = Banner();
      return step;
  }
}

Step SmtpSession::OnTimer() {
  Step step;
  if (state_ != State::kBeforeBanner) return step;
  state_ = State::kCommands;
  step.send = Banner();
  RunCommands(&step);  // an early talker's commands
  return step;
}

Step SmtpSession::OnDrained() {
  Step step;
  if (state_ == State::kBannerStream || state_ == State::kEhloStream) {
    StreamChunk(&step);
  }
  return step;
}

Step SmtpSession::OnTlsEstablished(absl::string_view) { return Step(); }

void SmtpSession::StreamChunk(Step* step) {
  const size_t room = kStreamCap > streamed_ ? kStreamCap - streamed_ : 0;
  if (state_ == State::kBannerStream) {
    const size_t n = std::min(room, kStreamChunk);
    step->send.append(n, 'x');
    streamed_ += n;
    if (streamed_ >= kStreamCap) {
      state_ = State::kIgnoring;
      step->then = Then::kClose;  // the line never ends
    } else {
      step->then = Then::kStream;
    }
    return;
  }
  // kEhloStream: whole filler lines, then the reply's last lines.
  static const std::string kFiller = FillerLine();
  while (step->send.size() + kFiller.size() <= kStreamChunk &&
         streamed_ < kStreamCap) {
    step->send += kFiller;
    streamed_ += kFiller.size();
  }
  if (streamed_ < kStreamCap) {
    step->then = Then::kStream;
    return;
  }
  step->send += "250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n";
  step->then = Then::kRead;
  state_ = State::kCommands;
  RunCommands(step);  // commands pipelined behind the EHLO
}

Step SmtpSession::OnBytes(absl::string_view bytes) {
  Step step;
  if (state_ == State::kIgnoring) return step;
  if (in_.size() + bytes.size() > kMaxInput) {
    in_.clear();
    state_ = State::kIgnoring;
    step.send = "500 5.5.0 Error: too much input\r\n";
    step.then = Then::kClose;
    return step;
  }
  in_.append(bytes.data(), bytes.size());
  if (state_ == State::kCommands) RunCommands(&step);
  return step;
}

void SmtpSession::RunCommands(Step* step) {
  while (state_ == State::kCommands && step->then == Then::kRead) {
    const size_t end = in_.find('\n');
    if (end == std::string::npos ? in_.size() > kMaxLine : end > kMaxLine) {
      state_ = State::kIgnoring;
      in_.clear();
      step->send += "500 5.5.0 Error: line too long\r\n";
      step->then = Then::kClose;
      return;
    }
    if (end == std::string::npos) return;
    std::string line = in_.substr(0, end);
    in_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // May clear in_: after STARTTLS nothing sent in the clear may be taken
    // as sent inside TLS (RFC 3207 section 4.2).
    Command(line, step);
  }
  if (state_ == State::kIgnoring) in_.clear();
}

void SmtpSession::Error(absl::string_view reply, Step* step) {
  if (++errors_ >= kMaxErrors) {
    step->send += "421 4.7.0 Error: too many errors\r\n";
    step->then = Then::kClose;
    state_ = State::kIgnoring;
    return;
  }
  step->send.append(reply.data(), reply.size());
}

void SmtpSession::Command(absl::string_view line, Step* step) {
  std::string verb;
  absl::string_view arg;
  SplitCommand(line, &verb, &arg);
  const SmtpBehaviour b = site_.behaviour;

  if (verb == "EHLO") {
    if (b == SmtpBehaviour::kEhlo502) {
      Error("502 5.5.2 Error: command not recognized\r\n", step);
      return;
    }
    if (b == SmtpBehaviour::kHugeReply && !tls_) {
      step->send += absl::StrCat("250-", site_.name(), " Hello ",
                                 arg.empty() ? "unknown" : arg, "\r\n");
      state_ = State::kEhloStream;
      streamed_ = 0;
      step->then = Then::kStream;
      return;
    }
    step->send += EhloReply(arg);
    return;
  }
  if (verb == "HELO") {
    step->send += absl::StrCat("250 ", site_.name(), "\r\n");
    return;
  }
  if (verb == "STARTTLS") {
    if (tls_) {
      Error("503 5.5.1 Error: TLS already active\r\n", step);
    } else if (b == SmtpBehaviour::kNoStarttls ||
               b == SmtpBehaviour::kEhlo502) {
      Error("502 5.5.1 Error: command not implemented\r\n", step);
    } else if (!arg.empty()) {
      Error("501 5.5.4 Syntax: STARTTLS\r\n", step);
    } else if (b == SmtpBehaviour::kStarttlsRefused) {
      step->send += "454 4.7.0 TLS not available due to local problem\r\n";
    } else {
      step->send += "220 2.0.0 Ready to start TLS\r\n";
      if (b == SmtpBehaviour::kStarttlsInjection) {
        // In the same write as the 220: a reply the client must not take
        // as coming from inside TLS.
        step->send += "250 2.0.0 injected before the handshake\r\n";
      }
      step->then = b == SmtpBehaviour::kGarbageTls       ? Then::kGarbageTls
                   : b == SmtpBehaviour::kResetHandshake ? Then::kResetHandshake
                                                         : Then::kStartTls;
      tls_ = true;
      errors_ = 0;
      in_.clear();  // pipelined plaintext is dropped (RFC 3207)
      state_ =
          step->then == Then::kStartTls ? State::kCommands : State::kIgnoring;
    }
    return;
  }
  if (verb == "QUIT") {
    step->send += "221 2.0.0 Bye\r\n";
    step->then = Then::kClose;
    state_ = State::kIgnoring;
    return;
  }
  if (verb == "NOOP" || verb == "RSET") {
    step->send += "250 2.0.0 Ok\r\n";
    return;
  }
  if (verb == "MAIL" || verb == "RCPT" || verb == "DATA" || verb == "BDAT") {
    Error("554 5.7.1 Error: the mxscan farm accepts no mail\r\n", step);
    return;
  }
  Error("502 5.5.2 Error: command not recognized\r\n", step);
}

}  // namespace mxscan::farm
