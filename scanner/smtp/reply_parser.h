#ifndef MXSCAN_SCANNER_SMTP_REPLY_PARSER_H_
#define MXSCAN_SCANNER_SMTP_REPLY_PARSER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mxscan::smtp {

// SMTP replies as a client reads them (RFC 5321 section 4.2): one or more
// lines "CODE-text" ending with "CODE text" (or just "CODE"). Pure code over
// bytes; nothing here does I/O.

// ReplyLimits bounds what one reply may hold, so that a hostile server can
// never make the parser buffer without bound. RFC 5321 section 4.5.3.1.5
// allows 512-byte reply lines; the defaults leave generous room.
struct ReplyLimits {
  // Bytes of one line, the code and the line ending included.
  size_t max_line_length = 2048;
  // Lines of one reply.
  size_t max_lines = 100;
  // Bytes of one reply, every line ending included.
  size_t max_reply_bytes = 64 * 1024;
};

// Reply is one complete reply.
struct Reply {
  // 200..599.
  int code = 0;
  // The text of each line: what follows the code and its separator (' ' or
  // '-'), without the line ending. Bytes 0x80-0xFF are kept as sent (some
  // servers greet in Latin-1 or UTF-8); control characters never occur.
  std::vector<std::string> lines;

  // Text returns the lines joined by "\n".
  std::string Text() const;
  // FirstLine returns the text of the first line ("" for none).
  absl::string_view FirstLine() const;
};

// ReplyError classifies why bytes are not a reply.
enum class ReplyError {
  kNone = 0,
  // A line does not start with a 3-digit code 2xx-5xx followed by ' ', '-'
  // or the line ending: garbage, binary, a TLS record, an HTTP server.
  kNotAReply,
  // A line of a multi-line reply carries another code than the first.
  kCodeMismatch,
  // A control character (NUL, ESC, a CR not followed by LF, ...) in a line.
  kBadCharacter,
  // The caps of ReplyLimits.
  kLineTooLong,
  kTooManyLines,
  kReplyTooLarge,
};

// ReplyErrorName returns a stable lowercase name ("line_too_long", ...).
absl::string_view ReplyErrorName(ReplyError error);

// ReplyParser turns a byte stream, split in any way, into replies. It holds
// only the reply in progress (bounded by its ReplyLimits) and validates each
// byte as it arrives, so garbage is reported at its first byte and a line
// that never ends at its cap, never later. Line endings may be CRLF or a
// bare LF. Not thread-safe.
class ReplyParser {
 public:
  explicit ReplyParser(ReplyLimits limits = ReplyLimits());

  enum class Result {
    // All of the input was consumed; the reply is not complete yet.
    kNeedMore,
    // A reply completed; the bytes after it are left in the input.
    kReply,
    // The bytes are not a reply; see error() and status(). Sticky: every
    // later call returns kError without consuming anything.
    kError,
  };

  // Parse consumes bytes from the front of `*input` and advances it. It
  // stops right after the line ending that completes a reply, which it moves
  // into `*reply` (kReply), or at the first byte that is not part of a reply
  // or exceeds a cap (kError; that byte stays in `*input`).
  Result Parse(absl::string_view* input, Reply* reply);

  ReplyError error() const { return error_; }
  // OK, or InvalidArgument (syntax) / ResourceExhausted (caps) with a
  // message for people.
  const absl::Status& status() const { return status_; }

  // AtReplyBoundary is true when no part of a reply has been read (a fresh
  // parser, or just after a reply).
  bool AtReplyBoundary() const;
  // BufferedBytes is the size of the reply in progress as received, which
  // never exceeds limits().max_reply_bytes.
  size_t BufferedBytes() const { return reply_bytes_; }
  const ReplyLimits& limits() const { return limits_; }

  // Reset forgets the reply in progress and any error.
  void Reset();

 private:
  enum class State {
    kCode,       // reading the 3 digits of a line's code
    kSeparator,  // after the code: ' ', '-' or the line ending
    kText,       // the text of the line
    kCr,         // after a CR: only LF may follow
    kFailed,
  };

  // Step handles one byte; returns true when that byte completed a reply.
  bool Step(char c);
  // TakeText appends the run of plain text bytes at the front of `*input`
  // (at most what the caps allow) to the current line.
  void TakeText(absl::string_view* input);
  bool EndLine();
  void Fail(ReplyError error, std::string message);

  ReplyLimits limits_;
  State state_ = State::kCode;
  int digits_ = 0;     // digits of the current line's code read so far
  int line_code_ = 0;  // the current line's code
  bool last_line_ = false;
  size_t line_bytes_ = 0;   // bytes of the current line so far
  size_t reply_bytes_ = 0;  // bytes of the current reply so far
  Reply reply_;
  ReplyError error_ = ReplyError::kNone;
  absl::Status status_;
};

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_REPLY_PARSER_H_
