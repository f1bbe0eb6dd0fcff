#ifndef MXSCAN_SCANNER_RESULTS_RESULT_WRITER_H_
#define MXSCAN_SCANNER_RESULTS_RESULT_WRITER_H_

#include <google/protobuf/message_lite.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mxscan::results {

// ResultWriter writes one worker's records into a series of files in the
// output directory, "<prefix>-<seq><suffix>", each in the protobuf library's
// length-delimited format and at most `max_file_bytes` long (a new file is
// started before a record would cross the limit). Records are buffered
// and written in large chunks, always whole; a file is fsync'ed when it is
// closed (at rotation and at Close()). After a crash, only the last record
// of a file can be torn, and readers detect and drop it.
// Used by one thread; one writer per file.
class ResultWriter {
 public:
  static absl::StatusOr<std::unique_ptr<ResultWriter>> Open(
      std::string directory, std::string prefix,
      uint64_t max_file_bytes = 64ull << 20, std::string suffix = ".pb");
  ~ResultWriter();

  // Write appends one record. The first error is sticky.
  absl::Status Write(const google::protobuf::MessageLite& record);
  // Flush hands buffered records to the kernel.
  absl::Status Flush();
  // Close flushes, fsyncs and closes the current file.
  absl::Status Close();

  uint64_t records() const { return records_; }
  uint64_t files() const { return sequence_; }

 private:
  ResultWriter(std::string directory, std::string prefix,
               uint64_t max_file_bytes, std::string suffix);
  absl::Status OpenNext();
  absl::Status CloseFile();

  std::string directory_;
  std::string prefix_;
  uint64_t max_file_bytes_;
  std::string suffix_;
  int fd_ = -1;
  std::string path_;
  uint64_t file_bytes_ = 0;  // written or buffered in the current file
  uint64_t sequence_ = 0;
  uint64_t records_ = 0;
  std::string buffer_;
  absl::Status status_;
};

// UniqueRunId names one run's files: UTC time, process id.
std::string UniqueRunId();

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_RESULT_WRITER_H_
