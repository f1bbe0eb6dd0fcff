#ifndef MXSCAN_SCANNER_SCAN_MANIFEST_H_
#define MXSCAN_SCANNER_SCAN_MANIFEST_H_

#include <ctime>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/mxscan.pb.h"

namespace mxscan::scan {

// What a scan records about its inputs and its machine in the manifest
// (results/manifest_file.h reads and writes the file).

// DescribeInputFile: the path, the SHA-256 of the bytes, and the date of the
// data (a "// VERSION:" or "// COMMIT:" header line of the Public Suffix
// List, else the modification time). A file that cannot be read has only
// its path.
ScanManifest::InputFile DescribeInputFile(const std::string& path);

// LocalAddresses: the addresses of the machine's interfaces other than
// loopback.
std::vector<std::string> LocalAddresses();

// Rfc3339Utc formats a time as "2026-12-06T01:02:03Z".
std::string Rfc3339Utc(std::time_t when);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_MANIFEST_H_
