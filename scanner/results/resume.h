#ifndef MXSCAN_SCANNER_RESULTS_RESUME_H_
#define MXSCAN_SCANNER_RESULTS_RESUME_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "scanner/results/domain_set.h"

namespace mxscan::results {

// What an earlier run of a scan left in its output directory.
struct ResumePoint {
  DomainSet done;         // domains with a whole record
  uint64_t records = 0;   // whole records found
  uint64_t files = 0;     // result files found
  uint64_t repaired = 0;  // files truncated after their last whole record
};

// LoadResumePoint reads every result file (*.pb) of `directory`. A file
// whose last record was cut short by a crash (kill -9, power loss) is
// truncated to its whole records, so that later readers see a clean file;
// the domain of the torn record has no record and is scanned again
// (certificate files, *.certs, are repaired alike). A
// directory without result files gives an empty point. Any other
// corruption fails: resuming must not guess.
absl::StatusOr<ResumePoint> LoadResumePoint(const std::string& directory);

// CountResultFiles is the number of result files (*.pb) in `directory`
// (0 when it does not exist).
uint64_t CountResultFiles(const std::string& directory);

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_RESUME_H_
