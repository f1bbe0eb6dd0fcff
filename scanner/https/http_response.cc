#include "scanner/https/http_response.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mxscan::https {

HttpResponseParser::HttpResponseParser(Limits limits) : limits_(limits) {}

absl::Status HttpResponseParser::Fail(absl::string_view why) {
  state_ = State::kFailed;
  error_ = absl::DataLossError(why);
  buffer_.clear();
  return error_;
}

std::string HttpResponseParser::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers_) {
    if (key == name) return value;
  }
  return "";
}

bool HttpResponseParser::TakeLine(std::string* line) {
  const size_t newline = buffer_.find('\n');
  if (newline == std::string::npos) return false;
  size_t end = newline;
  if (end > 0 && buffer_[end - 1] == '\r') --end;
  line->assign(buffer_, 0, end);
  buffer_.erase(0, newline + 1);
  return true;
}

absl::Status HttpResponseParser::Feed(absl::string_view bytes) {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kComplete) return absl::OkStatus();  // ignore extra
  buffer_.append(bytes.data(), bytes.size());
  return Run();
}

absl::Status HttpResponseParser::OnEof() {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kBodyUntilClose) {
    state_ = State::kComplete;
    return absl::OkStatus();
  }
  if (state_ != State::kComplete) {
    return Fail("connection closed before the whole response");
  }
  return absl::OkStatus();
}

absl::Status HttpResponseParser::ParseStatusLine(const std::string& line) {
  // HTTP-version SP status-code SP [reason-phrase]
  if (!absl::StartsWith(line, "HTTP/1.") || line.size() < 12 ||
      line[8] != ' ') {
    return Fail(absl::StrCat("not an HTTP/1.x status line: \"",
                             absl::CHexEscape(line.substr(0, 40)), "\""));
  }
  if (!absl::SimpleAtoi(line.substr(9, 3), &status_code_) ||
      status_code_ < 100 || status_code_ > 599 ||
      (line.size() > 12 && line[12] != ' ')) {
    return Fail("bad HTTP status code");
  }
  reason_ = line.size() > 13 ? line.substr(13) : "";
  return absl::OkStatus();
}

absl::Status HttpResponseParser::ParseHeaderLine(const std::string& line) {
  if (line[0] == ' ' || line[0] == '\t') {
    return Fail("obsolete header line folding");
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0) {
    return Fail("header line without a name");
  }
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  for (char c : name) {
    if (c <= ' ' || c >= 0x7f) return Fail("bad character in a header name");
  }
  headers_.emplace_back(
      std::move(name),
      std::string(absl::StripAsciiWhitespace(
          absl::string_view(line).substr(colon + 1))));
  return absl::OkStatus();
}

absl::Status HttpResponseParser::StartBody() {
  // 1xx, 204 and 304 have no body.
  if (status_code_ < 200 || status_code_ == 204 || status_code_ == 304) {
    state_ = State::kComplete;
    return absl::OkStatus();
  }
  const std::string encoding = absl::AsciiStrToLower(Header("transfer-encoding"));
  if (!encoding.empty()) {
    if (encoding != "chunked") {
      return Fail(absl::StrCat("unsupported transfer coding \"", encoding, "\""));
    }
    state_ = State::kChunkSize;
    return absl::OkStatus();
  }
  const std::string length = Header("content-length");
  if (!length.empty()) {
    uint64_t n = 0;
    if (!absl::SimpleAtoi(length, &n)) return Fail("bad Content-Length");
    if (n > limits_.max_body_bytes) {
      return Fail(absl::StrCat("body of ", n, " bytes exceeds the limit of ",
                               limits_.max_body_bytes));
    }
    remaining_ = static_cast<size_t>(n);
    state_ = remaining_ == 0 ? State::kComplete : State::kBodyLength;
    return absl::OkStatus();
  }
  state_ = State::kBodyUntilClose;
  return absl::OkStatus();
}

absl::Status HttpResponseParser::AppendBody(absl::string_view data) {
  if (body_.size() + data.size() > limits_.max_body_bytes) {
    return Fail(absl::StrCat("body exceeds the limit of ",
                             limits_.max_body_bytes, " bytes"));
  }
  body_.append(data.data(), data.size());
  return absl::OkStatus();
}

absl::Status HttpResponseParser::Run() {
  std::string line;
  while (true) {
    switch (state_) {
      case State::kStatusLine:
      case State::kHeaders:
      case State::kTrailers: {
        if (!TakeLine(&line)) {
          if (header_bytes_ + buffer_.size() > limits_.max_header_bytes) {
            return Fail("response header too large");
          }
          return absl::OkStatus();
        }
        header_bytes_ += line.size() + 2;
        if (header_bytes_ > limits_.max_header_bytes) {
          return Fail("response header too large");
        }
        absl::Status s;
        if (state_ == State::kStatusLine) {
          s = ParseStatusLine(line);
          if (s.ok()) state_ = State::kHeaders;
        } else if (line.empty()) {
          s = state_ == State::kHeaders ? StartBody() : absl::OkStatus();
          if (state_ == State::kTrailers) state_ = State::kComplete;
        } else if (state_ == State::kHeaders) {
          s = ParseHeaderLine(line);
        }
        if (!s.ok()) return s;
        break;
      }
      case State::kBodyLength: {
        const size_t n = std::min(remaining_, buffer_.size());
        absl::Status s = AppendBody(absl::string_view(buffer_).substr(0, n));
        if (!s.ok()) return s;
        buffer_.erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return absl::OkStatus();
        state_ = State::kComplete;
        break;
      }
      case State::kBodyUntilClose: {
        absl::Status s = AppendBody(buffer_);
        buffer_.clear();
        return s;
      }
      case State::kChunkSize: {
        if (!TakeLine(&line)) {
          if (buffer_.size() > 1024) return Fail("chunk size line too long");
          return absl::OkStatus();
        }
        // The same limit for a line that came whole, so that the outcome
        // does not depend on how the bytes were split.
        if (line.size() > 1024) return Fail("chunk size line too long");
        absl::string_view size = line;
        const size_t semicolon = size.find(';');  // chunk extensions
        if (semicolon != absl::string_view::npos) size = size.substr(0, semicolon);
        size = absl::StripAsciiWhitespace(size);
        uint64_t n = 0;
        if (size.empty() || size.size() > 16 ||
            !absl::SimpleHexAtoi(size, &n)) {
          return Fail("bad chunk size");
        }
        if (n > limits_.max_body_bytes) return Fail("chunk exceeds the body limit");
        remaining_ = static_cast<size_t>(n);
        state_ = remaining_ == 0 ? State::kTrailers : State::kChunkData;
        break;
      }
      case State::kChunkData: {
        const size_t n = std::min(remaining_, buffer_.size());
        absl::Status s = AppendBody(absl::string_view(buffer_).substr(0, n));
        if (!s.ok()) return s;
        buffer_.erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return absl::OkStatus();
        state_ = State::kChunkDataEnd;
        break;
      }
      case State::kChunkDataEnd: {
        if (!TakeLine(&line)) {
          if (buffer_.size() > 2) return Fail("chunk not followed by CRLF");
          return absl::OkStatus();
        }
        if (!line.empty()) return Fail("chunk not followed by CRLF");
        state_ = State::kChunkSize;
        break;
      }
      case State::kComplete:
        buffer_.clear();
        return absl::OkStatus();
      case State::kFailed:
        return error_;
    }
  }
}

}  // namespace mxscan::https
