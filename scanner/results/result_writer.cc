#include "scanner/results/result_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scanner/base/delimited.h"

namespace mxscan::results {
namespace {
constexpr size_t kFlushBytes = 1 << 20;
}  // namespace

std::string UniqueRunId() {
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
  return absl::StrCat(stamp, "-", getpid());
}

absl::StatusOr<std::unique_ptr<ResultWriter>> ResultWriter::Open(
    std::string directory, std::string prefix, uint64_t max_file_bytes,
    std::string suffix) {
  std::unique_ptr<ResultWriter> writer(
      new ResultWriter(std::move(directory), std::move(prefix), max_file_bytes,
                       std::move(suffix)));
  absl::Status s = writer->OpenNext();
  if (!s.ok()) return s;
  return writer;
}

ResultWriter::ResultWriter(std::string directory, std::string prefix,
                           uint64_t max_file_bytes, std::string suffix)
    : directory_(std::move(directory)),
      prefix_(std::move(prefix)),
      max_file_bytes_(max_file_bytes),
      suffix_(std::move(suffix)) {}

ResultWriter::~ResultWriter() { Close().IgnoreError(); }

absl::Status ResultWriter::OpenNext() {
  path_ =
      absl::StrFormat("%s/%s-%05d%s", directory_, prefix_, sequence_, suffix_);
  fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    status_ = absl::PermissionDeniedError(
        absl::StrCat("cannot create ", path_, ": ", strerror(errno)));
    return status_;
  }
  ++sequence_;
  file_bytes_ = 0;
  return absl::OkStatus();
}

absl::Status ResultWriter::Flush() {
  if (!status_.ok()) return status_;
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("writing ", path_, ": ", strerror(errno)));
      return status_;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status ResultWriter::CloseFile() {
  absl::Status s = Flush();
  if (fd_ >= 0) {
    if (fsync(fd_) != 0 && status_.ok()) {
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("fsync ", path_, ": ", strerror(errno)));
    }
    close(fd_);
    fd_ = -1;
  }
  return status_;
}

absl::Status ResultWriter::Write(const google::protobuf::MessageLite& record) {
  if (!status_.ok()) return status_;
  const size_t size = record.ByteSizeLong();
  if (file_bytes_ > 0 && file_bytes_ + size + 5 > max_file_bytes_) {
    absl::Status s = CloseFile();
    if (!s.ok()) return s;
    s = OpenNext();
    if (!s.ok()) return s;
  }
  const size_t before = buffer_.size();
  base::AppendDelimited(record, &buffer_);
  file_bytes_ += buffer_.size() - before;
  ++records_;
  if (buffer_.size() >= kFlushBytes) return Flush();
  return absl::OkStatus();
}

absl::Status ResultWriter::Close() {
  if (fd_ < 0) return status_;
  return CloseFile();
}

}  // namespace mxscan::results
