#ifndef MXSCAN_SCANNER_BASE_OUTPUT_SINK_H_
#define MXSCAN_SCANNER_BASE_OUTPUT_SINK_H_

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mxscan::base {

// OutputSink is one output file (or standard output) shared by all
// workers. Workers fill their own buffers and hand over large chunks, so
// that there is no syscall per record; each chunk holds whole records and
// is written whole, in order of arrival. Thread-safe.
class OutputSink {
 public:
  // Opens `path` for writing (truncating), or standard output for "-".
  // `durable` files are fsync'ed at Close().
  static absl::StatusOr<std::unique_ptr<OutputSink>> Open(
      const std::string& path, bool durable);
  ~OutputSink();

  // Write appends `chunk`; the first failure is kept and returned by every
  // later call (a full disk must not lose silently).
  absl::Status Write(const std::string& chunk);
  // Close fsyncs a durable regular file and closes it.
  absl::Status Close();

 private:
  OutputSink(int fd, bool owned, bool durable, std::string path);
  absl::Status WriteLocked(const char* data, size_t size);

  std::mutex mutex_;
  int fd_;
  bool owned_;
  bool durable_;
  std::string path_;
  absl::Status status_;
};

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_OUTPUT_SINK_H_
