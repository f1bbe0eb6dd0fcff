#include "scanner/base/output_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace mxscan::base {

absl::StatusOr<std::unique_ptr<OutputSink>> OutputSink::Open(
    const std::string& path, bool durable) {
  if (path == "-") {
    return std::unique_ptr<OutputSink>(
        new OutputSink(1, false, false, "stdout"));
  }
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path, ": ", strerror(errno)));
  }
  return std::unique_ptr<OutputSink>(
      new OutputSink(fd, true, durable, path));
}

OutputSink::OutputSink(int fd, bool owned, bool durable, std::string path)
    : fd_(fd), owned_(owned), durable_(durable), path_(std::move(path)) {}

OutputSink::~OutputSink() { Close().IgnoreError(); }

absl::Status OutputSink::WriteLocked(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("writing ", path_, ": ", strerror(errno)));
      return status_;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status OutputSink::Write(const std::string& chunk) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status_.ok()) return status_;
  return WriteLocked(chunk.data(), chunk.size());
}

absl::Status OutputSink::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ < 0) return status_;
  if (owned_) {
    struct stat st;
    if (durable_ && fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) &&
        fsync(fd_) != 0 && status_.ok()) {
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("fsync ", path_, ": ", strerror(errno)));
    }
    if (close(fd_) != 0 && status_.ok()) {
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("closing ", path_, ": ", strerror(errno)));
    }
  }
  fd_ = -1;
  return status_;
}

}  // namespace mxscan::base
