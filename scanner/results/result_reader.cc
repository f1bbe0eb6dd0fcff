#include "scanner/results/result_reader.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mxscan::results {

// Records larger than this are corruption, not results.
constexpr uint32_t kMaxRecordBytes = 64u << 20;

absl::StatusOr<std::vector<std::string>> ResultFiles(
    const std::string& path, const std::string& suffix) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", strerror(errno)));
  }
  std::vector<std::string> files;
  if (!S_ISDIR(st.st_mode)) {
    files.push_back(path);
    return files;
  }
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot list ", path, ": ", strerror(errno)));
  }
  while (dirent* entry = readdir(dir)) {
    if (absl::EndsWith(entry->d_name, suffix)) {
      files.push_back(absl::StrCat(path, "/", entry->d_name));
    }
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no result files (*", suffix, ") in ", path));
  }
  return files;
}

absl::StatusOr<ReadStats> ReadResults(
    const std::vector<std::string>& files,
    const std::function<void(const DomainResult&)>& visit) {
  DomainResult record;
  return ReadRecords(files, &record, [&](const google::protobuf::Message& m) {
    visit(static_cast<const DomainResult&>(m));
  });
}

absl::StatusOr<ReadStats> ReadRecords(
    const std::vector<std::string>& files, google::protobuf::Message* record,
    const std::function<void(const google::protobuf::Message&)>& visit) {
  ReadStats stats;
  std::string bytes;
  for (const std::string& file : files) {
    int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return absl::NotFoundError(
          absl::StrCat("cannot open ", file, ": ", strerror(errno)));
    }
    struct stat st;
    const int64_t file_size = fstat(fd, &st) == 0 ? st.st_size : -1;
    google::protobuf::io::FileInputStream raw(fd, 1 << 20);
    raw.SetCloseOnDelete(true);
    google::protobuf::io::CodedInputStream in(&raw);
    auto torn = [&](int64_t whole_bytes) {
      ++stats.torn;
      stats.torn_files.push_back({file, whole_bytes});
    };
    while (true) {
      const int64_t record_start = in.CurrentPosition();
      uint32_t size = 0;
      if (!in.ReadVarint32(&size)) {
        if (raw.GetErrno() != 0) {
          return absl::DataLossError(absl::StrCat("cannot read ", file, ": ",
                                                  strerror(raw.GetErrno())));
        }
        // A clean end, or a length prefix cut short by a crash.
        if (record_start != file_size) torn(record_start);
        break;
      }
      if (size > kMaxRecordBytes) {
        return absl::DataLossError(absl::StrCat(file, ": record of ", size,
                                                " bytes: not a result file"));
      }
      bytes.clear();
      if (!in.ReadString(&bytes, static_cast<int>(size))) {
        torn(record_start);  // the last record, cut short
        break;
      }
      if (!record->ParseFromString(bytes)) {
        return absl::DataLossError(absl::StrCat(file, ": corrupt record after ",
                                                stats.records, " records"));
      }
      ++stats.records;
      visit(*record);
    }
  }
  return stats;
}

}  // namespace mxscan::results
