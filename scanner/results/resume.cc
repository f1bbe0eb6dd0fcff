#include "scanner/results/resume.h"

#include <errno.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/results/result_reader.h"

namespace mxscan::results {

uint64_t CountResultFiles(const std::string& directory) {
  absl::StatusOr<std::vector<std::string>> files = ResultFiles(directory);
  return files.ok() ? files->size() : 0;
}

absl::StatusOr<ResumePoint> LoadResumePoint(const std::string& directory) {
  ResumePoint point;
  absl::StatusOr<std::vector<std::string>> files = ResultFiles(directory);
  if (!files.ok()) {
    if (absl::IsNotFound(files.status())) return point;  // nothing yet
    return files.status();
  }
  point.files = files->size();
  absl::StatusOr<ReadStats> read = ReadResults(
      *files, [&](const DomainResult& r) { point.done.Insert(r.domain()); });
  if (!read.ok()) return read.status();
  point.records = read->records;
  std::vector<TornFile> torn_files = read->torn_files;
  // Certificate files are repaired the same way.
  absl::StatusOr<std::vector<std::string>> certificate_files =
      ResultFiles(directory, ".certs");
  if (certificate_files.ok()) {
    Certificate certificate;
    absl::StatusOr<ReadStats> certificates =
        ReadRecords(*certificate_files, &certificate,
                    [](const google::protobuf::Message&) {});
    if (!certificates.ok()) return certificates.status();
    torn_files.insert(torn_files.end(), certificates->torn_files.begin(),
                      certificates->torn_files.end());
  }
  for (const TornFile& torn : torn_files) {
    if (truncate(torn.path.c_str(), torn.whole_bytes) != 0) {
      return absl::InternalError(
          absl::StrCat("cannot repair ", torn.path, ": ", strerror(errno)));
    }
    ++point.repaired;
  }
  return point;
}

}  // namespace mxscan::results
