// Fuzz target: arbitrary server bytes, split arbitrarily, into an SMTP
// Session (acting after every read, as the I/O adapter does) and into the
// reply parser. Checks the promises of scanner/smtp beyond "no crash":
//  - memory stays under the caps (parser buffer, replies, the result);
//  - only whole EHLO/HELO/STARTTLS/QUIT lines are ever sent, in an order
//    a probe allows;
//  - every run ends, in a bounded number of steps;
//  - the parser's output does not depend on how the bytes are split;
//  - result fields agree with each other.
//
// Input: byte 0 holds flags, byte 1 the chunking, the rest is what the
// server sends (after a good handshake: what TLS decrypted).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/smtp/ehlo_reply.h"
#include "scanner/smtp/reply_parser.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"

namespace {

using ::mxscan::smtp::EhloExtension;
using ::mxscan::smtp::EhloReply;
using ::mxscan::smtp::ParseEhloReply;
using ::mxscan::smtp::Reply;
using ::mxscan::smtp::ReplyLimits;
using ::mxscan::smtp::ReplyParser;
using ::mxscan::smtp::Session;
using ::mxscan::smtp::SessionOptions;
using ::mxscan::smtp::SessionResult;
using ::mxscan::smtp::Stage;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "smtp_session_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

// Flags of byte 0.
constexpr uint8_t kNoStartTls = 1 << 0;
constexpr uint8_t kHandshakeFails = 1 << 1;
constexpr uint8_t kEndWithTimeout = 1 << 2;  // else the server closes
constexpr uint8_t kSmallCaps = 1 << 3;
constexpr uint8_t kConnectFails = 1 << 4;
constexpr uint8_t kTimeoutMidway = 1 << 5;

// Chunker cuts the server bytes into reads with a small xorshift generator,
// so that one input always gives the same cuts.
class Chunker {
 public:
  Chunker(absl::string_view data, uint8_t control)
      : data_(data), state_(0x9E3779B9u ^ (control * 0x01000193u)) {
    static constexpr size_t kMaxChunk[] = {1, 2, 3, 7, 16, 64, 512, 1 << 20};
    max_chunk_ = kMaxChunk[control & 7];
  }
  bool Done() const { return offset_ >= data_.size(); }
  absl::string_view Next() {
    const size_t n = 1 + Random() % max_chunk_;
    absl::string_view piece = data_.substr(offset_, n);
    offset_ += piece.size();
    return piece;
  }
  uint32_t Random() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

 private:
  absl::string_view data_;
  uint32_t state_;
  size_t max_chunk_;
  size_t offset_ = 0;
};

size_t TextBytes(const std::vector<std::string>& lines) {
  size_t n = 0;
  for (const std::string& l : lines) n += l.size();
  return n;
}

void CheckReply(const Reply& r, const ReplyLimits& limits) {
  Require(r.code >= 200 && r.code <= 599, "reply code in 200-599");
  Require(!r.lines.empty() && r.lines.size() <= limits.max_lines,
          "reply has 1..max_lines lines");
  Require(TextBytes(r.lines) <= limits.max_reply_bytes,
          "reply text under max_reply_bytes");
  for (const std::string& line : r.lines) {
    Require(line.size() + 4 <= limits.max_line_length,
            "reply line under max_line_length");
    for (char c : line) {
      const unsigned char u = static_cast<unsigned char>(c);
      Require(u == '\t' || (u >= 0x20 && u != 0x7F),
              "no control bytes in reply text");
    }
  }
}

void CheckEhlo(const EhloReply& e, const ReplyLimits& limits) {
  Require(e.extensions.size() < limits.max_lines, "EHLO extensions bounded");
  for (const EhloExtension& x : e.extensions) {
    Require(!x.keyword.empty(), "EHLO keyword not empty");
    for (char c : x.keyword) {
      Require(c != ' ' && c != '\t' && !(c >= 'a' && c <= 'z'),
              "EHLO keyword upper case, one word");
    }
  }
}

// The parser alone: the whole buffer and the chunked buffer give the same
// replies and the same error.
void FuzzParser(absl::string_view data, uint8_t control,
                const ReplyLimits& limits) {
  struct Outcome {
    std::vector<Reply> replies;
    mxscan::smtp::ReplyError error = mxscan::smtp::ReplyError::kNone;
  };
  auto run = [&](const std::vector<absl::string_view>& pieces) {
    Outcome out;
    ReplyParser parser(limits);
    for (absl::string_view piece : pieces) {
      for (;;) {
        Reply reply;
        const ReplyParser::Result r = parser.Parse(&piece, &reply);
        Require(parser.BufferedBytes() <= limits.max_reply_bytes,
                "parser buffer under max_reply_bytes");
        if (r == ReplyParser::Result::kReply) {
          CheckReply(reply, limits);
          CheckEhlo(ParseEhloReply(reply), limits);
          out.replies.push_back(std::move(reply));
          continue;
        }
        if (r == ReplyParser::Result::kError) {
          Require(!parser.status().ok(), "an error has a status");
          out.error = parser.error();
          return out;
        }
        Require(piece.empty(), "kNeedMore consumed everything");
        break;
      }
    }
    return out;
  };
  std::vector<absl::string_view> pieces;
  for (Chunker chunker(data, control); !chunker.Done();) {
    pieces.push_back(chunker.Next());
  }
  const Outcome whole = run({data});
  const Outcome chunked = run(pieces);
  Require(whole.error == chunked.error, "same error however split");
  Require(whole.replies.size() == chunked.replies.size(),
          "same replies however split");
  for (size_t i = 0; i < whole.replies.size(); ++i) {
    Require(whole.replies[i].code == chunked.replies[i].code &&
                whole.replies[i].lines == chunked.replies[i].lines,
            "same reply however split");
  }
}

// The probe may only send one of these sequences (or a prefix of one).
bool AllowedSequence(const std::string& sent) {
  static const char* const kAllowed[] = {
      "QUIT|",
      "EHLO|QUIT|",
      "EHLO|HELO|QUIT|",
      "EHLO|STARTTLS|QUIT|",
      "EHLO|STARTTLS|tls:EHLO|tls:QUIT|",
  };
  for (const char* allowed : kAllowed) {
    if (absl::string_view(allowed).substr(0, sent.size()) == sent) return true;
  }
  return false;
}

void CheckResult(const SessionResult& r, const SessionOptions& options) {
  const ReplyLimits& limits = options.limits;
  Require(TextBytes(r.banner_lines) <= limits.max_reply_bytes,
          "banner under the reply cap");
  Require(r.banner_lines.size() <= limits.max_lines, "banner lines bounded");
  CheckEhlo(r.ehlo, limits);
  CheckEhlo(r.ehlo_tls, limits);
  Require(!r.tls_succeeded || r.tls_attempted, "success implies attempt");
  Require(!r.tls_attempted || (r.starttls_code == 220 && r.starttls_offered &&
                               options.want_starttls && !r.helo_used),
          "a handshake only after an offered, wanted, accepted STARTTLS");
  Require(!r.helo_used || r.ehlo_code >= 500, "HELO only after EHLO 5xx");
  Require(!r.deferred || (r.error.has_value() && r.error->code >= 400 &&
                          r.error->code < 500),
          "deferred means a 4xx error");
  if (r.error.has_value()) {
    Require(r.error->stage != Stage::kUnspecified, "errors have a stage");
    Require(r.error->kind != mxscan::smtp::ErrorKind::kNone,
            "errors have a kind");
    const bool parse_error =
        r.error->kind == mxscan::smtp::ErrorKind::kMalformedReply ||
        r.error->kind == mxscan::smtp::ErrorKind::kReplyTooLarge;
    Require(parse_error ==
                (r.error->reply_error != mxscan::smtp::ReplyError::kNone),
            "reply_error set exactly for parse errors");
    Require(!r.error->message.empty(), "errors have a message");
    Require(r.error->message.size() < 1024, "error messages are short");
  }
  Require(r.early_data_bytes == 0 || r.early_data_stage != Stage::kUnspecified,
          "early data has a stage");
}

void FuzzSession(absl::string_view data, uint8_t flags, uint8_t control,
                 const ReplyLimits& limits) {
  SessionOptions options;
  options.ehlo_name = "fuzz.example";
  options.want_starttls = !(flags & kNoStartTls);
  options.limits = limits;
  Session session(options);
  Chunker chunker(data, control);
  bool in_tls = false;
  std::string sent;
  // Each step consumes a byte or moves the session on; the session has
  // fewer than 30 moves of its own.
  const size_t max_steps = data.size() + 64;
  size_t steps = 0;
  for (;; ++steps) {
    Require(steps <= max_steps, "the session ends in bounded steps");
    const Session::Action action = session.NextAction();
    if (action == Session::Action::kDone) break;
    switch (action) {
      case Session::Action::kConnect:
        if (flags & kConnectFails) {
          session.OnConnectFailed(111, "refused");
        } else {
          session.OnConnected();
        }
        break;
      case Session::Action::kWrite: {
        const std::string out = session.TakeOutgoing();
        std::string verb;
        if (out == "EHLO fuzz.example\r\n") {
          verb = "EHLO";
        } else if (out == "HELO fuzz.example\r\n") {
          verb = "HELO";
        } else if (out == "STARTTLS\r\n") {
          verb = "STARTTLS";
        } else if (out == "QUIT\r\n") {
          verb = "QUIT";
        } else {
          Require(false, "only whole EHLO/HELO/STARTTLS/QUIT lines are sent");
        }
        sent += (in_tls ? "tls:" : "") + verb + "|";
        Require(AllowedSequence(sent), "commands in an allowed order");
        break;
      }
      case Session::Action::kRead:
        if ((flags & kTimeoutMidway) && (chunker.Random() % 64) == 0) {
          session.OnTimeout();
        } else if (!chunker.Done()) {
          session.OnBytes(chunker.Next());
        } else if (flags & kEndWithTimeout) {
          session.OnTimeout();
        } else {
          session.OnPeerClosed();
        }
        break;
      case Session::Action::kStartTls:
        if (flags & kHandshakeFails) {
          session.OnTlsHandshakeDone(false, "fuzz says no", 40);
        } else {
          in_tls = true;
          session.OnTlsHandshakeDone(true, "");
        }
        break;
      case Session::Action::kClose:
        session.OnClosed();
        break;
      case Session::Action::kDone:
        break;
    }
    CheckResult(session.result(), options);
  }
  Require(session.NextAction() == Session::Action::kDone, "done stays done");
  Require(session.TakeOutgoing().empty(), "nothing to send when done");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const uint8_t control = data[1];
  const absl::string_view server(reinterpret_cast<const char*>(data + 2),
                                 size - 2);
  ReplyLimits limits;
  if (flags & kSmallCaps) {
    limits.max_line_length = 64;
    limits.max_lines = 8;
    limits.max_reply_bytes = 256;
  }
  FuzzParser(server, control, limits);
  FuzzSession(server, flags, control, limits);
  return 0;
}
