#ifndef MXSCAN_SCANNER_SCAN_RESULT_READER_H_
#define MXSCAN_SCANNER_SCAN_RESULT_READER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/mxscan.pb.h"

namespace mxscan::scan {

// ResultFiles lists the result files of a path: the file itself, or every
// "*.pb" file of a directory, sorted by name. Fails if there are none.
absl::StatusOr<std::vector<std::string>> ResultFiles(const std::string& path);

struct ReadStats {
  uint64_t records = 0;
  uint64_t torn = 0;  // files whose last record was cut short (dropped)
};

// ReadResults streams every DomainResult of `files` to `visit`, one at a
// time (memory does not grow with the files). A torn last record (a crash
// while writing) is dropped and counted, never half-read; any other
// corruption fails with the file's name.
absl::StatusOr<ReadStats> ReadResults(
    const std::vector<std::string>& files,
    const std::function<void(const DomainResult&)>& visit);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_RESULT_READER_H_
