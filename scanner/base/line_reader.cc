#include "scanner/base/line_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::base {
namespace {
constexpr size_t kBufferSize = 1 << 16;
}  // namespace

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(
    const std::string& path, size_t max_line) {
  if (path == "-") {
    return std::unique_ptr<LineReader>(new LineReader(0, false, max_line));
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot open input ", path, ": ", strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("input ", path, " is a directory"));
  }
  return std::unique_ptr<LineReader>(new LineReader(fd, true, max_line));
}

LineReader::LineReader(int fd, bool owned, size_t max_line)
    : fd_(fd),
      owned_(owned),
      max_line_(max_line),
      buffer_(new char[kBufferSize]) {}

LineReader::~LineReader() {
  if (owned_) close(fd_);
}

bool LineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (end_ < kBufferSize) {
    ssize_t n = read(fd_, buffer_.get() + end_, kBufferSize - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = absl::StrCat("reading input: ", strerror(errno));
      return false;
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return true;
  }
  return true;
}

LineReader::Result LineReader::Next(std::string* line) {
  line->clear();
  bool too_long = false;
  while (true) {
    char* start = buffer_.get() + begin_;
    char* newline =
        static_cast<char*>(std::memchr(start, '\n', end_ - begin_));
    const size_t available =
        newline ? static_cast<size_t>(newline - start) : end_ - begin_;
    // The CR of a CRLF ending is not part of the line's length.
    const size_t content = (newline != nullptr && available > 0 &&
                            start[available - 1] == '\r')
                               ? available - 1
                               : available;
    const size_t room = max_line_ > line->size() ? max_line_ - line->size() : 0;
    if (content > room) too_long = true;
    line->append(start, std::min(content, room));
    if (newline != nullptr) {
      begin_ += available + 1;
      break;
    }
    begin_ = end_;
    if (eof_) {
      if (line->empty() && !too_long) return Result::kEnd;
      break;
    }
    if (!Fill()) return Result::kError;
    if (eof_ && begin_ == end_) {
      if (line->empty() && !too_long) return Result::kEnd;
      break;
    }
  }
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return too_long ? Result::kTooLong : Result::kLine;
}

long long CountLines(const std::string& path) {
  if (path == "-") return -1;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return -1;
  }
  long long lines = 0;
  bool last_was_newline = true;
  std::unique_ptr<char[]> buf(new char[kBufferSize]);
  ssize_t n;
  while ((n = read(fd, buf.get(), kBufferSize)) > 0) {
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') ++lines;
    }
    last_was_newline = buf[n - 1] == '\n';
  }
  close(fd);
  if (!last_was_newline) ++lines;
  return lines;
}

}  // namespace mxscan::base
