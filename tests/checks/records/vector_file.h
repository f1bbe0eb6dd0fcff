#ifndef MXSCAN_TESTS_CHECKS_RECORDS_VECTOR_FILE_H_
#define MXSCAN_TESTS_CHECKS_RECORDS_VECTOR_FILE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace mxscan::testing {

// One entry of a record-vector file (tests/checks/records/data/*.json).
struct RecordVector {
  std::string id;
  std::string source;
  std::string record;
  bool expected_valid = false;
  google::protobuf::Struct expected_fields;  // only what the source asserted
  std::string note;
};

// VectorFile is a whole vector file: its declared count and its vectors.
struct VectorFile {
  int64_t count = 0;
  std::vector<RecordVector> vectors;
};

// LoadVectorFile reads and parses `path` (relative to the test's working
// directory, the runfiles root). Fails on I/O errors, bad JSON, or entries
// without id, record or expected_valid.
absl::StatusOr<VectorFile> LoadVectorFile(absl::string_view path);

// Accessors for expected_fields; `Has` tells whether a key was asserted.
bool Has(const google::protobuf::Struct& s, absl::string_view key);
std::string GetString(const google::protobuf::Struct& s, absl::string_view key);
int64_t GetInt(const google::protobuf::Struct& s, absl::string_view key);
std::vector<std::string> GetStringList(const google::protobuf::Struct& s,
                                       absl::string_view key);
// A list of [name, value] pairs, as the files write extensions.
std::vector<std::pair<std::string, std::string>> GetPairList(
    const google::protobuf::Struct& s, absl::string_view key);

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_CHECKS_RECORDS_VECTOR_FILE_H_
