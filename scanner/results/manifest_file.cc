#include "scanner/results/manifest_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mxscan::results {
namespace {

// A manifest is small; anything bigger is not one.
constexpr size_t kMaxManifestBytes = 16 << 20;

absl::Status Errno(const std::string& what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", strerror(errno)));
}

bool IsManifestName(absl::string_view name) {
  return name == "manifest.json" ||
         (absl::StartsWith(name, "manifest-shard-") &&
          absl::EndsWith(name, ".json"));
}

}  // namespace

std::string ManifestPath(const std::string& dir, const Shard& shard) {
  if (shard.count <= 1) return absl::StrCat(dir, "/manifest.json");
  return absl::StrCat(dir, "/manifest-shard-", shard.index, "-of-", shard.count,
                      ".json");
}

absl::StatusOr<ScanManifest> ReadManifest(const std::string& path) {
  ScanManifest manifest;
  struct stat st;
  if (stat(path.c_str(), &st) != 0 && errno == ENOENT) return manifest;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errno(absl::StrCat("cannot read ", path));
  std::string text(kMaxManifestBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxManifestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is too large for a scan manifest"));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // written by a later mxscan
  const auto status =
      google::protobuf::util::JsonStringToMessage(text, &manifest, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, " is not a scan manifest: ", status.message().as_string()));
  }
  return manifest;
}

absl::Status WriteManifest(const std::string& path,
                           const ScanManifest& manifest) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(manifest, &json, options)
           .ok()) {
    return absl::InternalError("cannot render the scan manifest");
  }
  const std::string temporary = absl::StrCat(path, ".tmp");
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Errno(absl::StrCat("cannot write ", temporary));
  size_t written = 0;
  while (written < json.size()) {
    const ssize_t n = write(fd, json.data() + written, json.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const absl::Status failed = Errno(absl::StrCat("writing ", temporary));
      close(fd);
      unlink(temporary.c_str());
      return failed;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    const absl::Status failed = Errno(absl::StrCat("writing ", temporary));
    unlink(temporary.c_str());
    return failed;
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    return Errno(absl::StrCat("cannot replace ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ScanManifest>> ManifestsIn(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return std::vector<ScanManifest>();  // a file, not a dir
  while (const dirent* entry = readdir(d)) {
    if (IsManifestName(entry->d_name)) names.emplace_back(entry->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  std::vector<ScanManifest> manifests;
  for (const std::string& name : names) {
    absl::StatusOr<ScanManifest> m = ReadManifest(absl::StrCat(dir, "/", name));
    if (!m.ok()) return m.status();
    manifests.push_back(*std::move(m));
  }
  return manifests;
}

}  // namespace mxscan::results
