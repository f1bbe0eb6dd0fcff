#include "scanner/smtp/reply_parser.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace mxscan::smtp {
namespace {

// RFC 5321 textstring is HT and 32-126; bytes 128-255 are tolerated because
// real greetings carry Latin-1 or UTF-8. Everything else is a control byte.
bool IsTextByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

std::string ShowByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7F) return absl::StrCat("'", std::string(1, c), "'");
  return absl::StrFormat("0x%02x", u);
}

}  // namespace

std::string Reply::Text() const { return absl::StrJoin(lines, "\n"); }

absl::string_view Reply::FirstLine() const {
  return lines.empty() ? absl::string_view() : absl::string_view(lines[0]);
}

absl::string_view ReplyErrorName(ReplyError error) {
  switch (error) {
    case ReplyError::kNone:
      return "none";
    case ReplyError::kNotAReply:
      return "not_a_reply";
    case ReplyError::kCodeMismatch:
      return "code_mismatch";
    case ReplyError::kBadCharacter:
      return "bad_character";
    case ReplyError::kLineTooLong:
      return "line_too_long";
    case ReplyError::kTooManyLines:
      return "too_many_lines";
    case ReplyError::kReplyTooLarge:
      return "reply_too_large";
  }
  return "unknown";
}

ReplyParser::ReplyParser(ReplyLimits limits) : limits_(limits) {}

bool ReplyParser::AtReplyBoundary() const {
  return state_ == State::kCode && reply_bytes_ == 0;
}

void ReplyParser::Reset() {
  state_ = State::kCode;
  digits_ = 0;
  line_code_ = 0;
  last_line_ = false;
  line_bytes_ = 0;
  reply_bytes_ = 0;
  reply_ = Reply();
  error_ = ReplyError::kNone;
  status_ = absl::OkStatus();
}

void ReplyParser::Fail(ReplyError error, std::string message) {
  state_ = State::kFailed;
  error_ = error;
  const bool cap = error == ReplyError::kLineTooLong ||
                   error == ReplyError::kTooManyLines ||
                   error == ReplyError::kReplyTooLarge;
  status_ = cap ? absl::ResourceExhaustedError(message)
                : absl::InvalidArgumentError(message);
  // The partial reply is of no use any more; give its memory back.
  reply_ = Reply();
}

ReplyParser::Result ReplyParser::Parse(absl::string_view* input, Reply* reply) {
  while (!input->empty()) {
    if (state_ == State::kText) {
      TakeText(input);
      if (input->empty()) break;
    }
    if (state_ == State::kFailed) return Result::kError;
    const bool complete = Step(input->front());
    if (state_ == State::kFailed) return Result::kError;
    input->remove_prefix(1);
    if (complete) {
      *reply = std::move(reply_);
      reply_ = Reply();
      state_ = State::kCode;
      digits_ = 0;
      line_code_ = 0;
      last_line_ = false;
      line_bytes_ = 0;
      reply_bytes_ = 0;
      return Result::kReply;
    }
  }
  return state_ == State::kFailed ? Result::kError : Result::kNeedMore;
}

void ReplyParser::TakeText(absl::string_view* input) {
  // Room left under both caps; the byte past it goes through Step, which
  // reports the cap.
  const size_t room = std::min(limits_.max_line_length - line_bytes_,
                               limits_.max_reply_bytes - reply_bytes_);
  const size_t limit = std::min(room, input->size());
  size_t n = 0;
  while (n < limit && IsTextByte((*input)[n])) ++n;
  if (n == 0) return;
  reply_.lines.back().append(input->data(), n);
  line_bytes_ += n;
  reply_bytes_ += n;
  input->remove_prefix(n);
}

bool ReplyParser::Step(char c) {
  if (line_bytes_ >= limits_.max_line_length) {
    Fail(ReplyError::kLineTooLong,
         absl::StrCat("reply line longer than ", limits_.max_line_length,
                      " bytes"));
    return false;
  }
  if (reply_bytes_ >= limits_.max_reply_bytes) {
    Fail(ReplyError::kReplyTooLarge,
         absl::StrCat("reply longer than ", limits_.max_reply_bytes, " bytes"));
    return false;
  }
  switch (state_) {
    case State::kCode: {
      const char lowest = digits_ == 0 ? '2' : '0';
      const char highest = digits_ == 0 ? '5' : '9';
      if (c < lowest || c > highest) {
        Fail(ReplyError::kNotAReply,
             absl::StrCat("not an SMTP reply: ", ShowByte(c), " where digit ",
                          digits_ + 1, " of a reply code 2xx-5xx belongs"));
        return false;
      }
      line_code_ = line_code_ * 10 + (c - '0');
      if (++digits_ == 3) {
        if (!reply_.lines.empty() && line_code_ != reply_.code) {
          Fail(ReplyError::kCodeMismatch,
               absl::StrCat("line ", reply_.lines.size() + 1, " has code ",
                            line_code_, " but the reply began with ",
                            reply_.code));
          return false;
        }
        state_ = State::kSeparator;
      }
      break;
    }
    case State::kSeparator:
      if (c != ' ' && c != '-' && c != '\r' && c != '\n') {
        Fail(ReplyError::kNotAReply,
             absl::StrCat("not an SMTP reply: ", ShowByte(c), " after code ",
                          line_code_));
        return false;
      }
      if (reply_.lines.empty()) reply_.code = line_code_;
      reply_.lines.emplace_back();
      last_line_ = c != '-';
      state_ = c == '\r' ? State::kCr : State::kText;
      if (c == '\n') {
        ++line_bytes_;
        ++reply_bytes_;
        return EndLine();
      }
      break;
    case State::kText:
      if (c == '\r') {
        state_ = State::kCr;
      } else if (c == '\n') {
        ++line_bytes_;
        ++reply_bytes_;
        return EndLine();
      } else if (IsTextByte(c)) {
        reply_.lines.back().push_back(c);
      } else {
        Fail(ReplyError::kBadCharacter,
             absl::StrCat("control character ", ShowByte(c),
                          " in a reply line"));
        return false;
      }
      break;
    case State::kCr:
      if (c != '\n') {
        Fail(ReplyError::kBadCharacter,
             absl::StrCat("CR followed by ", ShowByte(c), " instead of LF"));
        return false;
      }
      ++line_bytes_;
      ++reply_bytes_;
      return EndLine();
    case State::kFailed:
      return false;
  }
  ++line_bytes_;
  ++reply_bytes_;
  return false;
}

bool ReplyParser::EndLine() {
  if (last_line_) return true;
  if (reply_.lines.size() >= limits_.max_lines) {
    Fail(ReplyError::kTooManyLines,
         absl::StrCat("reply has more than ", limits_.max_lines, " lines"));
    return false;
  }
  state_ = State::kCode;
  digits_ = 0;
  line_code_ = 0;
  line_bytes_ = 0;
  return false;
}

}  // namespace mxscan::smtp
