#ifndef MXSCAN_SCANNER_BASE_LINE_READER_H_
#define MXSCAN_SCANNER_BASE_LINE_READER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace mxscan::base {

// LineReader reads text lines from a file descriptor with a hard cap on the
// length of a line, so that a hostile or binary input file cannot make the
// reader buffer without bound. Not thread-safe.
class LineReader {
 public:
  // Opens `path`, or standard input for "-".
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(
      const std::string& path, size_t max_line = 4096);
  ~LineReader();

  enum class Result { kLine, kTooLong, kEnd, kError };
  // Next reads one line without its end-of-line (LF or CRLF). kTooLong
  // skips the rest of an over-long line and leaves its first `max_line`
  // bytes in `line`. kError leaves the reason in error().
  Result Next(std::string* line);
  const std::string& error() const { return error_; }
  // Line number of the last line returned (1-based).
  size_t line_number() const { return line_number_; }

 private:
  LineReader(int fd, bool owned, size_t max_line);
  bool Fill();

  int fd_;
  bool owned_;
  size_t max_line_;
  std::unique_ptr<char[]> buffer_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  size_t line_number_ = 0;
  std::string error_;
};

// CountLines counts the lines of a regular file (for progress totals);
// returns -1 for anything else (stdin, pipes) or on error.
long long CountLines(const std::string& path);

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_LINE_READER_H_
