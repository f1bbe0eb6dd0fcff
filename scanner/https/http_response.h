#ifndef MXSCAN_SCANNER_HTTPS_HTTP_RESPONSE_H_
#define MXSCAN_SCANNER_HTTPS_HTTP_RESPONSE_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mxscan::https {

// HttpResponseParser reads one HTTP/1.1 response (RFC 9112) from bytes
// fed in any split: status line, headers, and a body delimited by
// Content-Length, chunked transfer coding, or the end of the connection.
// Hard limits keep a hostile server from making it buffer without bound:
// the header block and the body are capped, and exceeding either is an
// error. Pure logic: no I/O.
class HttpResponseParser {
 public:
  struct Limits {
    size_t max_header_bytes = 16 * 1024;
    size_t max_body_bytes = 64 * 1024;  // RFC 8461 policies are small
  };

  explicit HttpResponseParser(Limits limits);
  HttpResponseParser() : HttpResponseParser(Limits()) {}

  // Feed consumes bytes; returns an error once the response is malformed
  // or too large (and keeps returning it).
  absl::Status Feed(absl::string_view bytes);
  // OnEof tells that the peer closed; completes a close-delimited body,
  // and is an error for a response cut short.
  absl::Status OnEof();

  bool complete() const { return state_ == State::kComplete; }
  int status_code() const { return status_code_; }
  const std::string& reason() const { return reason_; }
  // Header names lowercased, values trimmed, in order.
  const std::vector<std::pair<std::string, std::string>>& headers() const {
    return headers_;
  }
  // The first value of a header (name lowercase), or "".
  std::string Header(absl::string_view name) const;
  const std::string& body() const { return body_; }

 private:
  enum class State {
    kStatusLine,
    kHeaders,
    kBodyLength,
    kBodyUntilClose,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kComplete,
    kFailed,
  };

  absl::Status Fail(absl::string_view why);
  // Takes one CRLF- (or LF-) terminated line from buffer_, if complete.
  bool TakeLine(std::string* line);
  absl::Status Run();
  absl::Status ParseStatusLine(const std::string& line);
  absl::Status ParseHeaderLine(const std::string& line);
  absl::Status StartBody();
  absl::Status AppendBody(absl::string_view data);

  Limits limits_;
  State state_ = State::kStatusLine;
  std::string buffer_;
  size_t header_bytes_ = 0;
  int status_code_ = 0;
  std::string reason_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
  size_t remaining_ = 0;  // of a Content-Length body or of a chunk
  absl::Status error_;
};

}  // namespace mxscan::https

#endif  // MXSCAN_SCANNER_HTTPS_HTTP_RESPONSE_H_
