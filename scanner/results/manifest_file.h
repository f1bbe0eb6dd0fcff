#ifndef MXSCAN_SCANNER_RESULTS_MANIFEST_FILE_H_
#define MXSCAN_SCANNER_RESULTS_MANIFEST_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/mxscan.pb.h"
#include "scanner/results/shard.h"

namespace mxscan::results {

// The scan manifest (ScanManifest in proto/mxscan.proto): what produced a
// result directory. Stored as proto3 JSON beside the records, one file per
// scan or shard, so that shards sharing a directory do not collide.

// ManifestPath: <dir>/manifest.json for a whole scan,
// <dir>/manifest-shard-I-of-N.json for shard I of N.
std::string ManifestPath(const std::string& dir, const Shard& shard);

// ReadManifest returns the manifest at `path`, or an empty one when there
// is no file. Fails when the file cannot be read or is not a manifest.
absl::StatusOr<ScanManifest> ReadManifest(const std::string& path);

// WriteManifest replaces the file at `path` as a whole (a temporary file,
// fsync'ed, then renamed): a crash leaves the old manifest or the new one.
absl::Status WriteManifest(const std::string& path,
                           const ScanManifest& manifest);

// ManifestsIn returns every manifest of a result directory (manifest.json
// and manifest-shard-*.json), by file name; none is not an error.
absl::StatusOr<std::vector<ScanManifest>> ManifestsIn(const std::string& dir);

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_MANIFEST_FILE_H_
