#ifndef MXSCAN_SCANNER_RESULTS_RESULT_READER_H_
#define MXSCAN_SCANNER_RESULTS_RESULT_READER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/mxscan.pb.h"

namespace mxscan::results {

// ResultFiles lists the result files of a path: the file itself, or every
// file of a directory whose name ends with `suffix` ("*.pb": domain
// records; "*.certs": certificates), sorted by name. Fails if there are
// none.
absl::StatusOr<std::vector<std::string>> ResultFiles(
    const std::string& path, const std::string& suffix = ".pb");

// A file whose last record was cut short, and the length of its whole
// records (truncating it there repairs it).
struct TornFile {
  std::string path;
  int64_t whole_bytes = 0;
};

struct ReadStats {
  uint64_t records = 0;
  uint64_t torn = 0;  // files whose last record was cut short (dropped)
  std::vector<TornFile> torn_files;
};

// ReadResults streams every DomainResult of `files` to `visit`, one at a
// time (memory does not grow with the files). A torn last record (a crash
// while writing) is dropped and counted, never half-read; any other
// corruption fails with the file's name.
absl::StatusOr<ReadStats> ReadResults(
    const std::vector<std::string>& files,
    const std::function<void(const DomainResult&)>& visit);

// ReadRecords is ReadResults for any record type: `record` is parsed in
// place for each record and passed to `visit`.
absl::StatusOr<ReadStats> ReadRecords(
    const std::vector<std::string>& files, google::protobuf::Message* record,
    const std::function<void(const google::protobuf::Message&)>& visit);

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_RESULT_READER_H_
